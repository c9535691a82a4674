// The physical limit of a warm job's restore: download the very archives the job restores from
// a loopback server and unpack them with `zstd -dc | tar -x`, all of them at once, and nothing
// else: no lookup, no checks, no verification. No restore can beat this on the same machine.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startBodyServer } from '../../__tests__/support/body-server.js';
import { forceRemove } from '../../__tests__/support/fs-cleanup.js';

/**
 * Downloads one archive and pipes it into `zstd -dc | tar -x -P`, as @actions/cache unpacks it:
 * `--long=30` because it compresses with that window, and `-P` because its member names climb
 * out of the workspace (`../../../home/…`); `dir` is deep enough for them to land below it.
 */
function downloadAndUnpack(url: string, dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const untar = spawn('sh', ['-c', 'zstd -dc --long=30 | tar -x -P -C "$0"', dir], {
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    untar.on('error', reject);
    untar.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`zstd -dc | tar -x exited with ${code}`)),
    );
    http.get(url, (res) => res.pipe(untar.stdin)).on('error', reject);
  });
}

/** Deeper than the `../` any archive's names start with, so every member lands in the root. */
const DEPTH = 12;

/** Wall time of downloading and unpacking every archive at once, into fresh directories. */
export async function timeExtractLimit(archives: readonly Buffer[]): Promise<number> {
  const served = await startBodyServer(
    Object.fromEntries(archives.map((archive, i) => [`/${i}`, archive])),
  );
  const root = mkdtempSync(join(tmpdir(), 'extract-limit-'));
  try {
    const dirs = archives.map((_, i) => {
      const dir = join(root, String(i), ...Array<string>(DEPTH).fill('w'));
      mkdirSync(dir, { recursive: true });
      return dir;
    });
    const start = performance.now();
    await Promise.all(dirs.map((dir, i) => downloadAndUnpack(`${served.url}/${i}`, dir)));
    return Math.round(performance.now() - start);
  } finally {
    await served.close();
    forceRemove(root);
  }
}
