import { spawnSync } from 'node:child_process';

/** The parts of `go env` the action needs. */
export interface GoEnv {
  GOMODCACHE: string;
  GOVERSION: string;
  GOFLAGS: string;
}

/**
 * Reads `go env`; throws an actionable error when Go is missing, or when it does not answer
 * within `timeoutMs` (given by callers that must not hang, e.g. the post step).
 */
export function readGoEnv(
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs?: number,
): GoEnv {
  const res = spawnSync('go', ['env', '-json', 'GOMODCACHE', 'GOVERSION', 'GOFLAGS'], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  if (res.error && (res.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') {
    throw new Error(
      `go env did not finish within ${Math.round((timeoutMs ?? 0) / 1000)} s in ${cwd} (GOTOOLCHAIN=${env.GOTOOLCHAIN ?? 'unset'}): it may be waiting on a toolchain download or a lock in the module cache held by another go process.`,
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
    GOVERSION: parsed.GOVERSION ?? 'unknown',
    GOFLAGS: parsed.GOFLAGS ?? '',
  };
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
