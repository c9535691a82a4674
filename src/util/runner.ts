import fs from 'node:fs';
import os from 'node:os';

/** The runner's per-job scratch directory (emptied after every job), created if missing. */
export function runnerTemp(): string {
  const dir = process.env.RUNNER_TEMP || os.tmpdir();
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** The runner's OS and arch as cache keys name them (`Linux`, `X64`), with Node's names off a runner. */
export function runnerPlatform(): { os: string; arch: string } {
  return {
    os: process.env.RUNNER_OS ?? process.platform,
    arch: process.env.RUNNER_ARCH ?? process.arch,
  };
}
