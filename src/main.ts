import * as core from '@actions/core';
import { restoreBuildCache } from './buildcache/restore-phase.js';
import { exportSettings, type Exports } from './exports.js';
import { stopChildrenOnCancel } from './go/cancel.js';
import { downloadGoflags } from './go/env.js';
import { actionsLog } from './host/actions-log.js';
import { findProject, setUpJob } from './job-setup.js';
import { mirrorsPhase } from './mirrors-phase.js';
import { openOfflineBundle } from './offline/bundle-phase.js';
import { withBundleMirror } from './proxy/chain.js';
import { downloadDir } from './modcache/layout.js';
import { restorePhase } from './modcache/restore-phase.js';
import { startProbes, type ProbeRun } from './probe-phase.js';
import { cacheHoldsEverything } from './prefetch.js';
import { renderSummary, type RunReport } from './report.js';
import { installTools } from './tools/install-phase.js';
import { vouchedSums } from './tools/govulncheck-pins.js';

/**
 * Main step: inputs → offline bundle → snapshot and build-cache restore, with the probes started once the
 * snapshot is extracted → chain and prefetch → tools → summary.
 */
async function run(): Promise<void> {
  const setup = setUpJob();
  const { goEnv, job, gotoolchain, notes } = setup;
  const project = await findProject(setup.config, actionsLog);
  // Verified before anything else runs: a bad bundle fails the step before it is used.
  const bundle = await openOfflineBundle(setup.config, project, actionsLog);
  const config = bundle
    ? { ...setup.config, mirrors: withBundleMirror(setup.config.mirrors, bundle.mirror) }
    : setup.config;

  const report: RunReport = {
    probed: [],
    direct: config.direct,
    goprivate: config.goprivate,
    notes: [...notes],
    ...(bundle && { bundle: bundle.report }),
  };
  const exports: Exports = { job, wanted: {} };
  try {
    const goflags = downloadGoflags(goEnv.GOFLAGS);
    // The probes pick the smallest module of the snapshot, so they start once it is extracted
    // and then wait on the network while it is verified.
    let probes: ProbeRun | undefined;
    const startProbing = (dir: string): ProbeRun => (probes ??= startProbes(config, project, dir));
    // Both wait on the cache service; the snapshot's verification runs while the build cache downloads.
    [report.cache, report.buildCache] = await core.group('Restoring the caches', () =>
      Promise.all([
        restorePhase(
          config,
          project,
          vouchedSums(config.govulncheck),
          goEnv.GOMODCACHE,
          () => cacheHoldsEverything(project, goflags, process.env),
          startProbing,
        ),
        restoreBuildCache(config, project, goEnv),
      ]),
    );
    const probing = startProbing(downloadDir(goEnv.GOMODCACHE));
    await mirrorsPhase(config, goEnv, project, report, exports, gotoolchain, probing);
    await installTools(config, goEnv, (report.tools = []), bundle);
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
