import * as core from '@actions/core';
import type { Config } from '../config/types.js';
import type { Project } from '../gomod/discover.js';
import { withVouchedSums } from '../gomod/gosum.js';
import { downloadDir, snapshotPath } from './layout.js';
import { keyForGoSums } from './key.js';
import { cacheMode, cacheServiceAvailable } from '../cache-service/service.js';
import { restoreCacheEntry } from '../cache-service/restore.js';
import { SNAPSHOT_STATE as STATE_NAME, type SnapshotState } from './state.js';
import { snapshotFilter } from './snapshot-filter.js';
import { verifySnapshot, writeZipHashes, type VerifyResult } from './verify.js';

/** What the summary shows of the restore. */
export interface RestoreReport {
  key?: string;
  matchedKey?: string;
  hit: boolean;
  bytesRestored: number;
  restoreMs: number;
  /** Part of restoreMs: hashing what was restored against go.sum. */
  verifyMs?: number;
  verified: number;
  dropped: string[];
  /** Files of the archive not unpacked at all, by why (see snapshot-filter.ts). */
  skipped: Record<string, number>;
  /** Why the snapshot was skipped or not restored. */
  note?: string;
}

/**
 * Restores the module-cache snapshot, then verifies it against go.sum, and against `vouched`:
 * go.sum lines of a tool the action builds (govulncheck's pin), whose modules the snapshot
 * carries too, so that a warm job builds the tool without a mirror. `isComplete` asks Go
 * (offline) whether the module cache now holds everything; it decides `cache-hit` together
 * with an exact key match and a clean verification. `extracted` learns where the snapshot's
 * download directory sits once it is extracted, before it is verified, so that work waiting
 * on the network can start then.
 */
export async function restorePhase(
  config: Config,
  project: Project,
  vouched: readonly string[],
  gomodcache: string,
  isComplete: () => Promise<boolean>,
  extracted: (downloadDir: string) => void = () => undefined,
): Promise<RestoreReport> {
  const report: RestoreReport = {
    hit: false,
    bytesRestored: 0,
    restoreMs: 0,
    verified: 0,
    dropped: [],
    skipped: {},
  };
  const finish = (r: RestoreReport): RestoreReport => {
    core.setOutput('cache-hit', String(r.hit));
    core.setOutput('cache-key', r.key ?? '');
    core.setOutput('cache-matched-key', r.matchedKey ?? '');
    return r;
  };
  if (!config.cache) return finish({ ...report, note: 'disabled (cache: false)' });
  if (project.goSumFiles.length === 0) {
    return finish({ ...report, note: 'skipped: no go.sum' });
  }

  const { key, restorePrefix } = keyForGoSums(
    config.cacheKeyPrefix,
    config.workingDirectory,
    project.goSumFiles,
    vouched,
  );
  report.key = key;
  const state: SnapshotState = {
    key,
    restorePrefix,
    hit: false,
    saveCache: config.saveCache,
    workingDirectory: config.workingDirectory,
    cacheDependencyPath: config.cacheDependencyPath,
    cacheKeyPrefix: config.cacheKeyPrefix,
    ...(vouched.length > 0 && { vouchedSums: [...vouched] }),
  };
  const saveState = (): void => core.saveState(STATE_NAME, JSON.stringify(state));
  saveState();

  if (!cacheServiceAvailable()) {
    return finish({ ...report, note: 'no cache service on this runner' });
  }
  if (!cacheMode().readable) {
    return finish({ ...report, note: `restore skipped: ACTIONS_CACHE_MODE=${cacheMode().mode}` });
  }

  const dir = downloadDir(gomodcache);
  const start = Date.now();
  let verify: VerifyResult | undefined;
  const modules = withVouchedSums(project.modules, vouched);
  const wanted = snapshotFilter(modules);
  const outcome = await restoreCacheEntry([snapshotPath(gomodcache)], key, [restorePrefix], {
    skip: (_index, rel) => wanted(rel),
    // Checked where it was extracted, before any of it reaches the module cache.
    inspect: async (stagedOf) => {
      extracted(stagedOf(dir));
      verify = await verifySnapshot(stagedOf(dir), modules);
      await writeZipHashes(verify.zips, stagedOf(dir), dir);
      report.verifyMs = verify.ms;
    },
  });
  report.restoreMs = Date.now() - start;
  if (outcome.skipped) {
    report.note = `restore skipped: the cache service was ${outcome.problem}`;
    core.info(`Module cache restore skipped: the cache service was ${outcome.problem}`);
  } else if (outcome.problem || outcome.discarded) {
    const why = outcome.problem ?? 'the archive could not be extracted (corrupt or truncated)';
    const kept = outcome.discarded ? '; nothing it extracted was kept' : '';
    core.warning(
      `Module cache restore failed, going on without it: ${why}${kept}. Modules missing from the cache will be downloaded.`,
    );
    report.note = `restore failed: ${why}`;
  }
  if (!outcome.matchedKey || !verify) return finish(report);
  report.matchedKey = outcome.matchedKey;
  state.matchedKey = outcome.matchedKey;
  report.bytesRestored = outcome.adopted?.bytes ?? 0;

  report.verified = verify.verified;
  report.dropped = verify.dropped;
  report.skipped = outcome.skippedMembers ?? {};
  const skipped = Object.entries(report.skipped).map(([why, n]) => `${n} ${why}`);
  if (skipped.length > 0) core.info(`Left out of the restore: ${skipped.join(', ')}`);
  core.info(
    `Verified ${verify.verified} file(s) against go.sum in ${verify.ms} ms; ${verify.dropped.length} dropped, ${verify.missing} not in the snapshot`,
  );
  if (verify.dropped.length > 0) {
    core.warning(
      `The snapshot held ${verify.dropped.length} file(s) that do not match go.sum; they were removed and will be downloaded again: ${verify.dropped.join(', ')}`,
    );
  }
  report.hit = outcome.matchedKey === key && verify.dropped.length === 0 && (await isComplete());
  state.hit = report.hit;
  saveState();
  return finish(report);
}
