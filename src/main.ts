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
import { downloadGoflags, readGoEnv, type GoEnv } from './go/env.js';
import { cacheHoldsEverything, prefetch, prefetchLimits, type PrefetchPlan } from './prefetch.js';
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

async function run(): Promise<void> {
  const raw = readRawInputs();
  // Before anything can be logged, including an error about these very inputs.
  for (const secret of findUrlSecrets(secretBearingInputs(raw))) {
    core.setSecret(secret);
  }
  const config = parseConfig(raw, process.env.GITHUB_WORKSPACE || process.cwd());
  if (!fs.existsSync(config.workingDirectory)) {
    throw new Error(
      `working-directory: "${raw['working-directory']}" does not exist (resolved to ${config.workingDirectory})`,
    );
  }
  const goEnv = readGoEnv(config.workingDirectory);
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
    notes: [],
  };
  try {
    const goflags = downloadGoflags(goEnv.GOFLAGS);
    report.cache = await restorePhase(config, project, goEnv.GOMODCACHE, () =>
      cacheHoldsEverything(project, goflags, process.env),
    );
    await setUpProxies(config, goEnv, project, report);
    await installTools(config, goEnv, report);
  } finally {
    await core.summary.addRaw(renderSummary(report)).write();
  }
}

async function setUpProxies(
  config: Config,
  goEnv: GoEnv,
  project: Project,
  report: RunReport,
): Promise<void> {
  const targets = chooseProbeTargets(project.modules, config.goprivate, (m) =>
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
      privateTarget && isPrivatePath(config.goprivate, privateTarget.module)
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
    goprivate: config.goprivate,
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
  exportEnv('GOSUMDB', sumdb.value);
  if (config.goprivate) exportEnv('GOPRIVATE', config.goprivate);

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
      exportChain(chain, report);
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
      exportChain(undefined, report);
      core.setOutput('healthy-mirrors', '');
      return;
    }
    throw new Error(`No usable GOPROXY mirror:\n${mirrors}`);
  }
  exportChain(chain, report);

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
              ...extra.filter((t) => m.private || !isPrivatePath(config.goprivate, t.module)),
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
    exportChain(chain, report);
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

/** Exports GOPROXY (and GONOPROXY) for later steps; undefined means `off`. */
function exportChain(chain: Chain | undefined, report: RunReport): void {
  const goproxy = chain?.goproxy ?? 'off';
  const display = chain?.display ?? 'off';
  exportEnv('GOPROXY', goproxy);
  if (chain?.gonoproxy) exportEnv('GONOPROXY', chain.gonoproxy);
  report.goproxyDisplay = display;
  report.gonoproxy = chain?.gonoproxy;
  core.setOutput('goproxy', display);
}

function exportEnv(name: string, value: string): void {
  core.exportVariable(name, value);
  if (name === 'GOSUMDB') core.setOutput('gosumdb', value);
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

run()
  .catch((err: unknown) => {
    core.setFailed(err instanceof Error ? err.message : String(err));
  })
  // An abandoned cache restore may still hold a socket open; the step is done.
  .finally(() => process.exit());
