import { digestGoSums, readGoSums, type GoSumContent } from '../gomod/gosum-digest.js';
import { runnerPlatform } from '../util/runner.js';

export type { GoSumContent };

export interface SnapshotKey {
  key: string;
  /** Matches any snapshot of this OS and arch: the fallback restore key. */
  restorePrefix: string;
}

/** `<prefix>-<os>-<arch>-<hash of the go.sum files>`. */
export function snapshotKey(
  prefix: string,
  runnerOs: string,
  arch: string,
  goSums: readonly GoSumContent[],
): SnapshotKey {
  const restorePrefix = `${prefix}-${runnerOs}-${arch.toLowerCase()}-`;
  return { key: `${restorePrefix}${digestGoSums(goSums)}`, restorePrefix };
}

/**
 * The key for go.sum files on disk, and for the sums the action vouches for besides (see
 * withVouchedSums): a snapshot that carries a tool's modules is another snapshot.
 */
export function keyForGoSums(
  prefix: string,
  workingDirectory: string,
  goSumFiles: readonly string[],
  vouched: readonly string[] = [],
): SnapshotKey {
  const runner = runnerPlatform();
  const sums = readGoSums(workingDirectory, goSumFiles);
  if (vouched.length > 0) sums.push({ path: '\0vouched', content: vouched.join('\n') });
  return snapshotKey(prefix, runner.os, runner.arch, sums);
}
