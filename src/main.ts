import * as core from '@actions/core';
import { exportSettings, type Exports } from './exports.js';
import { stopChildrenOnCancel } from './go/cancel.js';
import { downloadGoflags } from './go/env.js';
import { findProject, setUpJob } from './job-setup.js';
import { mirrorsPhase } from './mirrors-phase.js';
import { restorePhase } from './modcache/restore-phase.js';
import { cacheHoldsEverything } from './prefetch.js';
import { renderSummary, type RunReport } from './report.js';
import { installTools } from './tools/install-phase.js';

/** Main step: inputs → snapshot restore → mirrors, chain and prefetch → tools → summary. */
async function run(): Promise<void> {
  const { config, goEnv, job, gotoolchain, notes } = setUpJob();
  const project = await findProject(config);

  const report: RunReport = {
    probed: [],
    direct: config.direct,
    goprivate: config.goprivate,
    notes: [...notes],
  };
  const exports: Exports = { job, wanted: {} };
  try {
    const goflags = downloadGoflags(goEnv.GOFLAGS);
    report.cache = await restorePhase(config, project, goEnv.GOMODCACHE, () =>
      cacheHoldsEverything(project, goflags, process.env),
    );
    await mirrorsPhase(config, goEnv, project, report, exports, gotoolchain);
    await installTools(config, goEnv, (report.tools = []));
  } finally {
    report.notes.push(...exportSettings(exports));
    await core.summary.addRaw(renderSummary(report)).write();
  }
}

stopChildrenOnCancel(core.setFailed);
run()
  .catch((err: unknown) => {
    core.setFailed(err instanceof Error ? err.message : String(err));
  })
  // An abandoned cache restore may still hold a socket open; the step is done.
  .finally(() => process.exit());
