// One CI job of the "normal day", on either side of the comparison:
//
// - setupGo: the setup-go style step (setup-go-cache.mjs main), the user's steps with GOPROXY at
//   the mirror, then its post step;
// - action: this action's main step, the user's steps with what it exported, then its post step.
//
// Every job runs on a fresh runner: the same runner directory, wiped before each job, so HOME,
// GOCACHE, GOMODCACHE and the workspace sit at the same paths in every job, as on hosted runners
// (/home/runner). That matters: Go's build cache keys a package's compile on its directory, and
// @actions/cache's archive version on the path strings, so a cache that moves between jobs never
// hits. Nothing else survives from one job to the next; only the cache service does.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadActionMetadata } from '../../__tests__/support/action-metadata.js';
import type { CacheService } from '../../__tests__/support/cache-server.js';
import { forceRemove } from '../../__tests__/support/fs-cleanup.js';
import { Job, type StepResult } from '../../__tests__/support/runner.js';
import { expectSuccess } from '../../__tests__/support/scenario.js';
import { writeCheckout, type Files } from './day-fixture.js';

export type Side = 'setupGo' | 'action';
export const SIDES: readonly Side[] = ['setupGo', 'action'];
export const SIDE_LABELS: Record<Side, string> = {
  setupGo: 'setup-go style',
  action: 'this action',
};

const BASELINE_SCRIPT = fileURLToPath(new URL('setup-go-cache.mjs', import.meta.url));
/** setup-go's cache-dependency-path as a user would give it, so the key covers both files. */
const DEPENDENCY_FILES = 'go.mod\ngo.sum';
/** No step of a healthy job comes near this; it only keeps a wedged one from hanging the run. */
const STEP_TIMEOUT_MS = 15 * 60_000;

export interface DayJob {
  side: Side;
  label: string;
  /** Wall time from the start of the setup step to the end of the user's last step. */
  jobMs: number;
  setupMs: number;
  /** The user's steps: go build, go vet if the run has it, and go test if the plan asks. */
  userMs: number;
  postMs: number;
  steps: { step: string; ms: number }[];
  /** Archive bytes the job fetched from the cache service, and sent to it. */
  downloadedBytes: number;
  uploadedBytes: number;
  /** Keys of the entries the job saved. */
  savedKeys: string[];
  /** What the setup step said it restored: cache-hit, and the build cache's outputs if any. */
  outputs: Record<string, string>;
  /**
   * The restore as the setup step timed it: setup-go style, @actions/cache's restoreCache
   * (download and untar); this action, the module snapshot's restore and verification, from its
   * job summary.
   */
  restoreMs?: number;
  /** This action: the verification's part of restoreMs, when the summary reports it. */
  verifyMs?: number;
  /** With go test: packages with tests, and how many of them said `(cached)`. */
  tests?: { packages: number; cached: number };
}

export interface DayJobPlan {
  label: string;
  /** The checkout. */
  files: Files;
  /** The GOPROXY mirror this job's modules come from. */
  mirror: string;
  /** Run `go test ./...` after the build steps. */
  test?: boolean;
}

function summaryMs(amount: string, unit: string): number {
  return Math.round(Number(amount) * (unit === 's' ? 1000 : 1));
}

/**
 * The module snapshot's restore in the action's job summary: `| restored | 1.2 MiB in 3.4 s |`
 * (download, extraction and verification) and, where the summary has it, the verification's
 * part, `| verified against go.sum | 812 in 0.4 s |`. Read from the "Module cache" section
 * only: the build cache has a `restored` row of its own.
 */
export function summaryRestore(summary: string): { restoreMs?: number; verifyMs?: number } {
  const start = summary.indexOf('### Module cache\n');
  if (start < 0) return {};
  const next = summary.indexOf('\n### ', start + 1);
  const section = summary.slice(start, next < 0 ? undefined : next);
  const restored = /^\|\s*restored\s*\|[^|\n]*\bin ([\d.]+) (ms|s)\s*\|/m.exec(section);
  const verified = /^\|\s*verified against go\.sum\s*\|[^|\n]*\bin ([\d.]+) (ms|s)\s*\|/m.exec(
    section,
  );
  return {
    restoreMs: restored ? summaryMs(restored[1], restored[2]) : undefined,
    verifyMs: verified ? summaryMs(verified[1], verified[2]) : undefined,
  };
}

/** With BENCH_DUMP=<file>, each setup step's log and summary go there, to see where time goes. */
function dumpStep(label: string, setup: StepResult): void {
  const file = process.env.BENCH_DUMP;
  if (!file) return;
  appendFileSync(
    file,
    `## ${label}: ${setup.durationMs} ms\n\n${setup.stdout}\n${setup.summary}\n\n`,
  );
}

/** Counts `ok <pkg> ...` lines of go test, and those that say (cached). */
export function testCounts(stdout: string): { packages: number; cached: number } {
  const ok = stdout.split('\n').filter((l) => /^ok\s+\S+/.test(l));
  return { packages: ok.length, cached: ok.filter((l) => l.includes('(cached)')).length };
}

export class DayRunner {
  private readonly runnerDir: string;
  private readonly actionYmlPath: string;
  private readonly buildSteps: string[];
  private readonly testStep: string;
  readonly declaredInputs: Set<string>;

  constructor(scratch: string, actionYmlPath: string, opts: { vet: boolean }) {
    this.runnerDir = join(scratch, 'runner');
    this.actionYmlPath = actionYmlPath;
    this.buildSteps = ['go build ./...', ...(opts.vet ? ['go vet ./...'] : [])];
    this.testStep = opts.vet ? 'go test ./...' : 'go test -vet=off ./...';
    this.declaredInputs = new Set(Object.keys(loadActionMetadata(actionYmlPath).inputs));
  }

  /** Whether the action under test has a build cache (action.yml declares `build-cache`). */
  get buildCache(): boolean {
    return this.declaredInputs.has('build-cache');
  }

  /**
   * The action's inputs. `sumdb` is set so that nothing probes a host off the machine; with a
   * complete go.sum no build asks the checksum database anything. `build-cache` is passed only
   * when action.yml declares it: the runner refuses inputs an action does not declare.
   */
  actionInputs(mirror: string): Record<string, string> {
    const inputs: Record<string, string> = { mirrors: mirror, sumdb: 'sum.golang.org' };
    if (this.buildCache) inputs['build-cache'] = 'true';
    return inputs;
  }

  private freshJob(service: CacheService, files: Files): Job {
    forceRemove(this.runnerDir);
    mkdirSync(this.runnerDir, { recursive: true });
    const workspace = join(this.runnerDir, 'work', 'repo', 'repo');
    writeCheckout(workspace, files);
    return new Job({
      workspace,
      runnerDir: this.runnerDir,
      actionYmlPath: this.actionYmlPath,
      env: service.env('v2'),
    });
  }

  /** Runs one job of `side`; throws, with the step's output, if any step fails. */
  async run(side: Side, service: CacheService, plan: DayJobPlan): Promise<DayJob> {
    const job = this.freshJob(service, plan.files);
    const before = service.stats();
    const keysBefore = new Set(service.entries().map((e) => `${e.key}\0${e.version}`));
    const steps: { step: string; ms: number }[] = [];
    const timed = async (step: string, run: () => Promise<StepResult>) => {
      const result = await run();
      expectSuccess(result);
      steps.push({ step, ms: result.durationMs });
      return result;
    };
    try {
      const start = performance.now();
      const opts = { timeoutMs: STEP_TIMEOUT_MS };
      const depsInput = { 'INPUT_CACHE-DEPENDENCY-PATH': DEPENDENCY_FILES };
      const setup =
        side === 'setupGo'
          ? await timed('setup', () =>
              job.run(`node "${BASELINE_SCRIPT}" main`, { ...opts, env: depsInput }),
            )
          : await timed('setup', () => job.runMain(this.actionInputs(plan.mirror), opts));
      // The baseline's user sets GOPROXY in the workflow; the action exported it.
      const userEnv: Record<string, string> = side === 'setupGo' ? { GOPROXY: plan.mirror } : {};
      const user = [...this.buildSteps, ...(plan.test ? [this.testStep] : [])];
      let testOut = '';
      for (const script of user) {
        const r = await timed(script, () => job.run(script, { ...opts, env: userEnv }));
        if (script.startsWith('go test')) testOut = r.stdout;
      }
      const jobMs = Math.round(performance.now() - start);
      const post =
        side === 'setupGo'
          ? await timed('post', () => {
              const state = Object.fromEntries(
                Object.entries(setup.state).map(([k, v]) => [`STATE_${k}`, v]),
              );
              return job.run(`node "${BASELINE_SCRIPT}" post`, {
                ...opts,
                env: { ...depsInput, ...state },
              });
            })
          : await timed('post', () => job.runPost(opts));
      const after = service.stats();
      const outputs: Record<string, string> = {};
      for (const name of [
        'cache-hit',
        'cache-matched-key',
        'build-cache-hit',
        'build-cache-matched-key',
      ]) {
        if (setup.outputs[name] !== undefined) outputs[name] = setup.outputs[name];
      }
      dumpStep(`${plan.label}, ${side}`, setup);
      const restore =
        side === 'setupGo'
          ? { restoreMs: Number(setup.outputs['restore-ms']) }
          : summaryRestore(setup.summary);
      return {
        side,
        label: plan.label,
        jobMs,
        setupMs: setup.durationMs,
        userMs: steps.slice(1, -1).reduce((sum, s) => sum + s.ms, 0),
        postMs: post.durationMs,
        steps,
        downloadedBytes: after.downloadedBytes - before.downloadedBytes,
        uploadedBytes: after.uploadedBytes - before.uploadedBytes,
        savedKeys: service
          .entries()
          .filter((e) => !keysBefore.has(`${e.key}\0${e.version}`))
          .map((e) => e.key),
        outputs,
        restoreMs: Number.isFinite(restore.restoreMs) ? restore.restoreMs : undefined,
        verifyMs: restore.verifyMs,
        tests: plan.test ? testCounts(testOut) : undefined,
      };
    } finally {
      job.cleanup();
      forceRemove(this.runnerDir);
    }
  }
}
