// `npm run bench`: what this action buys a Go CI job, in numbers one run can reproduce. Fixture
// modules served by loopback mirrors, a real `go`, and dist/ run as a runner runs it. Every
// figure is a ratio against a baseline taken in the same run. Prints a Markdown table and
// writes everything to bench/results.json.
//
// Assertions here are properties, never timings: the action passes in every scenario, an exact
// cache hit uploads nothing.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyBuiltAction } from '../__tests__/support/action-copy.js';
import { startCacheService, type CacheService } from '../__tests__/support/cache-server.js';
import { forceRemove } from '../__tests__/support/fs-cleanup.js';
import type { Fault, Mirror } from '../__tests__/support/goproxy-server.js';
import type { Job, StepResult } from '../__tests__/support/runner.js';
import { expectSuccess, Scenario } from '../__tests__/support/scenario.js';
import { availableCompression, measureArchive } from './lib/archive.js';
import { measureCell, median } from './lib/measure.js';
import { NormalDay } from './lib/normal-day.js';
import {
  describeMachine,
  renderTables,
  withRatios,
  type BenchResults,
  type FaultRow,
  type JobTiming,
} from './lib/report.js';
import { benchSettings } from './lib/settings.js';
import { actionInputs, strategies, USER_BUILD, type Run, type Strategy } from './lib/strategies.js';

const RESULTS_FILE = fileURLToPath(new URL('results.json', import.meta.url));

// Each scenario completes "the first mirror, A, …".
const SCENARIOS: { fault: Fault; label: string }[] = [
  { fault: 'none', label: 'healthy' },
  { fault: 'status502', label: 'returns 502' },
  { fault: 'refused', label: 'refuses connections' },
  { fault: 'hang', label: 'hangs' },
  { fault: 'stall', label: 'stalls mid-body' },
  { fault: 'throttle', label: 'is throttled (4 KB/s)' },
  { fault: 'html200', label: 'returns HTML 200' },
  { fault: 'corruptZip', label: 'serves a corrupt zip' },
];

const settings = benchSettings();
const actionOpts = { probeTimeout: settings.probeTimeout };
const STRATEGIES = strategies(actionOpts);
const results: BenchResults = {
  settings,
  machine: describeMachine(),
  startedAt: new Date().toISOString(),
  strategies: STRATEGIES.map(({ id, label }) => ({ id, label })),
  faults: [],
};
// Worst case for one scenario: every strategy cut, plus the repeats of quick cells.
const SCENARIO_TIMEOUT_MS =
  STRATEGIES.length * (settings.cutMs + settings.repeats * settings.quickMs) + 60_000;

let s: Scenario;
let healthy: Mirror;
/** A second healthy mirror, standing in for A when the action's own baseline is measured. */
let spare: Mirror;
let firstJob: Job;
const scratch = mkdtempSync(join(tmpdir(), 'bench-'));
// Every job runs this one copy of the built action, whatever happens to dist/ meanwhile.
// BENCH_ACTION names another build instead (a directory with action.yml and dist/, such as an
// earlier release unpacked with `git archive`), to measure a change against the job before it.
const actionYmlPath = process.env.BENCH_ACTION
  ? resolve(process.env.BENCH_ACTION, 'action.yml')
  : copyBuiltAction(join(scratch, 'action'));

/** A job on a fresh runner: empty module cache, the build cache the jobs share. */
function freshJob(env: Record<string, string> = {}): Job {
  return s.job({ actionYmlPath, env });
}

function progress(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

beforeAll(async () => {
  progress(`${settings.mode} run, ${settings.modules} modules, cut at ${settings.cutMs / 1000} s`);
  if (process.env.BENCH_ACTION) progress(`the action under test: ${actionYmlPath}`);
  s = Scenario.withModules(settings.modules, { payloadBytes: settings.payloadBytes });
  healthy = await s.mirror();
  spare = await s.mirror();
  // The first job compiles the standard library into the build cache that jobs share, so the
  // baseline is timed like every later job. The snapshot comparison reuses its caches.
  firstJob = freshJob();
  expectSuccess(await firstJob.runMain(actionInputs([healthy.url], actionOpts)));
  expectSuccess(await firstJob.run(USER_BUILD, { cwd: 'app' }));
}, 180_000);

afterAll(async () => {
  await s?.close();
  forceRemove(scratch);
  // Written even after a failed test: partial results still show what happened.
  writeFileSync(RESULTS_FILE, `${JSON.stringify(withRatios(results), null, 2)}\n`);
  process.stdout.write(`\n${renderTables(results)}\nResults: ${RESULTS_FILE}\n`);
});

// First, while the shared build cache holds exactly one build of the project: that is the
// GOCACHE a setup-go job would save after the same job.
test('cache: this action snapshot against a setup-go style snapshot', () => {
  const compression = availableCompression();
  const gomodcache = firstJob.dirs.gomodcache;
  const gocache = firstJob.machineEnv.GOCACHE;
  const ours = measureArchive('ours', gomodcache, ['cache/download'], scratch, compression);
  const setupGo = measureArchive(
    'setup-go',
    '/',
    [gomodcache.slice(1), gocache.slice(1)],
    scratch,
    compression,
  );
  results.snapshot = { compression, ours, setupGo };
  // cache/download is part of GOMODCACHE: anything else would be a bug in the measurement.
  expect(ours.bytes).toBeLessThan(setupGo.bytes);
});

/** One run of a strategy on a fresh runner, removed afterwards. */
async function runOnFreshJob(strategy: Strategy, a: Mirror): Promise<Run> {
  const job = freshJob();
  try {
    return await strategy.run(job, a.url, healthy.url, settings.cutMs);
  } finally {
    job.cleanup();
  }
}

test.each(SCENARIOS)(
  'mirror faults: first mirror $label',
  async ({ fault, label }) => {
    const a = await s.mirror({ fault });
    const row: FaultRow = { fault, label, cells: {} };
    results.faults.push(row);
    for (const strategy of STRATEGIES) {
      const cell = await measureCell(() => runOnFreshJob(strategy, a), settings);
      row.cells[strategy.id] = cell;
      progress(`A ${label}, ${strategy.id}: ${cell.outcome} in ${Math.round(cell.ms)} ms`);
    }
    // What the fault costs the action, against the action with two healthy mirrors measured
    // right after it: jobs drift over a run (the shared build cache grows), so a baseline taken
    // minutes earlier would not do.
    const action = STRATEGIES.find((st) => st.id === 'action')!;
    row.actionHealthy = await measureCell(() => runOnFreshJob(action, spare), settings);
    progress(`A ${label}, action with A healthy: ${Math.round(row.actionHealthy.ms)} ms`);
    if (fault === 'none') {
      expect(row.cells.single?.outcome).toBe('passed');
      results.baselineMs = row.cells.single!.ms;
    }
    expect(row.cells.action?.outcome).toBe('passed');
  },
  SCENARIO_TIMEOUT_MS,
);

/** A job wired to the cache service: main (cache on), the user's build, post. */
async function cacheJob(service: CacheService, mirrors: Mirror[]): Promise<JobTiming> {
  const job = freshJob(service.env('v2'));
  const uploadedBefore = service.stats().uploadedBytes;
  try {
    // These jobs share one GOCACHE (see beforeAll), so the build cache would only measure
    // that; the normal-day table measures it on fresh runners.
    const main = await job.runMain({
      ...actionInputs(
        mirrors.map((m) => m.url),
        { ...actionOpts, cache: true },
      ),
      'build-cache': 'false',
    });
    expectSuccess(main);
    const build = await job.run(USER_BUILD, { cwd: 'app' });
    expectSuccess(build);
    const post = await job.runPost();
    expectSuccess(post);
    return {
      ms: main.durationMs + build.durationMs + post.durationMs,
      mainMs: main.durationMs,
      buildMs: build.durationMs,
      postMs: post.durationMs,
      uploadedBytes: service.stats().uploadedBytes - uploadedBefore,
      cacheHit: main.outputs['cache-hit'],
    };
  } finally {
    job.cleanup();
  }
}

test('cache: warm jobs, with a healthy mirror and with every mirror dead, against a cold one', async () => {
  const service = await startCacheService();
  try {
    const hung = await s.mirror({ fault: 'hang' });
    const refused = await s.mirror({ fault: 'refused' });
    const cold = await cacheJob(service, [healthy]);
    // The dead-mirror job between two healthy warm ones, which are averaged: jobs drift.
    const warmBefore = await cacheJob(service, [healthy]);
    const dead = await cacheJob(service, [hung, refused]);
    const warmAfter = await cacheJob(service, [healthy]);
    const warm = { ...warmBefore, ms: Math.round((warmBefore.ms + warmAfter.ms) / 2) };
    results.jobs = { cold, warm, dead };
    progress(
      `cold job ${cold.ms} ms, warm ${warm.ms} ms, warm with every mirror dead ${dead.ms} ms`,
    );
    expect(cold.cacheHit).toBe('false');
    expect(cold.uploadedBytes).toBeGreaterThan(0);
    for (const job of [warmBefore, dead, warmAfter]) {
      expect(job.cacheHit).toBe('true');
      // An exact hit uploads nothing: the post step sees the hit and skips the save.
      expect(job.uploadedBytes).toBe(0);
    }
  } finally {
    await service.close();
  }
});

/** Times one step on a fresh runner with an empty module cache. */
async function timeStep(step: (job: Job) => Promise<StepResult>): Promise<number> {
  const job = freshJob();
  try {
    const result = await step(job);
    expectSuccess(result);
    return result.durationMs;
  } finally {
    job.cleanup();
  }
}

test('overhead: the main step against plain go mod download', async () => {
  const plain: number[] = [];
  const main: number[] = [];
  // Interleaved, so a burst of load on a shared machine hits both sides alike.
  for (let i = 0; i < settings.repeats; i++) {
    plain.push(
      await timeStep((job) =>
        job.run('go mod download', { cwd: 'app', env: { GOPROXY: healthy.url } }),
      ),
    );
    main.push(await timeStep((job) => job.runMain(actionInputs([healthy.url], actionOpts))));
  }
  results.overhead = {
    mainMs: median(main),
    plainDownloadMs: median(plain),
    runs: settings.repeats,
  };
  progress(
    `overhead: main ${results.overhead.mainMs} ms, go mod download ${results.overhead.plainDownloadMs} ms`,
  );
});

// The normal day: this action against a setup-go style cache step, job after job on fresh
// runners (nothing shared but each side's cache service), over a project that compiles for real.
describe('normal day: this action against a setup-go style cache', () => {
  const day = new NormalDay({
    settings: settings.normalDay,
    scratch,
    actionYmlPath,
    log: progress,
  });
  results.normalDay = day.results;
  // Generous bounds: in the full run each side's job compiles a share of the standard library,
  // and the action without a build cache compiles it in every job.
  const full = settings.mode === 'full';
  const JOB_BOUND_MS = full ? 4 * 60_000 : 60_000;
  const bound = (jobs: number) => 2 * jobs * JOB_BOUND_MS;

  beforeAll(() => day.start(), 5 * 60_000);
  afterAll(() => day.close());

  test('cold first job on each side: both miss and save', () => day.coldStart(), bound(1));
  test('warm, same commit', () => day.warmSameCommit(), bound(1));
  test(
    'commits in a row, each changing a different package',
    () => day.commits(),
    bound(settings.normalDay.commits),
  );
  test('one dependency bumped in go.sum', () => day.goSumChanged(), bound(1));
  test('go test ./... on a warm job', () => day.goTest(), bound(2));
  test(
    'a big module cache: the warm restore',
    () => day.bigRestore(),
    bound(2) + (full ? 10 * 60_000 : 0),
  );
});
