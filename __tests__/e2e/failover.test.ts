// The heart of the action, end to end: a cold job on a fresh runner, a first mirror with a
// fault, a healthy second mirror, dist/ run as the runner runs it, and a real `go build` in a
// later step using only what the action exported.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fault, Mirror } from '../support/goproxy-server.js';
import { errorsOf, expectSuccess, goBuild, Scenario } from '../support/scenario.js';

const PROBE_TIMEOUT = '2';
let s: Scenario;
let healthy: Mirror;
const jobTimes: { name: string; ms: number }[] = [];

beforeAll(async () => {
  // A few KiB per module, so a throttled mirror is visibly slow within the probe timeout.
  s = Scenario.withModules(8, { payloadBytes: 4096 });
  healthy = await s.mirror();
  // Compile the standard library into the shared build cache first, so the baseline job is
  // timed like every other job.
  const warm = s.job();
  await warm.runMain({ mirrors: healthy.url, 'working-directory': 'app' });
  await goBuild(warm);
});

afterAll(async () => {
  await s?.close();
  const base = jobTimes.find((t) => t.name === 'healthy only (baseline)');
  if (base) {
    const rows = jobTimes.map(
      (t) =>
        `  ${t.name.padEnd(36)} ${(t.ms / 1000).toFixed(2).padStart(6)} s  ×${(t.ms / base.ms).toFixed(2)}`,
    );
    process.stdout.write(
      `\nCold job time (main + go build) against healthy only:\n${rows.join('\n')}\n`,
    );
  }
});

/** A cold job: the action with the given mirrors, then `go build` with what it exported. */
async function coldJob(name: string, mirrors: string[], inputs: Record<string, string> = {}) {
  const job = s.job();
  const start = Date.now();
  const main = await job.runMain({
    mirrors: mirrors.join('\n'),
    'working-directory': 'app',
    'probe-timeout': PROBE_TIMEOUT,
    ...inputs,
  });
  expectSuccess(main);
  const build = await goBuild(job);
  expectSuccess(build);
  jobTimes.push({ name, ms: Date.now() - start });
  return { job, main, build };
}

test('healthy only (baseline)', async () => {
  const { main, job } = await coldJob('healthy only (baseline)', [healthy.url]);
  expect(main.outputs.goproxy).toBe(healthy.url);
  expect(main.outputs['healthy-mirrors']).toBe(healthy.url);
  expect(main.outputs.gosumdb).toBe('sum.golang.org');
  expect(job.env.GOPROXY).toBe(healthy.url);
  expect(job.env.GOSUMDB).toBe('sum.golang.org');
  expect(main.summary).toContain('| ✅ healthy |');
  const post = await job.runPost();
  expectSuccess(post);
  // No cache service on this runner: the post step says so and stays green.
  expect(post.stdout).toContain('no cache service on this runner');
});

test('a module cache that already holds everything: every mirror dead only warns, and the build passes', async () => {
  // A self-hosted runner keeps its module cache between jobs.
  const first = s.job();
  expectSuccess(await first.runMain({ mirrors: healthy.url, 'working-directory': 'app' }));
  const dead = await s.mirror({ fault: 'refused' });
  const next = s.job({ env: { GOMODCACHE: first.dirs.gomodcache } });
  const main = await next.runMain({
    mirrors: dead.url,
    'working-directory': 'app',
    'probe-timeout': PROBE_TIMEOUT,
  });
  expectSuccess(main);
  expect(
    main.commands.some((c) => c.command === 'warning' && /No mirror is usable/.test(c.message)),
  ).toBe(true);
  expect(next.env.GOPROXY).toBe('off');
  expectSuccess(await goBuild(next));
});

// [fault, mirror kept in the chain?]
const faults: [Fault, boolean][] = [
  ['notfound', true],
  ['status502', false],
  ['refused', false],
  ['dns', false],
  ['hang', false],
  ['stall', false],
  ['throttle', true],
  ['flaky', true],
  ['corruptZip', false],
  ['wrongZip', false],
  ['html200', false],
  ['sumdb502', false],
];

describe.each(faults)('first mirror %s, second healthy', (fault, kept) => {
  let broken: Mirror;
  beforeAll(async () => {
    broken = await s.mirror({ fault });
  });

  test('prefetch on: the later go build passes', async () => {
    const { main } = await coldJob(fault, [broken.url, healthy.url]);
    const goproxy = main.outputs.goproxy;
    if (fault === 'flaky') {
      // Flaky mirrors may pass their probe; either way the chain ends with the healthy one.
      expect(goproxy.endsWith(healthy.url)).toBe(true);
    } else if (fault === 'hang' || fault === 'stall') {
      // Cut off by the grace after the healthy mirror passed: behind it while its probe goes
      // on, and out once that probe times out, if that happens before the main step ends.
      expect([[healthy.url, broken.url], [healthy.url]]).toContainEqual(goproxy.split('|'));
    } else if (kept) {
      expect(goproxy.split('|')).toEqual(
        fault === 'throttle' ? [healthy.url, broken.url] : [broken.url, healthy.url],
      );
    } else {
      expect(goproxy).toBe(healthy.url);
    }
    expect(main.summary).toContain(broken.url);
  });

  test('prefetch off: go build itself fails over through the exported chain', async () => {
    const job = s.job();
    const main = await job.runMain({
      mirrors: `${broken.url}\n${healthy.url}`,
      'working-directory': 'app',
      'probe-timeout': PROBE_TIMEOUT,
      prefetch: 'false',
    });
    expectSuccess(main);
    expectSuccess(await goBuild(job));
  });
});

test('every mirror dead: main fails within a bounded time and names each mirror', async () => {
  const refused = await s.mirror({ fault: 'refused' });
  const hung = await s.mirror({ fault: 'hang' });
  const erroring = await s.mirror({ fault: 'status502' });
  const job = s.job();
  const main = await job.runMain(
    {
      mirrors: [refused.url, hung.url, erroring.url].join('\n'),
      'working-directory': 'app',
      'probe-timeout': PROBE_TIMEOUT,
    },
    { timeoutMs: 60_000 },
  );
  expect(main.timedOut).toBe(false);
  expect(main.exitCode).not.toBe(0);
  const error = errorsOf(main);
  expect(error).toContain('No usable GOPROXY mirror');
  expect(error).toContain(`${refused.url}: refused`);
  expect(error).toContain(`${hung.url}: timeout`);
  expect(error).toContain(`${erroring.url}: erroring`);
  expect(error).toContain('HTTP 502');
  // The summary is written even when the step fails.
  expect(main.summary).toContain(hung.url);
});

test('a mirror that hangs mid-download is killed by the watchdog, dropped, and the retry passes', async () => {
  // Healthy for the probe, but the zip of one module never comes.
  const treacherous = await s.mirror({
    fault: 'hang',
    faultWhen: (path) => path.endsWith('/m05/@v/v1.0.0.zip'),
  });
  const { main } = await coldJob('hang after a good probe', [treacherous.url, healthy.url]);
  expect(main.outputs.goproxy).toBe(healthy.url);
  expect(main.summary).toMatch(/\| 1 \| .* \| stalled \|/);
  expect(main.summary).toMatch(/\| 2 \| .* \| ok \|/);
  expect(main.summary).toContain('failed-download');
});

test('a checksum mismatch mid-download drops the mirror that served it and keeps what was fetched', async () => {
  const impostor = await s.mirror({
    fault: 'wrongZip',
    faultWhen: (path) => path.endsWith('/m06/@v/v1.0.0.zip'),
  });
  const before = healthy.requests.length;
  const { main } = await coldJob('wrong zip after a good probe', [impostor.url, healthy.url]);
  expect(main.outputs.goproxy).toBe(healthy.url);
  expect(main.summary).toContain('wrong-content');
  const fromGo = (r: { userAgent: string; path: string }) =>
    r.path.endsWith('.zip') && !r.userAgent.startsWith('go-resilient-setup');
  const servedGood = impostor.requests.filter((r) => fromGo(r) && r.status === 200 && !r.faulted);
  const retried = new Set(
    healthy.requests
      .slice(before)
      .filter(fromGo)
      .map((r) => r.path),
  );
  // The bad zip came from the healthy mirror on the retry…
  expect(retried).toContain('/example.com/fixture/m06/@v/v1.0.0.zip');
  // …while zips that had landed in the module cache were not fetched again.
  expect(servedGood.length).toBeGreaterThan(0);
  expect(servedGood.some((r) => !retried.has(r.path))).toBe(true);
  expect(retried.size).toBeLessThan(8);
});

test('a go.work workspace: every module is prefetched, so later builds need no network', async () => {
  const ws = join(s.project.root, 'ws');
  for (const [dir, path] of [
    ['a', 'example.com/ws/a'],
    ['b', 'example.com/ws/b'],
  ]) {
    mkdirSync(join(ws, dir), { recursive: true });
    writeFileSync(
      join(ws, dir, 'go.mod'),
      readFileSync(join(s.project.appDir, 'go.mod'), 'utf8').replace('example.com/app', path),
    );
    copyFileSync(join(s.project.appDir, 'go.sum'), join(ws, dir, 'go.sum'));
    copyFileSync(join(s.project.appDir, 'main.go'), join(ws, dir, 'main.go'));
  }
  writeFileSync(join(ws, 'go.work'), 'go 1.21\n\nuse (\n\t./a\n\t./b\n)\n');
  const job = s.job();
  const main = await job.runMain({ mirrors: healthy.url, 'working-directory': 'ws' });
  expectSuccess(main);
  expect(main.stdout).toContain('2 go.sum file(s), 2 module(s)');
  const build = await job.run('go build -o /dev/null ./a ./b', {
    cwd: 'ws',
    env: { GOPROXY: 'off' },
  });
  expectSuccess(build);
});

test('a project without dependencies never fails for lack of something to probe', async () => {
  const dir = join(s.project.root, 'nodeps');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'go.mod'), 'module example.com/nodeps\n\ngo 1.21\n');
  writeFileSync(join(dir, 'main.go'), 'package main\n\nfunc main() { println("ok") }\n');
  const dead = await s.mirror({ fault: 'refused' });
  const job = s.job();
  const main = await job.runMain({ mirrors: dead.url, 'working-directory': 'nodeps' });
  expectSuccess(main);
  expectSuccess(await job.run('go build -o "$RUNNER_TEMP/nodeps" .', { cwd: 'nodeps' }));
});
