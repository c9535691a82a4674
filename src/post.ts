import * as core from '@actions/core';
import { savePhase } from './modcache/save-phase.js';
import { STATE_NAME, type SnapshotState } from './modcache/state.js';
import { renderSaveSummary } from './report.js';

/** Post step: saves the trimmed module-cache snapshot, or says why not. */
async function run(): Promise<void> {
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

run()
  .catch((err: unknown) => {
    // A cache must never turn a green job red.
    core.warning(`Module cache save failed: ${err instanceof Error ? err.message : String(err)}`);
  })
  .finally(() => process.exit());
