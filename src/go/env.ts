import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** The parts of `go env` the action needs. */
export interface GoEnv {
  GOMODCACHE: string;
  /** The build cache; `off` when disabled. */
  GOCACHE: string;
  /** The installed Go, never a toolchain Go would switch to. */
  GOVERSION: string;
  GOFLAGS: string;
  GOPROXY: string;
  GOSUMDB: string;
  GOPRIVATE: string;
  GONOPROXY: string;
  GONOSUMDB: string;
  /** Where `go env -w` writes; its GOTOOLCHAIN line counts as the user's. */
  GOENV: string;
  /** Its go.env holds the installation's defaults. */
  GOROOT: string;
}

const NAMES = [
  'GOMODCACHE',
  'GOCACHE',
  'GOVERSION',
  'GOFLAGS',
  'GOPROXY',
  'GOSUMDB',
  'GOPRIVATE',
  'GONOPROXY',
  'GONOSUMDB',
  'GOENV',
  'GOROOT',
] as const;

/**
 * Reads `go env`; throws an actionable error when Go is missing, or when it does not answer
 * within `timeoutMs` (given by callers that must not hang, e.g. the post step).
 * GOTOOLCHAIN=local: even `go env` would otherwise download a newer toolchain
 * that go.mod asks for, from whatever GOPROXY says, behind the user's back.
 */
export function readGoEnv(
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs?: number,
): GoEnv {
  const res = spawnSync('go', ['env', '-json', ...NAMES], {
    cwd,
    env: { ...env, GOTOOLCHAIN: 'local' },
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  if (res.error && (res.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') {
    throw new Error(
      `go env did not finish within ${Math.round((timeoutMs ?? 0) / 1000)} s in ${cwd}: it may be waiting on a lock in the module cache held by another go process.`,
    );
  }
  if (res.error && (res.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(
      'go is not on PATH. Install Go before this step, e.g. with actions/setup-go (cache: false).',
    );
  }
  if (res.status !== 0) {
    throw new Error(`go env failed: ${(res.stderr || res.error?.message || '').trim()}`);
  }
  const parsed = JSON.parse(res.stdout) as Partial<GoEnv>;
  if (!parsed.GOMODCACHE) throw new Error('go env reported no GOMODCACHE');
  return {
    GOMODCACHE: parsed.GOMODCACHE,
    GOCACHE: parsed.GOCACHE ?? '',
    GOVERSION: parsed.GOVERSION ?? 'unknown',
    GOFLAGS: parsed.GOFLAGS ?? '',
    GOPROXY: parsed.GOPROXY ?? '',
    GOSUMDB: parsed.GOSUMDB ?? '',
    GOPRIVATE: parsed.GOPRIVATE ?? '',
    GONOPROXY: parsed.GONOPROXY ?? '',
    GONOSUMDB: parsed.GONOSUMDB ?? '',
    GOENV: parsed.GOENV ?? '',
    GOROOT: parsed.GOROOT ?? '',
  };
}

/**
 * The GOTOOLCHAIN the user's own go commands run with, found the way Go finds
 * it: the variable, else a `go env -w` line, else the installation's go.env,
 * else `local`. (Asking `go env` would already switch toolchains.)
 */
export function userToolchain(goEnv: GoEnv, env: NodeJS.ProcessEnv): string {
  const fromEnv = env.GOTOOLCHAIN?.trim();
  if (fromEnv) return fromEnv;
  const files = [
    goEnv.GOENV !== 'off' ? goEnv.GOENV : '',
    goEnv.GOROOT && `${goEnv.GOROOT}/go.env`,
  ];
  for (const file of files) {
    const value = file ? envFileValue(file, 'GOTOOLCHAIN') : undefined;
    if (value) return value;
  }
  return 'local';
}

function envFileValue(file: string, name: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const line = new RegExp(`^${name}=(.*)$`, 'm').exec(text);
  return line?.[1].trim() || undefined;
}

/**
 * GOFLAGS for the action's own `go mod download` runs: the user's flags
 * minus `-mod=…`, which `go mod download` rejects or ignores.
 */
export function downloadGoflags(goflags: string): string {
  return goflags
    .split(/\s+/)
    .filter((f) => f && !/^-{1,2}mod=/.test(f))
    .join(' ');
}
