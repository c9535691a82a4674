import * as core from '@actions/core';
import type { Config } from './config/types.js';
import { exportChain, exportEnv, type Exports } from './exports.js';
import type { Project } from './gomod/discover.js';
import { detectVendoring } from './gomod/vendor.js';
import { downloadGoflags, type GoEnv } from './go/env.js';
import {
  allowsDownload,
  explicitToolchain,
  fetchToolchain,
  installedGoTooOld,
  newerToolchainNeeded,
  readGoModFiles,
} from './go/toolchain.js';
import {
  cacheHoldsEverything,
  prefetch,
  prefetchLimits,
  type PrefetchLimits,
  type PrefetchPlan,
} from './prefetch.js';
import { actionsLog } from './host/actions-log.js';
import {
  chooseChain,
  describeTarget,
  foldLateVerdicts,
  judgeProbes,
  reprober,
  type Outcome,
  type ProbeRun,
  type Probed,
} from './probe-phase.js';
import { buildChain, type Chain } from './proxy/chain.js';
import { describeGoErrors, describeMirrors, type RunReport } from './report.js';

/** Go toolchains are about 70 MB; a stall is caught much sooner by the watchdog. */
const TOOLCHAIN_DEADLINE_MS = 10 * 60_000;

/**
 * Judges the probes started earlier, exports the chain and the checksum database, fetches a toolchain that
 * go.mod asks for, and prefetches the modules under the watchdog.
 */
export async function mirrorsPhase(
  config: Config,
  goEnv: GoEnv,
  project: Project,
  report: RunReport,
  exports: Exports,
  gotoolchain: string,
  probes: ProbeRun,
): Promise<void> {
  report.probeTarget = describeTarget(probes.targets);
  // Builds that read vendor/ download nothing, nor does a job whose snapshot holds everything:
  // no mirror is worth waiting for then, though a later `go get` still uses the exported chain.
  const vendoring = detectVendoring(project.moduleDirs, project.workspaceDir, goEnv.GOFLAGS);
  const nothingToDownload = vendoring.all || report.cache?.hit === true;
  let probed = await judgeProbes(config, probes, actionsLog, { hedge: true, nothingToDownload });
  report.probed = probed.result;

  const plan: PrefetchPlan = {
    project,
    // The action's own downloads keep every path the job marks private away from public mirrors.
    goprivate: config.noPublic,
    gosumdb: '',
    gomodcache: goEnv.GOMODCACHE,
    goflags: downloadGoflags(goEnv.GOFLAGS),
    direct: config.direct,
    limits: prefetchLimits(config.probeTimeoutMs),
    baseEnv: process.env,
  };

  const outcome = chainToExport(config, probed, report);
  let chain = outcome.chain;
  const { sumdb } = outcome;
  plan.gosumdb = sumdb.value;
  report.sumdb = sumdb;
  if (sumdb.warning && project.modules.length > 0) core.warning(sumdb.warning);
  exportEnv(exports, 'GOSUMDB', sumdb.value);
  exportEnv(exports, 'GOPRIVATE', config.goprivate || undefined);

  if (vendoring.all) {
    const note = `Vendored project (${vendoring.reason}): builds read vendor/, so the prefetch was skipped and no mirror is required.`;
    core.info(note);
    report.notes.push(note);
    report.prefetch = { enabled: config.prefetch, attempts: [], skipped: 'vendored project' };
    if (!chain) {
      // Nothing answered now; the user's own list is the best guess for a later `go get`.
      chain = buildChain(
        probed.result.map((p) => ({ ...p, health: { ...p.health, verdict: 'healthy' } })),
        config.direct,
      );
      const warning = `No mirror is usable; GOPROXY is your mirrors as given, for a later go get. Builds of this vendored project do not need it.\n${describeMirrors(probed.result)}`;
      core.warning(warning);
      report.notes.push(warning.split('\n')[0]);
      exportChain(chain, report, exports);
      core.setOutput('healthy-mirrors', '');
      return;
    }
  }

  if (!chain) {
    const mirrors = describeMirrors(probed.result);
    // cache-hit means Go already found every module in the snapshot, offline.
    if (
      report.cache?.hit ||
      (await cacheHoldsEverything(plan.project, plan.goflags, plan.baseEnv))
    ) {
      const note = `No mirror is usable, but the module cache already holds everything go.sum needs; GOPROXY=off so a missing module fails fast instead of hanging.\n${mirrors}`;
      core.warning(note);
      report.notes.push(note.split('\n')[0]);
      exportChain(undefined, report, exports);
      exportLateVerdicts(config, probes, probed, undefined, report, exports);
      return;
    }
    throw new Error(`No usable GOPROXY mirror:\n${mirrors}`);
  }
  exportChain(chain, report, exports);
  await switchToolchain(project, goEnv, gotoolchain, chain, sumdb.value, plan.limits, report);

  const toFetch = vendoring.all
    ? []
    : project.moduleDirs.filter((d) => !vendoring.dirs.includes(d));
  if (config.prefetch && toFetch.length > 0 && report.cache?.hit) {
    // cache-hit means Go itself found every module offline: a download would fetch nothing.
    const why = 'cache-hit: Go found every module in the restored snapshot, offline';
    core.info(`Prefetch skipped (${why}).`);
    report.prefetch = { enabled: true, attempts: [], skipped: why };
  } else if (config.prefetch && toFetch.length > 0) {
    const start = Date.now();
    const result = await core.group('Prefetching modules (go mod download)', () =>
      prefetch(
        { ...plan, project: { ...project, moduleDirs: toFetch } },
        probed.result,
        reprober(config, probes, { hedge: true }),
        actionsLog,
      ),
    );
    probed = { ...probed, result: result.probed };
    report.probed = result.probed;
    report.prefetch = {
      enabled: true,
      ok: result.ok,
      attempts: result.attempts,
      durationMs: Date.now() - start,
    };
    if (result.chain) chain = result.chain;
    exportChain(chain, report, exports);
    if (!result.ok) {
      const missing = result.failures.map((f) => `  - ${f.module}@${f.version}: ${f.message}`);
      throw new Error(
        [
          `go mod download failed after ${result.attempts.length} attempt(s)${result.stopped ? ` (not retried: ${result.stopped})` : ''}.`,
          describeGoErrors(result.goErrors),
          missing.length > 0 ? `Could not fetch:\n${[...new Set(missing)].join('\n')}` : '',
          `Mirrors:\n${describeMirrors(result.probed)}`,
        ]
          .filter(Boolean)
          .join('\n'),
      );
    }
  }
  exportLateVerdicts(config, probes, probed, chain, report, exports);
}

/**
 * The chain and checksum database the judged mirrors add up to. With a complete snapshot
 * nothing is downloaded, so mirrors that have not answered yet are not worth a place on their
 * own: the chain is then made of the ones that did (or none, and GOPROXY=off fails fast).
 */
function chainToExport(config: Config, probed: Probed, report: RunReport): Outcome {
  const outcome = chooseChain(config, probed);
  const chain = outcome.chain;
  if (!report.cache?.hit || !chain || chain.members.some((m) => !m.health.pending)) {
    return outcome;
  }
  const answered = probed.result.filter((p) => !p.health.pending);
  return { ...outcome, chain: buildChain(answered, config.direct) };
}

/**
 * The export later steps get, made when the main step is done with the mirrors: verdicts that
 * came in meanwhile for mirrors cut off by the grace are folded in. A late pass joins the chain
 * behind the mirrors that answered in time; a late failure leaves it; a mirror still probing
 * stays where it was put.
 */
function exportLateVerdicts(
  config: Config,
  probes: ProbeRun,
  judged: Probed,
  chain: Chain | undefined,
  report: RunReport,
  exports: Exports,
): void {
  const probed = foldLateVerdicts(probes, judged);
  const changed = probed.result.some((p, i) => p.health !== judged.result[i].health);
  if (changed) {
    report.probed = probed.result;
    const outcome = chainToExport(config, probed, report);
    const next = outcome.chain;
    if (next && next.display !== chain?.display) {
      core.info(`Verdicts that came in late change GOPROXY to ${next.display}`);
      exportChain(next, report, exports);
      chain = next;
    }
    if (outcome.sumdb.value !== report.sumdb?.value || outcome.sumdb.via !== report.sumdb.via) {
      report.sumdb = outcome.sumdb;
      exportEnv(exports, 'GOSUMDB', outcome.sumdb.value);
    }
  }
  core.setOutput(
    'healthy-mirrors',
    (chain?.members ?? [])
      .filter((m) => !m.health.pending)
      .filter((m) => m.health.verdict === 'healthy' || m.health.verdict === 'slow')
      .map((m) => m.mirror.display)
      .join(','),
  );
}

/**
 * When go.mod (or GOTOOLCHAIN) asks for a newer Go and GOTOOLCHAIN lets Go download it, Go
 * would fetch it from its default proxy on the next go command. Fetch it here instead, through
 * the probed chain and under the watchdog; from then on the action's own go commands run with
 * the job's GOTOOLCHAIN, since the toolchain is in the module cache. Under GOTOOLCHAIN=local a
 * go line above the installed Go fails here, with the line named, before any download.
 */
async function switchToolchain(
  project: Project,
  goEnv: GoEnv,
  gotoolchain: string,
  chain: Chain,
  gosumdb: string,
  limits: PrefetchLimits,
  report: RunReport,
): Promise<void> {
  if (!allowsDownload(gotoolchain)) {
    // GOTOOLCHAIN=path may still find a newer go on PATH; `local` never can.
    if (gotoolchain !== 'local') return;
    const tooNew = newerToolchainNeeded(
      readGoModFiles(project.moduleDirs, project.workspaceDir),
      goEnv.GOVERSION,
      process.cwd(),
      'go',
    );
    if (tooNew) throw new Error(installedGoTooOld(tooNew, goEnv.GOVERSION, gotoolchain));
    return;
  }
  const need =
    explicitToolchain(
      gotoolchain,
      goEnv.GOVERSION,
      project.moduleDirs[0] ?? project.workspaceDir,
    ) ??
    newerToolchainNeeded(
      readGoModFiles(project.moduleDirs, project.workspaceDir),
      goEnv.GOVERSION,
      // The runner starts actions in the workspace; GITHUB_WORKSPACE may be staged by a restore.
      process.cwd(),
    );
  if (!need) return;
  const fetched = await core.group(`Fetching Go ${need.release} (${need.where})`, () =>
    fetchToolchain(
      need,
      { ...process.env, GOTOOLCHAIN: gotoolchain, GOPROXY: chain.goproxy, GOSUMDB: gosumdb },
      { stallMs: limits.stallMs, deadlineMs: TOOLCHAIN_DEADLINE_MS },
      chain.display,
    ),
  );
  process.env.GOTOOLCHAIN = gotoolchain;
  goEnv.GOVERSION = fetched.goversion;
  const note = `${need.where}: Go ${fetched.goversion} fetched through GOPROXY (the installed Go is older).`;
  core.info(note);
  report.notes.push(note);
}
