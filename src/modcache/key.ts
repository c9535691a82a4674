import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { runnerPlatform } from '../util/runner.js';

export interface GoSumContent {
  /** Path relative to the working directory, with `/` separators. */
  path: string;
  content: Buffer | string;
}

export interface SnapshotKey {
  key: string;
  /** Matches any snapshot of this OS and arch: the fallback restore key. */
  restorePrefix: string;
}

/**
 * `<prefix>-<os>-<arch>-<hash>`, the hash covering every go.sum's path and
 * contents in a stable order, so the same files always give the same key
 * wherever the glob found them first.
 */
export function snapshotKey(
  prefix: string,
  runnerOs: string,
  arch: string,
  goSums: readonly GoSumContent[],
): SnapshotKey {
  const hash = createHash('sha256');
  for (const f of [...goSums].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    hash.update(`${f.path}\0`);
    hash.update(f.content);
    hash.update('\0');
  }
  const restorePrefix = `${prefix}-${runnerOs}-${arch.toLowerCase()}-`;
  return { key: `${restorePrefix}${hash.digest('hex')}`, restorePrefix };
}

/** The key for go.sum files on disk, named relative to the working directory as on any runner. */
export function keyForGoSums(
  prefix: string,
  workingDirectory: string,
  goSumFiles: readonly string[],
): SnapshotKey {
  const runner = runnerPlatform();
  return snapshotKey(
    prefix,
    runner.os,
    runner.arch,
    goSumFiles.map((f) => ({
      path: path.relative(workingDirectory, f).split(path.sep).join('/'),
      content: fs.readFileSync(f),
    })),
  );
}
