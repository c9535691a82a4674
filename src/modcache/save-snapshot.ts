import fs from 'node:fs';
import { discoverProject, type Project } from '../gomod/discover.js';
import { withVouchedSums } from '../gomod/gosum.js';
import { downloadGoflags, readGoEnv, type GoEnv } from '../go/env.js';
import { cacheHoldsEverything } from '../go/holds-everything.js';
import { keyForGoSums } from './key.js';
import { measureDownloadCache } from './measure.js';
import { downloadDir, snapshotPath } from './layout.js';
import { saveCacheEntry, whyNoSave } from '../cache-service/service.js';
import { restoreCacheEntry } from '../cache-service/restore.js';
import type { SnapshotState } from './state.js';
import { serviceFailure } from '../cache-service/breaker.js';
import { listFiles, stashFiles, unstashFiles } from '../cache-service/files.js';
import { planTrim } from './trim.js';

/** No go command may hold the post step longer: offline, a slower one is stuck on a lock. */
const GO_BOUND_MS = 20_000;

/** What the post step's summary shows. */
export interface SaveReport {
  key: string;
  outcome: 'saved' | 'skipped' | 'failed';
  reason: string;
  trimmedVersions: number;
  bytesSaved: number;
  saveMs: number;
  /** Trimmed files put back into the module cache after the save. */
  putBack?: number;
}

/**
 * Saves a trimmed snapshot, or says why not. Nothing in here may fail the
 * job: every problem comes back as a reason.
 */
export async function saveSnapshot(
  state: SnapshotState,
  env: NodeJS.ProcessEnv,
): Promise<SaveReport> {
  const report: SaveReport = {
    key: state.key,
    outcome: 'skipped',
    reason: '',
    trimmedVersions: 0,
    bytesSaved: 0,
    saveMs: 0,
  };
  const skip = (reason: string): SaveReport => ({ ...report, reason });
  if (state.hit) return skip(`exact hit on ${state.key}: nothing new to save`);
  const refused = whyNoSave(state.saveCache, env);
  if (refused) return skip(refused);

  // go.sum may have changed during the job (go mod tidy): key what is there now.
  const project = await discoverProject(state.workingDirectory, state.cacheDependencyPath);
  if (project.goSumFiles.length === 0) return skip('no go.sum any more');
  const vouched = state.vouchedSums ?? [];
  const { key } = keyForGoSums(
    state.cacheKeyPrefix,
    state.workingDirectory,
    project.goSumFiles,
    vouched,
  );
  report.key = key;
  const goEnv = readGoEnv(state.workingDirectory, env, GO_BOUND_MS);
  const dir = downloadDir(goEnv.GOMODCACHE);
  if (!fs.existsSync(dir)) return skip(`${dir} does not exist`);

  // A matrix of jobs shares one key: learn of an existing entry before building a tar.
  const paths = [snapshotPath(goEnv.GOMODCACHE)];
  const existing = await restoreCacheEntry(paths, key, [], { lookupOnly: true });
  if (existing.matchedKey === key) return skip(`${key} is already saved`);
  if (serviceFailure()) return { ...report, outcome: 'failed', reason: existing.problem ?? '' };
  return saveTrimmed(report, { project, vouched, dir, paths, goEnv, env });
}

/** Leaves the versions go.sum no longer names out of the snapshot while it is saved. */
async function saveTrimmed(
  report: SaveReport,
  at: {
    project: Project;
    vouched: string[];
    dir: string;
    paths: string[];
    goEnv: GoEnv;
    env: NodeJS.ProcessEnv;
  },
): Promise<SaveReport> {
  const skip = (reason: string): SaveReport => ({ ...report, reason });
  const plan = planTrim(await listFiles(at.dir), withVouchedSums(at.project.modules, at.vouched));
  const stash = await stashFiles(at.dir, plan.moves);
  report.trimmedVersions = plan.versions;
  try {
    const complete = await cacheHoldsEverything(
      at.project,
      downloadGoflags(at.goEnv.GOFLAGS),
      at.env,
      GO_BOUND_MS,
    );
    if (!complete) {
      return skip(
        'the module cache does not hold everything go.sum needs (a download failed?); an incomplete snapshot is never saved under the exact key',
      );
    }
    report.bytesSaved = (await measureDownloadCache(at.goEnv.GOMODCACHE)).bytes;
    const start = Date.now();
    const saved = await saveCacheEntry(at.paths, report.key);
    report.saveMs = Date.now() - start;
    if (!saved.saved) return { ...report, outcome: 'failed', reason: saved.problem ?? '' };
    return { ...report, outcome: 'saved', reason: `${plan.versions} unused version(s) left out` };
  } finally {
    await unstashFiles(at.dir, stash);
    report.putBack = stash.moved.length;
  }
}
