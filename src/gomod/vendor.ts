import fs from 'node:fs';
import path from 'node:path';

/**
 * Which of a project's modules the go command builds from `vendor/`, decided as
 * cmd/go's setDefaultBuildMod decides it, so that the action never fetches (or
 * fails over) what a build would never download.
 */
export interface Vendoring {
  /** Every module and the workspace builds from vendor/: nothing needs a mirror. */
  all: boolean;
  /** Module directories (and the workspace directory) that build from vendor/. */
  dirs: string[];
  /** Why, for the log and the summary. */
  reason: string;
}

/** The last `-mod=` in GOFLAGS, which is the one the go command applies. */
export function explicitBuildMod(goflags: string): string | undefined {
  let mode: string | undefined;
  for (const flag of goflags.split(/\s+/)) {
    const m = /^-{1,2}mod=(.*)$/.exec(flag);
    if (m) mode = m[1];
  }
  return mode;
}

export function detectVendoring(
  moduleDirs: readonly string[],
  workspaceDir: string | undefined,
  goflags: string,
): Vendoring {
  const all = workspaceDir ? [...moduleDirs, workspaceDir] : [...moduleDirs];
  const none = (reason: string): Vendoring => ({ all: false, dirs: [], reason });
  if (all.length === 0) return none('no module found');
  const explicit = explicitBuildMod(goflags);
  if (explicit === 'vendor') {
    return { all: true, dirs: all, reason: 'GOFLAGS sets -mod=vendor' };
  }
  if (explicit !== undefined) return none(`GOFLAGS sets -mod=${explicit}`);

  // In workspace mode only the workspace's vendor directory counts; the modules' own are ignored.
  if (workspaceDir) {
    return defaultsToVendor(workspaceDir, 'go.work')
      ? {
          all: true,
          dirs: all,
          reason: 'go.work says go >= 1.14 and the workspace has a vendor directory',
        }
      : none('the workspace has no vendor directory in use');
  }
  const dirs = moduleDirs.filter((d) => defaultsToVendor(d, 'go.mod'));
  return {
    all: dirs.length === moduleDirs.length,
    dirs,
    reason: 'go.mod says go >= 1.14 and the module has a vendor directory',
  };
}

/**
 * Without -mod, Go builds from vendor/ when the directory exists, the go line
 * (of go.mod, or go.work in workspace mode) is at least 1.14, and modules.txt
 * was written for the same mode (`## workspace` on its first line).
 */
function defaultsToVendor(dir: string, file: 'go.mod' | 'go.work'): boolean {
  const vendorDir = path.join(dir, 'vendor');
  if (!isDirectory(vendorDir)) return false;
  const goVersion = goLine(readText(path.join(dir, file)) ?? '');
  if (!goVersion || compareGoVersions(goVersion, '1.14') < 0) return false;
  return (
    modulesTextIsForWorkspace(readText(path.join(vendorDir, 'modules.txt')) ?? '') ===
    (file === 'go.work')
  );
}

/** The version on the `go` directive line, if any. */
export function goLine(modText: string): string | undefined {
  const m = /^[ \t]*go[ \t]+([0-9][^\s/]*)[ \t]*(?:\/\/.*)?$/m.exec(modText);
  return m?.[1];
}

export function modulesTextIsForWorkspace(text: string): boolean {
  const first = text.slice(0, 512).split('\n')[0];
  if (!first.startsWith('## ')) return false;
  return first
    .slice(3)
    .split(';')
    .some((entry) => entry.trim() === 'workspace');
}

/** Compares Go versions like 1.14, 1.21.0, 1.22rc1 by their numeric parts; prereleases sort first. */
export function compareGoVersions(a: string, b: string): number {
  const parse = (v: string): { nums: number[]; pre: boolean } => {
    const m = /^(\d+(?:\.\d+)*)(.*)$/.exec(v) ?? ['', '0', ''];
    return { nums: m[1].split('.').map(Number), pre: m[2] !== '' };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < Math.max(x.nums.length, y.nums.length); i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return Number(y.pre) - Number(x.pre);
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
