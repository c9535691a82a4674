import { MainApplier } from './apply-main.js';
import {
  decideLateVerdicts,
  decideMirrors,
  decideSumdb,
  offlineCheckNeeded,
} from './decide-mirrors.js';
import { decideAfterPrefetch, decidePrefetch } from './decide-prefetch.js';
import type { JobSetup } from './set-up-job.js';
import { restoreBuildCache } from '../buildcache/restore-build-cache.js';
import type { OfflineBundle } from '../bundle/offline-bundle.js';
import type { JobConfig } from '../config/types.js';
import type { GoEnv } from '../go/env.js';
import { cacheHoldsEverything } from '../go/holds-everything.js';
import type { Project } from '../gomod/discover.js';
import { detectVendoring } from '../gomod/vendor.js';
import { actionsLog } from '../host/actions-log.js';
import { downloadDir } from '../modcache/layout.js';
import { planSnapshot, restoreSnapshot } from '../modcache/restore-snapshot.js';
import { prefetchLimits } from '../prefetch/limits.js';
import { prefetch } from '../prefetch/prefetch.js';
import { prefetchPlan } from '../prefetch/plan.js';
import { switchToolchain } from '../prefetch/switch-toolchain.js';
import type { Chain } from '../proxy/chain.js';
import { chainToExport } from '../proxy/choose-chain.js';
import { foldLateVerdicts, judgeProbes } from '../proxy/judge-probes.js';
import type { Probed, ProbeRun } from '../proxy/probe-types.js';
import { reprober } from '../proxy/reprober.js';
import { describeTarget, startProbes } from '../proxy/start-probes.js';
import type { SumdbChoice } from '../proxy/sumdb.js';
import { vouchedSums } from '../tools/govulncheck-pins.js';

/**
 * The main step's phases after the setup, each followed by the applier's turn: what they found
 * becomes exports, outputs, state and log lines before the next phase starts.
 */

/** What every phase after the setup works from. */
export interface Job {
  config: JobConfig;
  project: Project;
  setup: JobSetup;
  goEnv: GoEnv;
  goflags: string;
  bundle?: OfflineBundle;
  apply: MainApplier;
}

/** Both wait on the cache service; the snapshot's verification runs while the build cache downloads. */
export async function restoreCaches(job: Job): Promise<{ probes: ProbeRun; cacheHit: boolean }> {
  const { config, project, goEnv, apply } = job;
  const vouched = vouchedSums(config.govulncheck);
  const plan = planSnapshot(config, project, vouched);
  apply.snapshotPlanned(plan);
  // The probes pick the smallest module of the snapshot, so they start once it is extracted
  // and then wait on the network while it is verified.
  let probes: ProbeRun | undefined;
  const startProbing = (dir: string): ProbeRun => (probes ??= startProbes(config, project, dir));
  const env = apply.goEnv();
  const [snapshot, build] = await actionsLog.group('Restoring the caches', () =>
    Promise.all([
      restoreSnapshot(plan, {
        project,
        vouched,
        gomodcache: goEnv.GOMODCACHE,
        isComplete: () => cacheHoldsEverything(project, job.goflags, env),
        log: actionsLog,
        extracted: startProbing,
      }),
      restoreBuildCache(config, project, goEnv, actionsLog, env),
    ]),
  );
  apply.restored(snapshot, build);
  return { probes: startProbing(downloadDir(goEnv.GOMODCACHE)), cacheHit: snapshot.report.hit };
}

/**
 * Judges the probes started earlier, exports the chain and the checksum database, fetches a
 * toolchain that go.mod asks for, and prefetches the modules under the watchdog. Returns Go as
 * the later phases run it.
 */
export async function mirrorsAndPrefetch(
  job: Job,
  probes: ProbeRun,
  cacheHit: boolean,
): Promise<GoEnv> {
  const { config, project, apply } = job;
  apply.probing(describeTarget(probes.targets));
  // Builds that read vendor/ download nothing, nor does a job whose snapshot holds everything:
  // no mirror is worth waiting for then, though a later `go get` still uses the exported chain.
  const vendoring = detectVendoring(project.moduleDirs, project.workspaceDir, job.goEnv.GOFLAGS);
  const nothingToDownload = vendoring.all || cacheHit;
  const judged = await judgeProbes(config, probes, actionsLog, { hedge: true, nothingToDownload });
  apply.probed(judged.result);
  const outcome = chainToExport(config, judged, cacheHit);
  const { sumdb } = outcome;
  apply.sumdb(decideSumdb(config, outcome, project.modules.length));
  const holdsEverything =
    offlineCheckNeeded(outcome, vendoring, cacheHit) &&
    (await cacheHoldsEverything(project, job.goflags, apply.goEnv()));
  const facts = { config, probed: judged, outcome, vendoring, cacheHit, holdsEverything };
  const decision = decideMirrors(facts);
  apply.mirrors(decision);
  if (decision.error !== undefined) throw new Error(decision.error);
  if (decision.end === 'vendored') return job.goEnv;
  let goEnv = job.goEnv;
  let settled: { probed: Probed; chain?: Chain } = { probed: judged, chain: decision.chain };
  if (decision.end === 'continue' && decision.chain) {
    const chain = decision.chain;
    const switched = await fetchToolchain(job, chain, sumdb);
    if (switched) goEnv = { ...goEnv, GOVERSION: switched };
    const step = decidePrefetch(config, project, vendoring, cacheHit);
    apply.prefetchSkipped(step);
    if (step.run)
      settled = await prefetchModules(
        job,
        probes,
        step.moduleDirs,
        { probed: judged, chain },
        sumdb,
      );
  }
  const folded = foldLateVerdicts(probes, settled.probed);
  const current = { chain: settled.chain, sumdb };
  apply.lateVerdicts(decideLateVerdicts(config, settled.probed, folded, current, cacheHit));
  return goEnv;
}

/** Returns the `go version` of a toolchain fetched for go.mod, if one was. */
async function fetchToolchain(
  job: Job,
  chain: Chain,
  sumdb: SumdbChoice,
): Promise<string | undefined> {
  const switched = await switchToolchain(job.project, job.goEnv, job.setup.gotoolchain, {
    chain,
    gosumdb: sumdb.value,
    limits: prefetchLimits(job.config.probeTimeoutMs),
    env: job.apply.goEnv(),
    log: actionsLog,
  });
  job.apply.toolchain(switched);
  return switched?.goversion;
}

async function prefetchModules(
  job: Job,
  probes: ProbeRun,
  moduleDirs: string[],
  judged: { probed: Probed; chain: Chain },
  sumdb: SumdbChoice,
): Promise<{ probed: Probed; chain: Chain }> {
  const { config, project, apply } = job;
  const start = Date.now();
  const plan = prefetchPlan(
    config,
    { ...project, moduleDirs },
    {
      gomodcache: job.goEnv.GOMODCACHE,
      goflags: job.goflags,
      gosumdb: sumdb.value,
      baseEnv: apply.goEnv(),
    },
  );
  const result = await actionsLog.group('Prefetching modules (go mod download)', () =>
    prefetch(plan, judged.probed.result, reprober(config, probes, { hedge: true }), actionsLog),
  );
  const after = decideAfterPrefetch(result, judged.chain, Date.now() - start);
  apply.prefetched(after, result.probed);
  if (after.error !== undefined) throw new Error(after.error);
  return { probed: { ...judged.probed, result: result.probed }, chain: after.chain };
}
