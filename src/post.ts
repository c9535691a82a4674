import * as core from '@actions/core';
import { saveBuildCache } from './buildcache/save-phase.js';
import { BUILD_CACHE_STATE, type BuildCacheState } from './buildcache/state.js';
import { stopChildrenOnCancel } from './go/cancel.js';
import { stopLeftovers } from './go/leftovers.js';
import { savePhase } from './modcache/save-phase.js';
import { STATE_NAME, type SnapshotState } from './modcache/state.js';
import { renderBuildCacheSaveSummary, renderSaveSummary } from './action/render-save-summary.js';

/** Post step: saves the trimmed module-cache snapshot and the used part of the build cache. */
async function run(): Promise<void> {
  // Before anything touches the caches: a main step killed outright (SIGKILL) leaves its go
  // commands running, holding Go's lock files.
  const { stopped } = await stopLeftovers();
  if (stopped.length > 0) {
    core.info(
      `Stopped ${stopped.length} go process group(s) left behind by the main step: ${stopped.map((c) => c.command).join('; ')}`,
    );
  }
  // Each on its own: one failing never costs the other its save, and never fails the job.
  for (const [what, save] of [
    ['Module cache', saveSnapshot],
    ['Build cache', saveBuild],
  ] as const) {
    await save().catch((err: unknown) => {
      core.warning(`${what} save failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  }
}

async function saveSnapshot(): Promise<void> {
  const raw = core.getState(STATE_NAME);
  if (!raw) {
    core.info('No module cache snapshot to save (caching was off or skipped).');
    return;
  }
  const report = await core.group('Saving the module cache snapshot', () =>
    savePhase(JSON.parse(raw) as SnapshotState),
  );
  note(`Module cache snapshot ${report.key}`, report);
  await core.summary.addRaw(renderSaveSummary(report)).write();
}

async function saveBuild(): Promise<void> {
  const raw = core.getState(BUILD_CACHE_STATE);
  if (!raw) {
    core.info('No build cache to save (build-cache was off or skipped).');
    return;
  }
  const report = await core.group('Saving the build cache', () =>
    saveBuildCache(JSON.parse(raw) as BuildCacheState),
  );
  note(`Build cache ${report.key ?? ''}`.trim(), report);
  await core.summary.addRaw(renderBuildCacheSaveSummary(report)).write();
}

function note(what: string, r: { outcome: string; reason: string }): void {
  const line = `${what}: ${r.outcome}${r.reason ? ` (${r.reason})` : ''}`;
  if (r.outcome === 'failed') core.warning(line);
  else core.info(line);
}

stopChildrenOnCancel(core.warning);
run()
  .catch((err: unknown) => {
    // A cache must never turn a green job red.
    core.warning(`Cache save failed: ${err instanceof Error ? err.message : String(err)}`);
  })
  .finally(() => process.exit());
