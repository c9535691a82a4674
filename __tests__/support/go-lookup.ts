// Where the `go` the tests, the demo and the benchmark run is: GO_BIN when set, else `go` on
// PATH, else the newest toolchain `.ci/install-go.sh` unpacked. Kept in one place so that all
// three agree, and so that a missing Go is reported once, with what to do, before anything
// starts. Nothing here runs at load: the global set-up and the demo look before Go exists.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

/** The one line shown when no Go is found. */
export const GO_MISSING =
  'Go not found: run `bash .ci/install-go.sh` (unpacks Go into ~/.cache/go-resilient-setup/go, no root needed), put go on PATH, or set GO_BIN to a go binary.';

export type GoSource = 'GO_BIN' | 'PATH' | 'install-go.sh';

export type GoLookup =
  | { ok: true; path: string; source: GoSource }
  /** `GO_BIN` when GO_BIN names no go; `none` when there is no Go anywhere. */
  | { ok: false; problem: string; cause: 'GO_BIN' | 'none' };

/** Where `.ci/install-go.sh` unpacks toolchains: `$GO_INSTALL_ROOT/<minor>/usr/lib/go-<minor>/bin/go`. */
export function goInstallRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.GO_INSTALL_ROOT || join(env.HOME || homedir(), '.cache', 'go-resilient-setup', 'go');
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(env: NodeJS.ProcessEnv, name: string): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    // An empty PATH entry means the working directory, which is never where Go is meant to be.
    if (!dir) continue;
    const candidate = resolve(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** Minor releases as numbers, so that 1.26 sorts above 1.9. */
function minorOf(name: string): number | undefined {
  const m = /^1\.(\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

function newestInstalled(root: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return undefined;
  }
  const minors = names
    .map((name) => ({ name, minor: minorOf(name) }))
    .filter((v): v is { name: string; minor: number } => v.minor !== undefined)
    .sort((a, b) => b.minor - a.minor);
  for (const { name } of minors) {
    const candidate = join(root, name, 'usr', 'lib', `go-${name}`, 'bin', 'go');
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** Looks Go up without running it. A GO_BIN that points nowhere is an error, never skipped. */
export function findGo(env: NodeJS.ProcessEnv = process.env): GoLookup {
  const fromEnv = env.GO_BIN;
  if (fromEnv) {
    // A bare name (GO_BIN=go1.26) is looked up on PATH, as a shell would.
    const path = fromEnv.includes('/') ? resolve(fromEnv) : onPath(env, fromEnv);
    if (path && isExecutableFile(path)) return { ok: true, path, source: 'GO_BIN' };
    return {
      ok: false,
      cause: 'GO_BIN',
      problem: `GO_BIN=${fromEnv} is not an executable file: point it at a go binary (a path such as /usr/local/go/bin/go), or unset it.`,
    };
  }
  const path = onPath(env, 'go');
  if (path) return { ok: true, path, source: 'PATH' };
  const installed = newestInstalled(goInstallRoot(env));
  if (installed) return { ok: true, path: installed, source: 'install-go.sh' };
  return { ok: false, cause: 'none', problem: GO_MISSING };
}

/** `go env GOVERSION` of a found go, e.g. `go1.26.11`; the problem when it does not run. */
export function goVersion(
  path: string,
): { ok: true; version: string } | { ok: false; problem: string } {
  const res = spawnSync(path, ['env', 'GOVERSION'], {
    encoding: 'utf8',
    env: { ...process.env, GOTOOLCHAIN: 'local' },
  });
  const version = res.stdout?.trim() ?? '';
  if (res.status === 0 && /^go\d/.test(version)) return { ok: true, version };
  const why =
    res.error?.message ?? (res.stderr.trim().split('\n')[0] || `exit status ${res.status}`);
  return { ok: false, problem: `${path} does not run as Go (${why}). ${GO_MISSING}` };
}
