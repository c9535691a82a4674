import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { cacheMode, cacheServiceAvailable, whyNeverSaved } from '../cache-service/service.js';
import { restoreCacheEntry } from '../cache-service/restore.js';
import type { Config } from '../config/types.js';
import type { Project } from '../gomod/discover.js';
import { digestGoSums, readGoSums } from '../gomod/gosum-digest.js';
import type { GoEnv } from '../go/env.js';
import { runnerPlatform, runnerTemp } from '../util/runner.js';
import { ageEntries } from './files.js';
import { buildCacheKeys, sameGoSums, type BuildCacheKeyParts } from './key.js';
import { buildCacheRoots } from './roots.js';
import { BUILD_CACHE_STATE, type BuildCacheState } from './state.js';

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

/**
 * Restores the newest build cache of this job, then sets every restored entry back past Go's
 * refresh interval, so that the post step can tell what the job used. Never fails the job.
 */
export async function restoreBuildCache(
  config: Config,
  project: Project,
  goEnv: GoEnv,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BuildCacheRestoreReport> {
  const report: BuildCacheRestoreReport = {
    hit: false,
    filesRestored: 0,
    bytesRestored: 0,
    restoreMs: 0,
  };
  const finish = (r: BuildCacheRestoreReport): BuildCacheRestoreReport => {
    core.setOutput('build-cache-hit', String(r.hit));
    core.setOutput('build-cache-matched-key', r.matchedKey ?? '');
    return r;
  };
  if (!config.buildCache) {
    return finish({
      ...report,
      note: `disabled (${config.cache ? 'build-cache' : 'cache'}: false)`,
    });
  }
  if (!goEnv.GOCACHE || goEnv.GOCACHE === 'off') {
    return finish({ ...report, note: 'GOCACHE is off: Go keeps no build cache' });
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
  } else {
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
      if (outcome.skipped) core.info(`Build cache ${report.note}`);
      else
        core.warning(
          `Build cache restore failed, going on without it: ${why}. Go will rebuild what it needs.`,
        );
    }
    core.info(
      outcome.matchedKey
        ? `Build cache restored from ${outcome.matchedKey}: ${report.filesRestored} file(s) in ${report.restoreMs} ms`
        : `No build cache for ${keys.restoreKeys[1]}*`,
    );
  }

  // One pass over restored entries and the runner's own alike: both count as there before
  // the job, so using them is not "something new". An archive keeps the mtimes of the job that
  // saved it, all before `since`; only those recent enough for Go not to touch need setting back.
  // The pass only serves the post step's save: when none can happen it is skipped, since a
  // self-hosted runner's long-lived GOCACHE can hold hundreds of thousands of files.
  const since = Date.now();
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

  const state: BuildCacheState = {
    roots,
    keyParts,
    since,
    inventory: inventoryFile,
    matchedKey: report.matchedKey,
    saveCache: config.saveCache,
    workingDirectory: config.workingDirectory,
    cacheDependencyPath: config.cacheDependencyPath,
  };
  core.saveState(BUILD_CACHE_STATE, JSON.stringify(state));
  return finish(report);
}
