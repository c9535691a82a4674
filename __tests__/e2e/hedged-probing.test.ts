// Mirrors judged against each other: once one passes its probe, the others have a short grace,
// and a mirror that has not answered by then costs the job nothing more. dist/ runs as a runner
// runs it, with a real `go` and loopback mirrors. probe-timeout is set far above the grace, so
// a job that still waited it out would show in its duration.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startCacheService, type CacheService } from '../support/cache-server.js';
import type { Mirror } from '../support/goproxy-server.js';
import type { StepResult } from '../support/runner.js';
import { errorsOf, expectSuccess, goBuild, Scenario } from '../support/scenario.js';

/** Far above the grace (a few hundred ms): waiting it out is unmistakable. */
const LONG_PROBE_TIMEOUT_S = 20;
const WELL_UNDER_PROBE_TIMEOUT_MS = (LONG_PROBE_TIMEOUT_S * 1000) / 2;

let s: Scenario;
let healthy: Mirror;
let hung: Mirror;

beforeAll(async () => {
  s = Scenario.withModules(6, { payloadBytes: 4096 });
  healthy = await s.mirror();
  hung = await s.mirror({ fault: 'hang' });
});

afterAll(async () => {
  await s?.close();
});

function runMain(job: ReturnType<Scenario['job']>, mirrors: Mirror[], inputs = {}) {
  return job.runMain({
    mirrors: mirrors.map((m) => m.url).join('\n'),
    'working-directory': 'app',
    'probe-timeout': String(LONG_PROBE_TIMEOUT_S),
    ...inputs,
  });
}

/** The verdict cell of a mirror's row in the job summary. */
function verdictOf(main: StepResult, mirror: Mirror): string {
  const row = main.summary.split('\n').find((l) => l.startsWith(`| ${mirror.url} `));
  return row?.split('|')[2]?.trim() ?? '';
}

describe('a cold job', () => {
  test('a hung first mirror costs the grace, not probe-timeout, and goes behind the healthy one', async () => {
    const job = s.job();
    const main = await runMain(job, [hung, healthy]);
    expectSuccess(main);
    expect(main.durationMs).toBeLessThan(WELL_UNDER_PROBE_TIMEOUT_MS);
    // Cut off, not ruled out: it stays in the chain, behind the mirror that answered.
    expect(main.outputs.goproxy).toBe(`${healthy.url}|${hung.url}`);
    expect(main.outputs['healthy-mirrors']).toBe(healthy.url);
    expect(verdictOf(main, hung)).toBe('⏱️ timeout (cut off)');
    expect(main.summary).toMatch(
      /no answer to its probe after \d+ ms, while http:\/\/127\.0\.0\.1:\d+ passed in \d+ ms/,
    );
    expectSuccess(await goBuild(job));
  });

  test('a slow first mirror that answers within the grace stays first', async () => {
    const slow = await s.mirror({ fault: 'delay', delayMs: 60 });
    const main = await runMain(s.job(), [slow, healthy]);
    expectSuccess(main);
    expect(main.outputs.goproxy).toBe(`${slow.url}|${healthy.url}`);
    expect(verdictOf(main, slow)).toBe('✅ healthy');
  });

  test('a first mirror that answers after the grace, before probe-timeout, goes behind', async () => {
    const late = await s.mirror({ fault: 'delay', delayMs: 3000 });
    const job = s.job();
    const main = await runMain(job, [late, healthy]);
    expectSuccess(main);
    expect(main.outputs.goproxy).toBe(`${healthy.url}|${late.url}`);
    // Still probing when the job moved on, or passed since and placed behind as slow.
    expect(verdictOf(main, late)).toMatch(/^(⏱️ timeout \(cut off\)|🐢 slow)$/);
    // The build fetched through the healthy mirror only: the late one was never Go's first ask.
    expect(late.requests.filter((r) => r.fromGo)).toEqual([]);
    expectSuccess(await goBuild(job));
  });

  test('with every mirror hung, probe-timeout stays the bound, and the error names each one', async () => {
    const other = await s.mirror({ fault: 'hang' });
    const job = s.job();
    const main = await job.runMain({
      mirrors: `${hung.url}\n${other.url}`,
      'working-directory': 'app',
      'probe-timeout': '3',
    });
    expect(main.exitCode).toBe(1);
    expect(main.durationMs).toBeGreaterThanOrEqual(3000);
    expect(main.durationMs).toBeLessThan(3000 + WELL_UNDER_PROBE_TIMEOUT_MS);
    const error = errorsOf(main);
    expect(error).toContain('No usable GOPROXY mirror');
    expect(error).toContain(`${hung.url}: timeout`);
    expect(error).toContain(`${other.url}: timeout`);
  });
});

describe('a warm job whose snapshot holds everything', () => {
  let service: CacheService;
  beforeAll(async () => {
    service = await startCacheService();
  });
  afterAll(async () => {
    await service?.close();
  });

  test('every mirror hung: the probes cost at most the grace, GOPROXY=off, and the build passes', async () => {
    const cold = s.job({ env: service.env('v2') });
    expectSuccess(await runMain(cold, [healthy], { 'build-cache': 'false' }));
    expectSuccess(await cold.runPost());

    const other = await s.mirror({ fault: 'hang' });
    const warm = s.job({ env: service.env('v2') });
    const main = await runMain(warm, [hung, other], { 'build-cache': 'false' });
    expectSuccess(main);
    expect(main.outputs['cache-hit']).toBe('true');
    expect(main.durationMs).toBeLessThan(WELL_UNDER_PROBE_TIMEOUT_MS);
    // Nothing answered and nothing needs downloading: a later go command fails fast, never hangs.
    expect(warm.env.GOPROXY).toBe('off');
    expect(verdictOf(main, hung)).toBe('⏱️ timeout (cut off)');
    expect(main.summary).toContain('nothing needs downloading');
    expectSuccess(await goBuild(warm));
  });

  test('a healthy mirror and a hung one: the chain is the healthy one, the hung one behind', async () => {
    const warm = s.job({ env: service.env('v2') });
    const main = await runMain(warm, [hung, healthy], { 'build-cache': 'false' });
    expectSuccess(main);
    expect(main.outputs['cache-hit']).toBe('true');
    expect(main.durationMs).toBeLessThan(WELL_UNDER_PROBE_TIMEOUT_MS);
    expect(main.outputs.goproxy).toBe(`${healthy.url}|${hung.url}`);
  });
});
