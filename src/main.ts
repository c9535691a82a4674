import fs from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import {
  INPUT_NAMES,
  parseConfig,
  secretBearingInputs,
  type Config,
  type RawInputs,
} from './config.js';
import { discoverProject, type Project } from './gomod/discover.js';
import { detectVendoring } from './gomod/vendor.js';
import { escapeModulePath, escapeVersion } from './gomod/escape.js';
import type { ModuleVersion } from './gomod/gosum.js';
import { stopChildrenOnCancel } from './go/cancel.js';
import { downloadGoflags, readGoEnv, userToolchain, type GoEnv } from './go/env.js';
import { applyJobSettings } from './config-from-job.js';
import {
  allowsDownload,
  explicitToolchain,
  fetchToolchain,
  newerToolchainNeeded,
  readGoModFiles,
} from './go/toolchain.js';
import {
  exportSet,
  jobSettings,
  MANAGED,
  withUserSettings,
  type JobSettings,
  type Managed,
  type Settings,
} from './job-env.js';
import {
  cacheHoldsEverything,
  prefetch,
  prefetchLimits,
  type PrefetchLimits,
  type PrefetchPlan,
} from './prefetch.js';

import { buildChain, markSlow, type Chain } from './proxy/chain.js';
import { rejectMissingPrivate } from './proxy/classify.js';
import { probeDirectSumdb, probeMirrors } from './proxy/probe.js';
import { chooseSumdb } from './proxy/sumdb.js';
import { chooseProbeTargets, type ProbeTarget, type ProbeTargets } from './proxy/target.js';
import { describeGoErrors, describeMirrors, renderSummary, type RunReport } from './report.js';
import { findUrlSecrets } from './util/mask.js';
import { restorePhase } from './modcache/restore-phase.js';
import { cacheMode, cacheServiceAvailable } from './modcache/service.js';
import { matchesPrefixPatterns } from './gomod/patterns.js';
import { installGolangciLint } from './tools/golangci-lint.js';
import { installGovulncheck } from './tools/govulncheck.js';
import { goTooOld } from './tools/govulncheck-pins.js';
import type { ToolReport } from './tools/tool-report.js';

/** Go toolchains are about 70 MB; a stall is caught much sooner by the watchdog. */
const TOOLCHAIN_DEADLINE_MS = 10 * 60_000;

async function run(): Promise<void> {
  const raw = readRawInputs();
  // Before anything can be logged, including an error about these very inputs.
  for (const secret of findUrlSecrets(
    [secretBearingInputs(raw), ...MANAGED.map((n) => process.env[n] ?? '')].join('\n'),
  )) {
    core.setSecret(secret);
  }
  const job = jobSettings(process.env);
  const userEnv = withUserSettings(process.env, job);
  const inputs = parseConfig(raw, process.env.GITHUB_WORKSPACE || process.cwd());
  const goEnv = readGoEnv(inputs.workingDirectory, userEnv);
  for (const secret of findUrlSecrets(goEnv.GOPROXY)) core.setSecret(secret);
  const { config, notes } = applyJobSettings(inputs, raw, {
    ...goEnv,
    gosumdbSet: job.user.GOSUMDB !== undefined,
  });
  for (const note of notes) core.info(note);
  const gotoolchain = userToolchain(goEnv, userEnv);
  // The action's own go commands see the job's settings, none of an earlier call's exports,
  // and never download a toolchain on their own.
  replaceProcessEnv({ ...userEnv, GOTOOLCHAIN: 'local' });
  core.info(`Go ${goEnv.GOVERSION}, GOMODCACHE=${goEnv.GOMODCACHE}`);
  if (config.govulncheck) {
    const problem = goTooOld(config.govulncheck.version, config.govulncheck.pin, goEnv.GOVERSION);
    if (problem) throw new Error(problem);
  }
  const project = await discoverProject(config.workingDirectory, config.cacheDependencyPath);
  core.info(
    `${project.goSumFiles.length} go.sum file(s), ${project.moduleDirs.length} module(s), ${project.modules.length} dependency version(s)`,
  );

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
    await setUpProxies(config, goEnv, project, report, exports, gotoolchain);
    await installTools(config, goEnv, report);
  } finally {
    exportSettings(exports);
    await core.summary.addRaw(renderSummary(report)).write();
  }
}

async function setUpProxies(
  config: Config,
  goEnv: GoEnv,
  project: Project,
  report: RunReport,
  exports: Exports,
  gotoolchain: string,
): Promise<void> {
  const targets = chooseProbeTargets(project.modules, config.noPublic, (m) =>
    cachedZipSize(goEnv.GOMODCACHE, m),
  );
  const targetFor = (isPrivate: boolean): ProbeTarget | undefined =>
    isPrivate ? targets.private : targets.public;
  report.probeTarget = describeTarget(targets);

  const probed = await core.group('Probing mirrors', async () => {
    const [healths, direct] = await Promise.all([
      probeMirrors(config.mirrors, (m) => listOf(targetFor(m.private)), config.probeTimeoutMs),
      config.sumdb === 'auto' ? probeDirectSumdb(config.probeTimeoutMs) : undefined,
    ]);
    const privateTarget = targets.private;
    const privateModule =
      privateTarget && isPrivatePath(config.noPublic, privateTarget.module)
        ? privateTarget.module
        : undefined;
    const result = markSlow(
      config.mirrors.map((mirror, i) => ({
        mirror,
        health:
          mirror.private && privateModule
            ? rejectMissingPrivate(healths[i], privateModule)
            : healths[i],
      })),
    );
    for (const p of result) {
      core.info(
        `${p.mirror.display}: ${p.health.verdict}${p.health.reason ? ` (${p.health.reason})` : ''}`,
      );
    }
    return { result, direct };
  });
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

  let chain = buildChain(probed.result, config.direct);
  const sumdb = chooseSumdb(config.sumdb, chain?.members ?? [], probed.direct);
  plan.gosumdb = sumdb.value;
  report.sumdb = sumdb;
  if (sumdb.warning && project.modules.length > 0) core.warning(sumdb.warning);
  exportEnv(exports, 'GOSUMDB', sumdb.value);
  exportEnv(exports, 'GOPRIVATE', config.goprivate || undefined);

  // Builds that read vendor/ download nothing: no mirror is needed, but a later `go get` still
  // uses the exported chain.
  const vendoring = detectVendoring(project.moduleDirs, project.workspaceDir, goEnv.GOFLAGS);
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
    if (await cacheHoldsEverything(plan.project, plan.goflags, plan.baseEnv)) {
      const note = `No mirror is usable, but the module cache already holds everything go.sum needs; GOPROXY=off so a missing module fails fast instead of hanging.\n${mirrors}`;
      core.warning(note);
      report.notes.push(note.split('\n')[0]);
      exportChain(undefined, report, exports);
      core.setOutput('healthy-mirrors', '');
      return;
    }
    throw new Error(`No usable GOPROXY mirror:\n${mirrors}`);
  }
  exportChain(chain, report, exports);
  await switchToolchain(project, goEnv, gotoolchain, chain, sumdb.value, plan.limits, report);

  const toFetch = vendoring.all
    ? []
    : project.moduleDirs.filter((d) => !vendoring.dirs.includes(d));
  if (config.prefetch && toFetch.length > 0) {
    const start = Date.now();
    const result = await core.group('Prefetching modules (go mod download)', () =>
      prefetch(
        { ...plan, project: { ...project, moduleDirs: toFetch } },
        probed.result,
        (mirrors, extra) =>
          probeMirrors(
            mirrors,
            (m) => [
              ...listOf(targetFor(m.private)),
              // A public mirror must never be asked for a private module path.
              ...extra.filter((t) => m.private || !isPrivatePath(config.noPublic, t.module)),
            ],
            config.probeTimeoutMs,
          ),
        { info: core.info, warning: core.warning },
      ),
    );
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
  core.setOutput(
    'healthy-mirrors',
    chain.members
      .filter((m) => m.health.verdict === 'healthy' || m.health.verdict === 'slow')
      .map((m) => m.mirror.display)
      .join(','),
  );
}

/**
 * When go.mod (or GOTOOLCHAIN) asks for a newer Go and GOTOOLCHAIN lets Go download it, Go
 * would fetch it from its default proxy on the next go command. Fetch it here instead, through
 * the probed chain and under the watchdog; from then on the action's own go commands run with
 * the job's GOTOOLCHAIN, since the toolchain is in the module cache.
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
  if (!allowsDownload(gotoolchain)) return;
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

/**
 * Installs the requested tools after the chain is exported (govulncheck is built through it).
 * Each lands on PATH only once verified; a failure is recorded for the summary and fails the step.
 */
async function installTools(config: Config, goEnv: GoEnv, report: RunReport): Promise<void> {
  const tools: ToolReport[] = [];
  report.tools = tools;
  const install = async (
    tool: string,
    version: string,
    integrity: string,
    run: () => Promise<{ dir: string; report: ToolReport }>,
  ): Promise<void> => {
    try {
      const done = await core.group(`Installing ${tool} ${version}`, run);
      core.addPath(done.dir);
      core.setOutput(`${tool}-path`, done.report.path);
      core.setOutput(`${tool}-version`, done.report.version);
      tools.push(done.report);
    } catch (err) {
      tools.push({
        tool,
        version,
        integrity,
        source: `not installed: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`,
        cached: 'no',
        failed: true,
      });
      throw err;
    }
  };
  if (config.golangciLint) {
    const want = config.golangciLint;
    await install('golangci-lint', `v${want.version}`, `sha256 ${want.sha256}`, () =>
      installGolangciLint(want, config.toolMirrors, core.info),
    );
  }
  if (config.govulncheck) {
    const want = config.govulncheck;
    const service = config.cache && cacheServiceAvailable();
    const mode = cacheMode();
    await install('govulncheck', want.version, 'go.sum pin', () =>
      installGovulncheck(want, {
        goversion: goEnv.GOVERSION,
        env: process.env,
        actionsCache: {
          restore: service && mode.readable,
          save: service && config.saveCache && mode.writable,
        },
        log: core.info,
        warn: core.warning,
      }),
    );
  }
}

/** What this call exports, and the job's own settings for everything it leaves alone. */
interface Exports {
  job: JobSettings;
  wanted: Settings;
}

/** Exports GOPROXY (and GONOPROXY) for later steps; undefined means `off`. */
function exportChain(chain: Chain | undefined, report: RunReport, exports: Exports): void {
  const display = chain?.display ?? 'off';
  exportEnv(exports, 'GOPROXY', chain?.goproxy ?? 'off');
  // Without private mirrors in front, GONOPROXY goes back to the job's own value.
  exportEnv(exports, 'GONOPROXY', chain?.gonoproxy);
  report.goproxyDisplay = display;
  report.gonoproxy = chain?.gonoproxy;
  core.setOutput('goproxy', display);
}

/** Exports at once, so the action's own later go commands (govulncheck's build) see it too. */
function exportEnv(exports: Exports, name: Managed, value: string | undefined): void {
  if (value === undefined) delete exports.wanted[name];
  else exports.wanted[name] = value;
  core.exportVariable(name, value ?? exports.job.user[name] ?? '');
  if (name === 'GOSUMDB' && value !== undefined) core.setOutput('gosumdb', value);
}

/**
 * Exports the whole set once more at the end, whatever happened: each Go setting this call did
 * not set goes back to the job's own value, so no earlier call's export lingers.
 */
function exportSettings(exports: Exports): void {
  for (const [name, value] of Object.entries(exportSet(exports.job, exports.wanted))) {
    core.exportVariable(name, value);
  }
}

function replaceProcessEnv(env: NodeJS.ProcessEnv): void {
  for (const name of Object.keys(process.env)) if (!(name in env)) delete process.env[name];
  Object.assign(process.env, env);
}

function readRawInputs(): RawInputs {
  const raw = {} as RawInputs;
  for (const name of INPUT_NAMES) raw[name] = core.getInput(name);
  return raw;
}

function cachedZipSize(gomodcache: string, m: ModuleVersion): number | undefined {
  try {
    return fs.statSync(
      path.join(
        gomodcache,
        'cache',
        'download',
        escapeModulePath(m.module),
        '@v',
        `${escapeVersion(m.version)}.zip`,
      ),
    ).size;
  } catch {
    return undefined;
  }
}

function describeTarget(t: ProbeTargets): string | undefined {
  const target = t.public ?? t.private;
  return target && `${target.module}@${target.version}`;
}

function isPrivatePath(goprivate: string, module: string): boolean {
  return goprivate !== '' && matchesPrefixPatterns(goprivate, module);
}

function listOf<T>(x: T | undefined): T[] {
  return x === undefined ? [] : [x];
}

stopChildrenOnCancel(core.setFailed);
run()
  .catch((err: unknown) => {
    core.setFailed(err instanceof Error ? err.message : String(err));
  })
  // An abandoned cache restore may still hold a socket open; the step is done.
  .finally(() => process.exit());
