// The checks of an unpacked bundle that need every file at once: nothing listed is missing,
// every module agrees with its go.sum lines and with the project's, and every tool with this
// action's tables. Each file was already held to its size and sha256 as it was unpacked.
import fs from 'node:fs';
import path from 'node:path';
import { hashGoMod, hashZip } from '../gomod/dirhash.js';
import { escapeModulePath, escapeVersion } from '../gomod/escape.js';
import { GOVULNCHECK_PINS } from '../tools/govulncheck-pins.js';
import { knownChecksum } from '../tools/known-checksums.js';
import { MANIFEST_NAME, moduleFilePath, type Manifest } from './manifest.js';

/** Every way the unpacked files, the manifest and the project's go.sum disagree. */
export function checkUnpacked(
  manifest: Manifest,
  written: Set<string>,
  dir: string,
  goSum: string[],
): string[] {
  const missing = manifest.files
    .filter((f) => !written.has(f.path))
    .map((f) => `${f.path}: listed in ${MANIFEST_NAME} but not in the bundle`);
  const modules = moduleProblems(manifest, written, dir, goSum);
  return [...missing, ...modules.problems, ...toolProblems(manifest, modules.lines)];
}

/** `<module> <version>` (or `<version>/go.mod`) → hash, from go.sum lines. */
function goSumHashes(lines: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of lines) {
    const [mod, ver, hash] = line.trim().split(/\s+/);
    if (mod && ver && hash) out.set(`${mod} ${ver}`, hash);
  }
  return out;
}

/** Each module's go.sum lines against its files and the project's go.sum; the lines it has. */
function moduleProblems(
  manifest: Manifest,
  written: Set<string>,
  dir: string,
  goSum: string[],
): { problems: string[]; lines: Map<string, string> } {
  const problems: string[] = [];
  const project = goSumHashes(goSum);
  const lines = new Map<string, string>();
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const m of manifest.modules) {
    for (const line of m.goSum) {
      const [mod, ver, hash] = line.split(' ');
      const mine = ver === m.version || ver === `${m.version}/go.mod`;
      if (mod !== m.path || !mine || !hash?.startsWith('h1:')) {
        problems.push(
          `${MANIFEST_NAME}: ${m.path}@${m.version} has a go.sum line for something else: "${line}"`,
        );
        continue;
      }
      lines.set(`${mod} ${ver}`, hash);
      const isMod = ver.endsWith('/go.mod');
      const rel = moduleFilePath(
        escapeModulePath(m.path),
        escapeVersion(m.version),
        isMod ? '.mod' : '.zip',
      );
      const theirs = project.get(`${mod} ${ver}`);
      if (theirs && theirs !== hash) {
        problems.push(
          `${rel}: the manifest's go.sum line for ${mod} ${ver} is ${hash}, the project's go.sum says ${theirs}`,
        );
      }
      if (written.has(rel)) problems.push(...goSumHashProblem(dir, rel, isMod, hash));
      else if (!listed.has(rel)) {
        problems.push(`${rel}: ${MANIFEST_NAME} has a go.sum line for it, but no such file`);
      }
    }
  }
  return { problems, lines };
}

/** Go's own hash of a module zip or go.mod against its go.sum line. */
function goSumHashProblem(dir: string, rel: string, isMod: boolean, hash: string): string[] {
  const body = fs.readFileSync(path.join(dir, rel));
  let actual: string;
  try {
    actual = isMod ? hashGoMod(body) : hashZip(body);
  } catch (err) {
    return [
      `${rel}: not a module zip Go can read (${err instanceof Error ? err.message : String(err)})`,
    ];
  }
  return actual === hash ? [] : [`${rel}: its go.sum hash is ${actual}, the manifest says ${hash}`];
}

/** golangci-lint archives against the action's table, govulncheck's modules against its pins. */
function toolProblems(manifest: Manifest, lines: Map<string, string>): string[] {
  const problems: string[] = [];
  const fileSha = new Map(manifest.files.map((f) => [f.path, f.sha256]));
  for (const t of manifest.tools) {
    if (t.name === 'golangci-lint' && t.file && t.sha256 && t.platform) {
      if (!fileSha.has(t.file)) {
        problems.push(
          `${t.file}: the manifest names it as golangci-lint v${t.version}, but no such file`,
        );
        continue;
      }
      if (fileSha.get(t.file) !== t.sha256) {
        problems.push(
          `${t.file}: the manifest gives golangci-lint v${t.version} sha256 ${t.sha256}, and the file ${fileSha.get(t.file)}`,
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
      for (const line of GOVULNCHECK_PINS[t.version]?.sum ?? []) {
        const [mod, ver, hash] = line.split(' ');
        const ours = lines.get(`${mod} ${ver}`);
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
