import * as core from '@actions/core';
import {
  applyBuildCacheSave,
  applyCleanup,
  applyLeftovers,
  applyNothingToSave,
  applySaveFailed,
  applySnapshotSave,
  readPostState,
  readServiceFailure,
  readPostToken,
} from './action/apply-post.js';
import { deleteSuperseded } from './buildcache/delete-superseded.js';
import { saveBuildCache } from './buildcache/save-build-cache.js';
import { BUILD_CACHE_STATE, type BuildCacheState } from './buildcache/state.js';
import { stopChildrenOnCancel } from './go/cancel.js';
import { stopLeftovers } from './go/leftovers.js';
import { actionsLog } from './host/actions-log.js';
import { saveSnapshot } from './modcache/save-snapshot.js';
import { SNAPSHOT_STATE, type SnapshotState } from './modcache/state.js';

/** Post step: saves the trimmed module-cache snapshot and the used part of the build cache. */
async function run(): Promise<void> {
  const token = readPostToken();
  readServiceFailure();
  const env = process.env;
  // Before anything touches the caches: a main step killed outright (SIGKILL) leaves its go
  // commands running, holding Go's lock files.
  applyLeftovers((await stopLeftovers()).stopped);
  // Each on its own: one failing never costs the other its save, and never fails the job.
  await each('Module cache', async () => {
    const state = readPostState<SnapshotState>(SNAPSHOT_STATE);
    if (!state) return applyNothingToSave('snapshot');
    const report = await actionsLog.group('Saving the module cache snapshot', () =>
      saveSnapshot(state, env),
    );
    await applySnapshotSave(report);
  });
  await each('Build cache', async () => {
    const state = readPostState<BuildCacheState>(BUILD_CACHE_STATE);
    if (!state) return applyNothingToSave('build cache');
    const report = await actionsLog.group('Saving the build cache', () =>
      saveBuildCache(state, env, actionsLog),
    );
    await applyBuildCacheSave(report);
    await applyCleanup(await deleteSuperseded(report, token, env));
  });
}

async function each(what: string, phase: () => Promise<void>): Promise<void> {
  await phase().catch((err: unknown) => applySaveFailed(what, err));
}

stopChildrenOnCancel(core.warning);
run()
  .catch((err: unknown) => {
    // A cache must never turn a green job red.
    core.warning(`Cache save failed: ${err instanceof Error ? err.message : String(err)}`);
  })
  .finally(() => process.exit());
