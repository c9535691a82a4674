// Turns a module download cache (GOMODCACHE/cache/download) into a bundle's module tree and the
// manifest's module list: only what Go serves from a GOPROXY (.info, .mod, .zip), with go.sum
// lines computed from the bytes themselves.
import fs from 'node:fs';
import path from 'node:path';
import { hashGoMod, hashZip } from '../gomod/dirhash.js';
import { escapeModulePath, escapeVersion } from '../gomod/escape.js';
import { EXCLUDED_MODULES, parseVersionPath } from '../modcache/layout.js';
import { MODULES_DIR, type BundleModule } from './manifest.js';

/** The go.sum lines a download cache covers, as `<module> <version>[/go.mod]` keys. */
export function coveredLines(
  downloadDir: string,
  lines: { module: string; version: string; kind: 'zip' | 'mod' }[],
) {
  return lines.filter((l) =>
    fs.existsSync(
      path.join(
        downloadDir,
        escapeModulePath(l.module),
        '@v',
        `${escapeVersion(l.version)}${l.kind === 'zip' ? '.zip' : '.mod'}`,
      ),
    ),
  );
}

/**
 * Copies every module version's .info, .mod and .zip from `downloadDir` into
 * `<stagingDir>/modules`, and returns the manifest's module list, sorted.
 */
export function stageModules(downloadDir: string, stagingDir: string): BundleModule[] {
  const modules = new Map<string, BundleModule>();
  const walk = (rel: string) => {
    for (const d of fs.readdirSync(path.join(downloadDir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${d.name}` : d.name;
      // The checksum database's cache is not a module; Go's toolchains are too large to carry.
      if (!rel && d.name === 'sumdb') continue;
      if (d.isDirectory()) {
        walk(child);
        continue;
      }
      const parsed = parseVersionPath(child);
      if (!parsed || !['.info', '.mod', '.zip'].includes(parsed.suffix)) continue;
      if (EXCLUDED_MODULES.includes(parsed.module)) continue;
      const target = path.join(stagingDir, MODULES_DIR, child);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(path.join(downloadDir, child), target);
      const key = `${parsed.module}@${parsed.version}`;
      const entry = modules.get(key) ?? { path: parsed.module, version: parsed.version, goSum: [] };
      modules.set(key, entry);
      if (parsed.suffix === '.zip') {
        entry.goSum.unshift(
          `${parsed.module} ${parsed.version} ${hashZip(fs.readFileSync(target))}`,
        );
      } else if (parsed.suffix === '.mod') {
        entry.goSum.push(
          `${parsed.module} ${parsed.version}/go.mod ${hashGoMod(fs.readFileSync(target))}`,
        );
      }
    }
  };
  if (fs.existsSync(downloadDir)) walk('');
  return [...modules.values()]
    .filter((m) => m.goSum.length > 0)
    .sort((a, b) =>
      a.path === b.path ? (a.version < b.version ? -1 : 1) : a.path < b.path ? -1 : 1,
    );
}
