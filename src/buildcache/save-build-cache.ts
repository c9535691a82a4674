import fs from 'node:fs';
import { serviceFailure } from '../cache-service/breaker.js';
import { stashFiles, unstashFiles, type Stash } from '../cache-service/files.js';
import { saveCacheEntry, whyNoSave } from '../cache-service/service.js';
import { restoreCacheEntry } from '../cache-service/restore.js';
import { discoverProject } from '../gomod/discover.js';
import { digestGoSums, readGoSums } from '../gomod/gosum-digest.js';
import type { Log } from '../host/log.js';
import { findIndexEntries, listCacheFiles } from './files.js';
import { buildCacheKeys, savedKey } from './key.js';
import { createdEntries, planSave, type SavePlan } from './plan.js';
import type { BuildCacheState } from './state.js';

/** Coarse file systems round mtimes down; entries set back are hours older than this. */
const MTIME_SLACK_MS = 2_000;

/** What the post step's summary shows of the build cache. */
export interface BuildCacheSaveReport {
  key?: string;
  /** The prefix every entry of this job and configuration starts with, whatever its go.sum. */
  keyPrefix?: string;
  outcome: 'saved' | 'skipped' | 'failed';
  reason: string;
  used: number;
  created: number;
  /** Directory indexes Go made: saved along, never a reason to save. */
  indexes: number;
  leftOut: number;
  bytesSaved: number;
  saveMs: number;
}

/**
 * Saves the entries the job used or created under a new key, leaving out the rest, or says
 * why not. Nothing in here may fail the job.
 */
export async function saveBuildCache(
  state: BuildCacheState,
  env: NodeJS.ProcessEnv,
  log: Log,
): Promise<BuildCacheSaveReport> {
  const report: BuildCacheSaveReport = {
    outcome: 'skipped',
    reason: '',
    used: 0,
    created: 0,
    indexes: 0,
    leftOut: 0,
    bytesSaved: 0,
    saveMs: 0,
  };
  const skip = (reason: string): BuildCacheSaveReport => ({ ...report, reason });
  const refused = whyNoSave(state.saveCache, env);
  if (refused) return skip(refused);

  const before = new Set(readInventory(state.inventory));
  const roots = await Promise.all(
    state.roots.map(async (r) => ({ label: r.label, files: await listCacheFiles(r.dir) })),
  );
  const since = state.since - MTIME_SLACK_MS;
  const indexes = await findIndexEntries(state.roots, createdEntries(roots, since, before));
  const plan = planSave(roots, since, before, indexes);
  Object.assign(report, {
    used: plan.used,
    created: plan.created,
    indexes: plan.indexes,
    leftOut: plan.leftOutCount,
  });
  log.info(
    `Build cache: ${plan.used} entries used, ${plan.created} created${plan.created ? ` (${plan.createdSample.join(', ')}${plan.created > 5 ? ', …' : ''})` : ''}${plan.indexes ? `, ${plan.indexes} directory-index entries` : ''}, ${plan.leftOutCount} left out`,
  );
  if (plan.created === 0) {
    return skip(
      plan.used === 0
        ? 'the job used no build-cache entry'
        : 'nothing new: the job used only entries it restored',
    );
  }
  return saveKept(state, report, plan);
}

/** Saves what the plan keeps under a key for the go.sum files as they are now. */
async function saveKept(
  state: BuildCacheState,
  report: BuildCacheSaveReport,
  plan: SavePlan,
): Promise<BuildCacheSaveReport> {
  const skip = (reason: string): BuildCacheSaveReport => ({ ...report, reason });
  // go.sum may have changed during the job (go get, go mod tidy): key what is there now.
  const project = await discoverProject(state.workingDirectory, state.cacheDependencyPath);
  const goSums = digestGoSums(readGoSums(state.workingDirectory, project.goSumFiles));
  const keys = buildCacheKeys({ ...state.keyParts, goSums });
  const key = savedKey(keys, plan.kept);
  report.key = key;
  report.keyPrefix = keys.restoreKeys[1];
  const paths = state.roots.map((r) => r.archivePath);
  // Jobs that built the same entries agree on the key: learn of it before building a tar.
  const existing = await restoreCacheEntry(paths, key, [], { lookupOnly: true });
  if (existing.matchedKey === key) return skip(`${key} is already saved`);
  if (serviceFailure()) return { ...report, outcome: 'failed', reason: existing.problem ?? '' };

  const stashes: { dir: string; stash: Stash }[] = [];
  try {
    for (const r of state.roots) {
      stashes.push({ dir: r.dir, stash: await stashFiles(r.dir, plan.leftOut.get(r.label) ?? []) });
    }
    report.bytesSaved = plan.keptBytes;
    const start = Date.now();
    // The path list is part of the entry's version: a root the job never wrote still goes in.
    for (const r of state.roots) fs.mkdirSync(r.dir, { recursive: true });
    const saved = await saveCacheEntry(paths, key);
    report.saveMs = Date.now() - start;
    if (!saved.saved) return { ...report, outcome: 'failed', reason: saved.problem ?? '' };
    return { ...report, outcome: 'saved', reason: `${plan.leftOutCount} unused entries left out` };
  } finally {
    for (const { dir, stash } of stashes) await unstashFiles(dir, stash);
  }
}

function readInventory(file: string): string[] {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}
