import * as core from '@actions/core';
import { MainApplier } from './action/apply-main.js';
import { mirrorsAndPrefetch, restoreCaches, type Job } from './action/main-phases.js';
import { readRawInputs } from './action/read-inputs.js';
import { resolveJobTools, setUpJob } from './action/set-up-job.js';
import { openOfflineBundle } from './bundle/open-bundle.js';
import { stopChildrenOnCancel } from './go/cancel.js';
import { downloadGoflags } from './go/env.js';
import { findProject } from './gomod/find-project.js';
import { actionsLog } from './host/actions-log.js';
import { withBundleMirror } from './proxy/chain.js';
import { installTools } from './tools/install-tools.js';

/**
 * Main step: inputs → offline bundle → snapshot and build-cache restore, with the probes started once the
 * snapshot is extracted → chain and prefetch → tools → summary. Each phase returns what it found;
 * the applier turns it into exports, outputs, state and log lines before the next phase starts.
 */
async function run(): Promise<void> {
  const apply = new MainApplier();
  const setup = setUpJob(readRawInputs(), process.env, apply.registerSecrets);
  apply.setUp(setup);
  const resolved = resolveJobTools(setup);
  apply.note(resolved.note);
  const project = await findProject(resolved.config, actionsLog);
  // Verified before anything else runs: a bad bundle fails the step before it is used.
  const bundle = await openOfflineBundle(resolved.config, project, actionsLog);
  const config = bundle
    ? { ...resolved.config, mirrors: withBundleMirror(resolved.config.mirrors, bundle.mirror) }
    : resolved.config;
  apply.started(config, bundle);
  const goflags = downloadGoflags(setup.goEnv.GOFLAGS);
  const job: Job = { config, project, setup, goEnv: setup.goEnv, goflags, bundle, apply };
  try {
    const { probes, cacheHit } = await restoreCaches(job);
    job.goEnv = await mirrorsAndPrefetch(job, probes, cacheHit);
    const tools = await installTools(config, {
      goversion: job.goEnv.GOVERSION,
      env: apply.goEnv(),
      log: actionsLog,
      bundle,
    });
    apply.tools(tools);
    if (tools.failure !== undefined) throw tools.failure;
  } finally {
    await apply.finish();
  }
}

stopChildrenOnCancel(core.setFailed);
run()
  .catch((err: unknown) => {
    core.setFailed(err instanceof Error ? err.message : String(err));
  })
  // An abandoned cache restore may still hold a socket open; the step is done.
  .finally(() => process.exit());
