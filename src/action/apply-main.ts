import * as core from '@actions/core';
import { SERVICE_FAILURE_STATE, serviceFailure } from '../cache-service/breaker.js';
import type { BuildCacheRestore } from '../buildcache/restore-build-cache.js';
import { BUILD_CACHE_STATE } from '../buildcache/state.js';
import type { OfflineBundle } from '../bundle/offline-bundle.js';
import type { Config } from '../config/types.js';
import type { Managed } from '../config/job-env.js';
import type { SnapshotPlan, SnapshotRestore } from '../modcache/restore-snapshot.js';
import { SNAPSHOT_STATE } from '../modcache/state.js';
import type { SwitchedToolchain } from '../prefetch/switch-toolchain.js';
import type { Chain, ProbedMirror } from '../proxy/chain.js';
import type { ToolsResult } from '../tools/install-tools.js';
import type { LateDecision, Message, MirrorsDecision, SumdbDecision } from './decide-mirrors.js';
import type { PrefetchDecision, PrefetchStep } from './decide-prefetch.js';
import { exportChain, exportEnv, finalExports, type Export, type Exports } from './exports.js';
import { renderSummary } from './render-summary.js';
import type { RunReport } from './run-report.js';
import type { JobSetup } from './set-up-job.js';

/**
 * The main step's only way out to the runner: each phase's result becomes exports, outputs,
 * PATH entries, state, log lines and, at the end, the job summary. Results are applied in the
 * order the phases return them, so what a later phase relies on (GOPROXY for govulncheck's
 * build) is in effect, and what was decided before a failure is still exported.
 */
export class MainApplier {
  private readonly registered = new Set<string>();
  private report: RunReport = { probed: [], direct: false, goprivate: '', notes: [] };
  private exports?: Exports;
  private baseEnv: NodeJS.ProcessEnv = process.env;
  private readonly exported: Record<string, string> = {};

  /** Registers each secret with the runner once: every registration is a line in the log. */
  readonly registerSecrets = (secrets: readonly string[]): void => {
    for (const secret of secrets) {
      if (this.registered.has(secret)) continue;
      this.registered.add(secret);
      core.setSecret(secret);
    }
  };

  /** The job's notes, then the environment the action's own go commands run in. */
  setUp(setup: JobSetup): void {
    for (const note of setup.notes) core.info(note);
    this.report.notes.push(...setup.notes);
    this.exports = { job: setup.job, wanted: {} };
    // The action's own go commands see the job's settings, none of an earlier call's exports,
    // and never download a toolchain on their own.
    replaceProcessEnv(setup.actionEnv);
    this.baseEnv = setup.actionEnv;
    core.info(`Go ${setup.goEnv.GOVERSION}, GOMODCACHE=${setup.goEnv.GOMODCACHE}`);
  }

  /** A line for the log that the summary repeats. */
  note(note: string | undefined): void {
    if (!note) return;
    core.info(note);
    this.report.notes.push(note);
  }

  /** The config the phases run with, and the offline bundle that is part of it. */
  started(config: Config, bundle: OfflineBundle | undefined): void {
    this.report = {
      ...this.report,
      direct: config.direct,
      goprivate: config.goprivate,
      ...(bundle && { bundle: { ...bundle.report, used: [...bundle.report.used] } }),
    };
  }

  /** The environment the action's own go commands run in, with what was exported so far. */
  goEnv(): NodeJS.ProcessEnv {
    return { ...this.baseEnv, ...this.exported };
  }

  /** Before the restore: the post step learns the snapshot's key even if this step is cut short. */
  snapshotPlanned(plan: SnapshotPlan): void {
    if ('state' in plan) core.saveState(SNAPSHOT_STATE, JSON.stringify(plan.state));
  }

  restored(snapshot: SnapshotRestore, build: BuildCacheRestore): void {
    const c = snapshot.report;
    if (snapshot.state) core.saveState(SNAPSHOT_STATE, JSON.stringify(snapshot.state));
    core.setOutput('cache-hit', String(c.hit));
    core.setOutput('cache-key', c.key ?? '');
    core.setOutput('cache-matched-key', c.matchedKey ?? '');
    const b = build.report;
    if (build.state) core.saveState(BUILD_CACHE_STATE, JSON.stringify(build.state));
    core.setOutput('build-cache-hit', String(b.hit));
    core.setOutput('build-cache-matched-key', b.matchedKey ?? '');
    this.report.cache = c;
    this.report.buildCache = b;
    // The restores are the main step's only calls to the service: a failure there spares the
    // post step's saves the wait.
    const failed = serviceFailure();
    if (failed) core.saveState(SERVICE_FAILURE_STATE, failed);
  }

  probing(target: string | undefined): void {
    this.report.probeTarget = target;
  }

  probed(probed: ProbedMirror[]): void {
    this.report.probed = probed;
  }

  sumdb(d: SumdbDecision): void {
    this.say(d.messages);
    this.report.sumdb = d.sumdb;
    this.export(exportEnv(this.exportsNow(), 'GOSUMDB', d.sumdb.value));
    this.export(exportEnv(this.exportsNow(), 'GOPRIVATE', d.goprivate));
  }

  mirrors(d: MirrorsDecision): void {
    this.say(d.messages);
    this.report.notes.push(...d.notes);
    if (d.prefetch) this.report.prefetch = d.prefetch;
    if (d.end !== 'fail') this.exportChain(d.chain);
    if (d.healthyMirrors !== undefined) core.setOutput('healthy-mirrors', d.healthyMirrors);
  }

  toolchain(t: SwitchedToolchain | undefined): void {
    if (!t) return;
    process.env.GOTOOLCHAIN = t.gotoolchain;
    this.baseEnv = { ...this.baseEnv, GOTOOLCHAIN: t.gotoolchain };
    this.note(t.note);
  }

  prefetchSkipped(step: PrefetchStep): void {
    if (step.run) return;
    this.say(step.messages);
    if (step.report) this.report.prefetch = step.report;
  }

  prefetched(d: PrefetchDecision, probed: ProbedMirror[]): void {
    this.report.probed = probed;
    this.report.prefetch = d.report;
    this.exportChain(d.chain);
  }

  lateVerdicts(d: LateDecision): void {
    if (d.probed) this.report.probed = d.probed;
    this.say(d.messages);
    if (d.chain) this.exportChain(d.chain);
    if (d.sumdb) {
      this.report.sumdb = d.sumdb;
      this.export(exportEnv(this.exportsNow(), 'GOSUMDB', d.sumdb.value));
    }
    core.setOutput('healthy-mirrors', d.healthyMirrors);
  }

  /** Verified tools go on PATH, in the order installed. */
  tools(r: ToolsResult): void {
    for (const t of r.installed) {
      core.addPath(t.dir);
      core.setOutput(`${t.tool}-path`, t.report.path);
      core.setOutput(`${t.tool}-version`, t.report.version);
    }
    this.report.tools = r.tools;
    this.report.bundle?.used.push(...r.bundleUsed);
  }

  /** Whatever happened: the whole set of exports once more, then the summary. */
  async finish(): Promise<void> {
    if (this.exports) {
      const { set, notes } = finalExports(this.exports);
      for (const [name, value] of Object.entries(set)) core.exportVariable(name, value);
      for (const note of notes) core.info(note);
      this.report.notes.push(...notes);
    }
    await core.summary.addRaw(renderSummary(this.report)).write();
  }

  private exportChain(chain: Chain | undefined): void {
    for (const e of exportChain(this.exportsNow(), chain)) this.export(e);
    const display = chain?.display ?? 'off';
    this.report.goproxyDisplay = display;
    this.report.gonoproxy = chain?.gonoproxy;
    core.setOutput('goproxy', display);
  }

  private export(e: Export): void {
    core.exportVariable(e.name, e.value);
    this.exported[e.name satisfies Managed] = e.value;
    if (e.output) core.setOutput(e.output.name, e.output.value);
  }

  private exportsNow(): Exports {
    if (!this.exports) throw new Error('exports before the job was set up');
    return this.exports;
  }

  private say(messages: readonly Message[]): void {
    for (const m of messages) {
      if (m.level === 'warning') core.warning(m.text);
      else core.info(m.text);
    }
  }
}

function replaceProcessEnv(env: NodeJS.ProcessEnv): void {
  for (const name of Object.keys(process.env)) if (!(name in env)) delete process.env[name];
  Object.assign(process.env, env);
}
