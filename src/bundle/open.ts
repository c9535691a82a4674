import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { hashGoMod, hashZip } from '../gomod/dirhash.js';
import { escapeModulePath, escapeVersion } from '../gomod/escape.js';
import { knownChecksum } from '../tools/known-checksums.js';
import { GOVULNCHECK_PINS } from '../tools/govulncheck-pins.js';
import { decompressFile, sniffCompression } from '../tar/compression.js';
import {
  BundleError,
  MANIFEST_NAME,
  moduleFilePath,
  MODULES_DIR,
  parseManifest,
  type Manifest,
} from './manifest.js';
import { readTar } from './tar.js';

/** A bundle unpacked and checked; nothing in it is used before this exists. */
export interface OpenedBundle {
  dir: string;
  manifest: Manifest;
  /** The module tree as a GOPROXY URL. */
  moduleMirror: string;
  /** A golangci-lint archive in the bundle, by version (`2.4.0`) and platform (`linux/amd64`). */
  toolArchive(
    name: 'golangci-lint',
    version: string,
    platform: string,
  ): { path: string; sha256: string; checksumFrom: string } | undefined;
  /** Module versions it holds. */
  modules: number;
  /** Bytes of its files, unpacked. */
  bytes: number;
}

/** A manifest.json larger than this is not a manifest. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/**
 * Unpacks `file` into `destDir` (which must not exist yet) and checks it: every file against
 * the manifest's size and sha256, no file missing or extra, every module's zip and go.mod
 * against the manifest's go.sum lines and against `goSum` (the project's lines) where both
 * name the same module version, golangci-lint archives against the action's table, and
 * govulncheck's modules against the shipped pins. Every problem is collected; any one of them
 * removes `destDir` and throws a BundleError listing them all, each naming its file.
 */
export async function openBundle(
  file: string,
  destDir: string,
  opts: { goSum?: string[] } = {},
): Promise<OpenedBundle> {
  try {
    const opened = await unpackAndCheck(file, destDir, opts.goSum ?? []);
    return opened;
  } catch (err) {
    fs.rmSync(destDir, { recursive: true, force: true });
    if (err instanceof BundleError) throw err;
    throw new BundleError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function unpackAndCheck(
  file: string,
  destDir: string,
  goSum: string[],
): Promise<OpenedBundle> {
  const head = Buffer.alloc(4);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 4, 0);
  } finally {
    fs.closeSync(fd);
  }
  const compression = sniffCompression(head);
  if (!compression) {
    throw new BundleError(
      `${file} is neither gzip nor zstd; a bundle is the .tar.gz or .tar.zst that go-resilient-setup bundle writes`,
    );
  }
  fs.mkdirSync(destDir, { recursive: true });
  const found = new Map<string, { size: number; sha256: string }>();
  let manifestText: string | undefined;
  await readTar(decompressFile(compression, file), async (entry) => {
    if (entry.type === 'directory') {
      fs.mkdirSync(path.join(destDir, entry.path), { recursive: true });
      return;
    }
    if (entry.path === MANIFEST_NAME) {
      if (entry.size > MAX_MANIFEST_BYTES) throw new BundleError(`${MANIFEST_NAME} is too large`);
      const parts: Buffer[] = [];
      return {
        write: async (chunk) => void parts.push(chunk),
        end: async () => void (manifestText = Buffer.concat(parts).toString('utf8')),
      };
    }
    const target = path.join(destDir, entry.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const handle = await fs.promises.open(target, 'wx');
    const hash = createHash('sha256');
    let size = 0;
    return {
      write: async (chunk) => {
        hash.update(chunk);
        size += chunk.length;
        await handle.write(chunk);
      },
      end: async () => {
        await handle.close();
        found.set(entry.path, { size, sha256: hash.digest('hex') });
      },
    };
  });
  if (manifestText === undefined) {
    throw new BundleError(`${file} has no ${MANIFEST_NAME}: it is not a bundle`, MANIFEST_NAME);
  }
  const manifest = parseManifest(manifestText);
  const problems = checkBundle(manifest, found, destDir, goSum);
  if (problems.length > 0) {
    throw new BundleError(
      `${file} does not match its manifest:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      problems[0].split(':')[0],
    );
  }
  const byTool = (name: string, version: string, platform: string) =>
    manifest.tools.find((t) => t.name === name && t.version === version && t.platform === platform);
  return {
    dir: destDir,
    manifest,
    moduleMirror: pathToFileURL(path.join(destDir, MODULES_DIR)).href,
    toolArchive: (name, version, platform) => {
      const t = byTool(name, version, platform);
      return t?.file && t.sha256
        ? { path: path.join(destDir, t.file), sha256: t.sha256, checksumFrom: t.checksumFrom }
        : undefined;
    },
    modules: manifest.modules.length,
    bytes: manifest.files.reduce((n, f) => n + f.size, 0),
  };
}

/** Every way the unpacked files, the manifest and the project's go.sum disagree. */
function checkBundle(
  manifest: Manifest,
  found: Map<string, { size: number; sha256: string }>,
  dir: string,
  goSum: string[],
): string[] {
  const problems: string[] = [];
  const listed = new Set<string>();
  for (const f of manifest.files) {
    listed.add(f.path);
    const got = found.get(f.path);
    if (!got) problems.push(`${f.path}: listed in ${MANIFEST_NAME} but not in the bundle`);
    else if (got.size !== f.size) {
      problems.push(`${f.path}: ${got.size} bytes, the manifest says ${f.size}`);
    } else if (got.sha256 !== f.sha256) {
      problems.push(`${f.path}: sha256 is ${got.sha256}, the manifest says ${f.sha256}`);
    }
  }
  for (const p of found.keys()) {
    if (!listed.has(p)) problems.push(`${p}: in the bundle but not listed in ${MANIFEST_NAME}`);
  }
  const manifestSha = new Map(manifest.files.map((f) => [f.path, f.sha256]));
  const intact = (p: string) => manifestSha.has(p) && found.get(p)?.sha256 === manifestSha.get(p);

  const project = new Map<string, string>();
  for (const line of goSum) {
    const [mod, ver, hash] = line.trim().split(/\s+/);
    if (mod && ver && hash) project.set(`${mod} ${ver}`, hash);
  }
  const bundleLines = new Map<string, string>();
  for (const m of manifest.modules) {
    const where = (ext: string) =>
      moduleFilePath(escapeModulePath(m.path), escapeVersion(m.version), ext);
    for (const line of m.goSum) {
      const [mod, ver, hash] = line.split(' ');
      const mine = ver === m.version || ver === `${m.version}/go.mod`;
      if (mod !== m.path || !mine || !hash?.startsWith('h1:')) {
        problems.push(
          `${MANIFEST_NAME}: ${m.path}@${m.version} has a go.sum line for something else: "${line}"`,
        );
        continue;
      }
      bundleLines.set(`${mod} ${ver}`, hash);
      const isMod = ver.endsWith('/go.mod');
      const rel = where(isMod ? '.mod' : '.zip');
      const theirs = project.get(`${mod} ${ver}`);
      if (theirs && theirs !== hash) {
        problems.push(
          `${rel}: the manifest's go.sum line for ${mod} ${ver} is ${hash}, the project's go.sum says ${theirs}`,
        );
      }
      if (!intact(rel)) {
        if (!listed.has(rel))
          problems.push(`${rel}: ${MANIFEST_NAME} has a go.sum line for it, but no such file`);
        continue;
      }
      const body = fs.readFileSync(path.join(dir, rel));
      let actual: string;
      try {
        actual = isMod ? hashGoMod(body) : hashZip(body);
      } catch (err) {
        problems.push(
          `${rel}: not a module zip Go can read (${err instanceof Error ? err.message : String(err)})`,
        );
        continue;
      }
      if (actual !== hash) {
        problems.push(`${rel}: its go.sum hash is ${actual}, the manifest says ${hash}`);
      }
    }
  }
  for (const t of manifest.tools) {
    if (t.name === 'golangci-lint' && t.file && t.sha256 && t.platform) {
      if (!listed.has(t.file)) {
        problems.push(
          `${t.file}: the manifest names it as golangci-lint v${t.version}, but no such file`,
        );
        continue;
      }
      const fileSha = manifestSha.get(t.file);
      if (fileSha !== t.sha256) {
        problems.push(
          `${t.file}: the manifest gives golangci-lint v${t.version} sha256 ${t.sha256}, and the file ${fileSha}`,
        );
      }
      const known = knownChecksum(t.version, t.platform.replace('/', '-'));
      if (known && known.sha256 !== t.sha256) {
        problems.push(
          `${t.file}: golangci-lint v${t.version} ${t.platform} has sha256 ${known.sha256} in this action's table, the bundle ${t.sha256}`,
        );
      }
    }
    if (t.name === 'govulncheck') {
      const pin = GOVULNCHECK_PINS[t.version];
      for (const line of pin?.sum ?? []) {
        const [mod, ver, hash] = line.split(' ');
        const ours = bundleLines.get(`${mod} ${ver}`);
        if (ours !== undefined && ours !== hash) {
          problems.push(
            `${MANIFEST_NAME}: govulncheck ${t.version} is pinned to ${line}, the bundle has ${ours}`,
          );
        }
      }
    }
  }
  return problems;
}
