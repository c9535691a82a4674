import type { Config } from '../config/types.js';
import type { Project } from '../gomod/discover.js';
import { withVouchedSums, type ModuleVersion } from '../gomod/gosum.js';
import type { Log } from '../host/log.js';
import { downloadDir, snapshotPath } from './layout.js';
import { keyForGoSums } from './key.js';
import { cacheMode, cacheServiceAvailable } from '../cache-service/service.js';
import { restoreCacheEntry, type RestoreOutcome } from '../cache-service/restore.js';
import type { SnapshotState } from './state.js';
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
 * The snapshot this job looks for, with what the post step needs to save it, or why there is
 * none. The state is handed to the post step before the restore starts, so that a step
 * cancelled during the restore still leaves the post step its key.
 */
export type SnapshotPlan = { note: string } | { state: SnapshotState };

/** What the restore found, and what the post step gets to work from (none when skipped). */
export interface SnapshotRestore {
  report: RestoreReport;
  state?: SnapshotState;
}

/**
 * The key of the snapshot: the project's go.sum files and `vouched`, go.sum lines of a tool the
 * action builds (govulncheck's pin), whose modules the snapshot carries too, so that a warm job
 * builds the tool without a mirror.
 */
export function planSnapshot(
  config: Config,
  project: Project,
  vouched: readonly string[],
): SnapshotPlan {
  if (!config.cache) return { note: 'disabled (cache: false)' };
  if (project.goSumFiles.length === 0) return { note: 'skipped: no go.sum' };
  const { key, restorePrefix } = keyForGoSums(
    config.cacheKeyPrefix,
    config.workingDirectory,
    project.goSumFiles,
    vouched,
  );
  return {
    state: {
      key,
      restorePrefix,
      hit: false,
      saveCache: config.saveCache,
      workingDirectory: config.workingDirectory,
      cacheDependencyPath: config.cacheDependencyPath,
      cacheKeyPrefix: config.cacheKeyPrefix,
      ...(vouched.length > 0 && { vouchedSums: [...vouched] }),
    },
  };
}

/** Where the restore starts from and whom it tells. */
export interface SnapshotRestoreOptions {
  project: Project;
  vouched: readonly string[];
  gomodcache: string;
  /** Asks Go (offline) whether the module cache now holds everything. */
  isComplete: () => Promise<boolean>;
  log: Log;
  /** Learns where the snapshot's download directory sits once extracted, before it is verified. */
  extracted?: (downloadDir: string) => void;
}

/**
 * Restores the module-cache snapshot, then verifies it against go.sum and the vouched lines.
 * `isComplete` decides `cache-hit` together with an exact key match and a clean verification.
 * `extracted` lets work waiting on the network start while the snapshot is verified.
 */
export async function restoreSnapshot(
  plan: SnapshotPlan,
  opts: SnapshotRestoreOptions,
): Promise<SnapshotRestore> {
  const report: RestoreReport = {
    hit: false,
    bytesRestored: 0,
    restoreMs: 0,
    verified: 0,
    dropped: [],
    skipped: {},
  };
  if ('note' in plan) return { report: { ...report, note: plan.note } };
  const state = { ...plan.state };
  report.key = state.key;
  if (!cacheServiceAvailable()) {
    return { report: { ...report, note: 'no cache service on this runner' }, state };
  }
  if (!cacheMode().readable) {
    const note = `restore skipped: ACTIONS_CACHE_MODE=${cacheMode().mode}`;
    return { report: { ...report, note }, state };
  }
  const start = Date.now();
  const modules = withVouchedSums(opts.project.modules, opts.vouched);
  const { outcome, verify } = await restoreAndVerify(state, modules, report, opts);
  report.restoreMs = Date.now() - start;
  noteProblems(outcome, report, opts.log);
  if (!outcome.matchedKey || !verify) return { report, state };
  report.matchedKey = outcome.matchedKey;
  state.matchedKey = outcome.matchedKey;
  report.bytesRestored = outcome.adopted?.bytes ?? 0;
  report.verified = verify.verified;
  report.dropped = verify.dropped;
  report.skipped = outcome.skippedMembers ?? {};
  logVerification(report, verify, opts.log);
  report.hit =
    outcome.matchedKey === state.key && verify.dropped.length === 0 && (await opts.isComplete());
  state.hit = report.hit;
  return { report, state };
}

async function restoreAndVerify(
  state: SnapshotState,
  modules: ModuleVersion[],
  report: RestoreReport,
  opts: SnapshotRestoreOptions,
): Promise<{ outcome: RestoreOutcome; verify?: VerifyResult }> {
  const dir = downloadDir(opts.gomodcache);
  let verify: VerifyResult | undefined;
  const wanted = snapshotFilter(modules);
  const paths = [snapshotPath(opts.gomodcache)];
  const outcome = await restoreCacheEntry(paths, state.key, [state.restorePrefix], {
    skip: (_index, rel) => wanted(rel),
    // Checked where it was extracted, before any of it reaches the module cache.
    inspect: async (stagedOf) => {
      opts.extracted?.(stagedOf(dir));
      verify = await verifySnapshot(stagedOf(dir), modules);
      await writeZipHashes(verify.zips, stagedOf(dir), dir);
      report.verifyMs = verify.ms;
    },
  });
  return { outcome, verify };
}

function noteProblems(outcome: RestoreOutcome, report: RestoreReport, log: Log): void {
  if (outcome.skipped) {
    report.note = `restore skipped: the cache service was ${outcome.problem}`;
    log.info(`Module cache restore skipped: the cache service was ${outcome.problem}`);
  } else if (outcome.problem || outcome.discarded) {
    const why = outcome.problem ?? 'the archive could not be extracted (corrupt or truncated)';
    const kept = outcome.discarded ? '; nothing it extracted was kept' : '';
    log.warning(
      `Module cache restore failed, going on without it: ${why}${kept}. Modules missing from the cache will be downloaded.`,
    );
    report.note = `restore failed: ${why}`;
  }
}

function logVerification(report: RestoreReport, verify: VerifyResult, log: Log): void {
  const skipped = Object.entries(report.skipped).map(([why, n]) => `${n} ${why}`);
  if (skipped.length > 0) log.info(`Left out of the restore: ${skipped.join(', ')}`);
  log.info(
    `Verified ${verify.verified} file(s) against go.sum in ${verify.ms} ms; ${verify.dropped.length} dropped, ${verify.missing} not in the snapshot`,
  );
  if (verify.dropped.length > 0) {
    log.warning(
      `The snapshot held ${verify.dropped.length} file(s) that do not match go.sum; they were removed and will be downloaded again: ${verify.dropped.join(', ')}`,
    );
  }
}
