import * as core from '@actions/core';
import { stopChildrenOnCancel } from './go/cancel.js';
import { stopLeftovers } from './go/leftovers.js';
import { savePhase } from './modcache/save-phase.js';
import { STATE_NAME, type SnapshotState } from './modcache/state.js';
import { renderSaveSummary } from './report.js';

/** Post step: saves the trimmed module-cache snapshot, or says why not. */
async function run(): Promise<void> {
  // Before anything touches the module cache: a main step killed outright (SIGKILL) leaves
  // its go commands running, holding Go's lock files.
  const { stopped } = await stopLeftovers();
  if (stopped.length > 0) {
    core.info(
      `Stopped ${stopped.length} go process group(s) left behind by the main step: ${stopped.map((c) => c.command).join('; ')}`,
    );
  }
  const raw = core.getState(STATE_NAME);
  if (!raw) {
    core.info('No module cache snapshot to save (caching was off or skipped).');
    return;
  }
  const report = await core.group('Saving the module cache snapshot', () =>
    savePhase(JSON.parse(raw) as SnapshotState),
  );
  const line = `Module cache snapshot ${report.key}: ${report.outcome}${report.reason ? ` (${report.reason})` : ''}`;
  if (report.outcome === 'failed') core.warning(line);
  else core.info(line);
  await core.summary.addRaw(renderSaveSummary(report)).write();
}

stopChildrenOnCancel(core.warning);
run()
  .catch((err: unknown) => {
    // A cache must never turn a green job red.
    core.warning(`Module cache save failed: ${err instanceof Error ? err.message : String(err)}`);
  })
  .finally(() => process.exit());
