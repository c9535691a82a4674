import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cacheMode, cacheServiceAvailable, whyNeverSaved } from '../cache-service/service.js';
import { restoreCacheEntry } from '../cache-service/restore.js';
import type { Config } from '../config/types.js';
import type { Project } from '../gomod/discover.js';
import { digestGoSums, readGoSums } from '../gomod/gosum-digest.js';
import type { GoEnv } from '../go/env.js';
import type { Log } from '../host/log.js';
import { runnerPlatform, runnerTemp } from '../util/runner.js';
import { ageEntries } from './files.js';
import { buildCacheKeys, sameGoSums, type BuildCacheKeyParts, type BuildCacheKeys } from './key.js';
import { buildCacheRoots, type CacheRoot } from './roots.js';
import type { BuildCacheState } from './state.js';

/** What the summary shows of the build-cache restore. */
export interface BuildCacheRestoreReport {
  /** The prefix every key of this job shares, shown when the build cache is on. */
  prefix?: string;
  matchedKey?: string;
  /** The entry restored was saved for the same go.sum files. */
  hit: boolean;
  filesRestored: number;
  bytesRestored: number;
  restoreMs: number;
  /** Entries present once restored, the runner's own included; not counted when nothing can be saved. */
  entries?: number;
  /** Why nothing was restored, when that was not a plain miss. */
  note?: string;
}

/** What the restore found, and what the post step gets to work from (none when off). */
export interface BuildCacheRestore {
  report: BuildCacheRestoreReport;
  state?: BuildCacheState;
}

/**
 * Restores the newest build cache of this job, then sets every restored entry back past Go's
 * refresh interval, so that the post step can tell what the job used. Never fails the job.
 */
export async function restoreBuildCache(
  config: Config,
  project: Project,
  goEnv: GoEnv,
  log: Log,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BuildCacheRestore> {
  const report: BuildCacheRestoreReport = {
    hit: false,
    filesRestored: 0,
    bytesRestored: 0,
    restoreMs: 0,
  };
  if (!config.buildCache) {
    const note = `disabled (${config.cache ? 'build-cache' : 'cache'}: false)`;
    return { report: { ...report, note } };
  }
  if (!goEnv.GOCACHE || goEnv.GOCACHE === 'off') {
    return { report: { ...report, note: 'GOCACHE is off: Go keeps no build cache' } };
  }

  const runner = runnerPlatform();
  const keyParts: Omit<BuildCacheKeyParts, 'goSums'> = {
    os: runner.os,
    arch: runner.arch,
    goversion: goEnv.GOVERSION,
    job: env.GITHUB_JOB ?? '',
    suffix: config.buildCacheKeySuffix,
  };
  const goSums = digestGoSums(readGoSums(config.workingDirectory, project.goSumFiles));
  const keys = buildCacheKeys({ ...keyParts, goSums });
  const roots = buildCacheRoots(goEnv.GOCACHE, config.golangciLint !== undefined, env);
  report.prefix = keys.restoreKeys[1];

  if (!cacheServiceAvailable()) report.note = 'no cache service on this runner';
  else if (!cacheMode().readable) {
    report.note = `restore skipped: ACTIONS_CACHE_MODE=${cacheMode().mode}`;
  } else await restoreEntry(keys, roots, report, log);

  const since = Date.now();
  const inventory = await takeInventory(config, roots, since, report);
  const state: BuildCacheState = {
    roots,
    keyParts,
    since,
    inventory,
    matchedKey: report.matchedKey,
    saveCache: config.saveCache,
    workingDirectory: config.workingDirectory,
    cacheDependencyPath: config.cacheDependencyPath,
  };
  return { report, state };
}

async function restoreEntry(
  keys: BuildCacheKeys,
  roots: CacheRoot[],
  report: BuildCacheRestoreReport,
  log: Log,
): Promise<void> {
  const start = Date.now();
  const outcome = await restoreCacheEntry(
    roots.map((r) => r.archivePath),
    keys.primary,
    keys.restoreKeys,
  );
  report.restoreMs = Date.now() - start;
  report.matchedKey = outcome.matchedKey;
  report.hit = sameGoSums(keys, outcome.matchedKey);
  report.filesRestored = outcome.adopted?.files ?? 0;
  report.bytesRestored = outcome.adopted?.bytes ?? 0;
  if (outcome.problem || outcome.discarded) {
    const why = outcome.problem ?? 'the archive could not be extracted (corrupt or truncated)';
    report.note = `restore ${outcome.skipped ? 'skipped' : 'failed'}: ${why}`;
    if (outcome.skipped) log.info(`Build cache ${report.note}`);
    else
      log.warning(
        `Build cache restore failed, going on without it: ${why}. Go will rebuild what it needs.`,
      );
  }
  log.info(
    outcome.matchedKey
      ? `Build cache restored from ${outcome.matchedKey}: ${report.filesRestored} file(s) in ${report.restoreMs} ms`
      : `No build cache for ${keys.restoreKeys[1]}*`,
  );
}

/** Writes the list of entries there before the job's steps, for the post step; returns its path. */
async function takeInventory(
  config: Config,
  roots: CacheRoot[],
  since: number,
  report: BuildCacheRestoreReport,
): Promise<string> {
  // One pass over restored entries and the runner's own alike: both count as there before
  // the job, so using them is not "something new". An archive keeps the mtimes of the job that
  // saved it, all before `since`; only those recent enough for Go not to touch need setting back.
  // The pass only serves the post step's save: when none can happen it is skipped, since a
  // self-hosted runner's long-lived GOCACHE can hold hundreds of thousands of files.
  const inventory: string[] = [];
  const noSave = whyNeverSaved(config.saveCache);
  if (noSave) {
    report.note ??= `nothing will be saved (${noSave}), so entries were not counted`;
  } else {
    for (const r of roots) {
      for (const rel of await ageEntries(r.dir, since)) inventory.push(`${r.label}/${rel}`);
    }
    report.entries = inventory.length;
  }
  const inventoryFile = path.join(
    runnerTemp(),
    `go-resilient-setup-build-cache-${randomUUID()}.txt`,
  );
  fs.writeFileSync(inventoryFile, inventory.join('\n'));
  return inventoryFile;
}
