// Real projects are not all one module with a clean go.mod: Go's own errors must reach the user
// unchanged, vendored projects need no mirror, fixture modules under testdata/ are not the
// project's, and a cache-dependency-path that matches nothing must not pass for a full cache.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forceRemove } from '../support/fs-cleanup.js';
import { goVersion } from '../support/go-bin.js';
import { GO_BIN, goEnv } from '../support/gomodules.js';
import type { Mirror } from '../support/goproxy-server.js';
import type { Job, StepResult } from '../support/runner.js';
import { errorsOf, expectSuccess, goBuild, Scenario, warningsOf } from '../support/scenario.js';

const PROBE_TIMEOUT = '2';
let s: Scenario;
let healthy: Mirror;
let erroring: Mirror;

beforeAll(async () => {
  s = Scenario.withModules(3);
  healthy = await s.mirror();
  erroring = await s.mirror({ fault: 'status502' });
});

afterAll(async () => {
  await s?.close();
});

function main(job: Job, mirrors: Mirror[], inputs: Record<string, string> = {}) {
  return job.runMain({
    mirrors: mirrors.map((m) => m.url).join('\n'),
    'working-directory': 'app',
    'probe-timeout': PROBE_TIMEOUT,
    ...inputs,
  });
}

function appFile(job: Job, name: string): string {
  return join(job.workspace, 'app', name);
}

/** The prefetch attempts the job summary lists. */
function attemptRows(step: StepResult): string[] {
  const section = step.summary.split('### Prefetch')[1] ?? '';
  return section.split('\n').filter((l) => /^\| \d+ \|/.test(l));
}

// [case, how go.mod is broken, what Go says]
const goErrors: [string, (goMod: string) => string, RegExp][] = [
  [
    'a syntax error in go.mod',
    (goMod) => `${goMod}\nrequire (\n\texample.com/fixture/m01 v1.0.0\n`,
    /errors parsing go\.mod:[\s\S]*syntax error/,
  ],
  [
    'a replace to a missing directory',
    (goMod) => `${goMod}\nreplace example.com/fixture/m01 => ../missing\n`,
    /example\.com\/fixture\/m01@v1\.0\.0 \(replaced by \.\.\/missing\): reading \.\.\/missing\/go\.mod/,
  ],
];

describe.each(goErrors)('%s', (_name, breakGoMod, goSays) => {
  test("the step fails at once with Go's own error and the module directory", async () => {
    const job = s.job();
    writeFileSync(appFile(job, 'go.mod'), breakGoMod(readFileSync(appFile(job, 'go.mod'), 'utf8')));
    const step = await main(job, [healthy]);
    expect(step.exitCode).not.toBe(0);
    const error = errorsOf(step);
    expect(error).toMatch(goSays);
    expect(error).toContain(join(job.workspace, 'app'));
    expect(error).toContain('after 1 attempt(s)');
    expect(attemptRows(step)).toHaveLength(1);
    expect(step.stdout).not.toMatch(/Retrying|probing the mirrors again/);
    // One `go mod download` and no backoff: far below the three attempts it used to take.
    expect(step.durationMs).toBeLessThan(30_000);
  });
});

describe('a go line newer than the installed Go, under GOTOOLCHAIN=local', () => {
  // One minor release above whichever Go runs the tests, so the case holds on every Go.
  const installed = (() => {
    const v = goVersion(GO_BIN);
    if (!v.ok) throw new Error(v.problem);
    return v.version;
  })();
  const next = `1.${Number(/^go1\.(\d+)/.exec(installed)![1]) + 1}`;

  test.each([
    ['with the prefetch', {}],
    ['without the prefetch', { prefetch: 'false' }],
  ])('fails %s, naming the line, the installed Go and what to install', async (_, inputs) => {
    const job = s.job();
    const goMod = readFileSync(appFile(job, 'go.mod'), 'utf8').replace(/^go .*$/m, `go ${next}`);
    writeFileSync(appFile(job, 'go.mod'), goMod);
    const step = await main(job, [healthy], inputs);
    expect(step.exitCode).not.toBe(0);
    const error = errorsOf(step);
    expect(error).toContain(
      `app/go.mod: go ${next} needs Go ${next}.0 or later, but the installed Go is ${installed} and GOTOOLCHAIN=local keeps Go from fetching a newer one.`,
    );
    expect(error).toContain(`Install Go ${next}.0 or later before this step`);
    // Said before any download, which could only fail the same way.
    expect(attemptRows(step)).toHaveLength(0);
    expect(step.durationMs).toBeLessThan(30_000);
    // Go itself agrees the line is too new for it.
    const res = spawnSync(GO_BIN, ['mod', 'download'], {
      cwd: join(job.workspace, 'app'),
      env: goEnv({ GOPROXY: 'off' }),
      encoding: 'utf8',
    });
    expect(res.stderr).toContain(
      `go.mod requires go >= ${next} (running go ${installed.slice(2)}; GOTOOLCHAIN=local)`,
    );
  });
});

/** Runs `go mod vendor` in the job's app against the fixture proxy, as the project's author did. */
function vendorApp(job: Job): void {
  const scratch = mkdtempSync(join(tmpdir(), 'gofixture-vendor-'));
  try {
    const res = spawnSync(GO_BIN, ['mod', 'vendor'], {
      cwd: join(job.workspace, 'app'),
      encoding: 'utf8',
      env: goEnv({
        GOPROXY: s.project.proxyUrl,
        GOSUMDB: 'off',
        GOMODCACHE: join(scratch, 'modcache'),
        GOPATH: join(scratch, 'gopath'),
        GOENV: 'off',
        GOWORK: 'off',
      }),
    });
    if (res.status !== 0) throw new Error(`go mod vendor failed:\n${res.stderr}`);
  } finally {
    forceRemove(scratch);
  }
}

describe('a vendored project', () => {
  test('every mirror answering 502: green, the build works with the exported env, the summary says vendored', async () => {
    const job = s.job();
    vendorApp(job);
    const before = erroring.requests.length;
    const step = await main(job, [erroring]);
    expectSuccess(step);
    // Kept as given for a later `go get`, with a warning that nothing answered.
    expect(job.env.GOPROXY).toBe(erroring.url);
    expect(
      step.commands.some((c) => c.command === 'warning' && /No mirror is usable/.test(c.message)),
    ).toBe(true);
    expect(step.summary).toContain('Vendored project');
    expect(step.summary).toContain('Skipped: vendored project');
    // Only the action's probes asked; no `go mod download` ran.
    const fromGo = erroring.requests.slice(before).filter((r) => r.fromGo);
    expect(fromGo).toEqual([]);
    expectSuccess(await goBuild(job));
  });

  test('-mod=vendor in GOFLAGS counts as vendored', async () => {
    const job = s.job({ env: { GOFLAGS: '-modcacherw -mod=vendor' } });
    vendorApp(job);
    // Go 1.13 would not default to vendor/: only the flag makes this project vendored.
    const goMod = readFileSync(appFile(job, 'go.mod'), 'utf8');
    writeFileSync(appFile(job, 'go.mod'), goMod.replace(/^go .*$/m, 'go 1.13'));
    const step = await main(job, [erroring]);
    expectSuccess(step);
    expect(step.summary).toContain('GOFLAGS sets -mod=vendor');
  });

  test('a healthy mirror is exported, and nothing is downloaded', async () => {
    const job = s.job();
    vendorApp(job);
    const before = healthy.requests.length;
    const step = await main(job, [erroring, healthy]);
    expectSuccess(step);
    expect(job.env.GOPROXY).toBe(healthy.url);
    expect(step.outputs['healthy-mirrors']).toBe(healthy.url);
    // Only the action's probes asked; no `go mod download` ran.
    const fromGo = healthy.requests.slice(before).filter((r) => r.fromGo);
    expect(fromGo).toEqual([]);
    expectSuccess(await goBuild(job));
  });

  test('vendor/ with -mod=mod in GOFLAGS is not vendored: no mirror, no success', async () => {
    const job = s.job({ env: { GOFLAGS: '-modcacherw -mod=mod' } });
    vendorApp(job);
    const step = await main(job, [erroring]);
    expect(step.exitCode).not.toBe(0);
    expect(errorsOf(step)).toContain('No usable GOPROXY mirror');
  });
});

test('a testdata module requiring a module no mirror has does not fail the job', async () => {
  const job = s.job();
  const fixture = join(job.workspace, 'app', 'internal', 'lint', 'testdata', 'src', 'broken');
  mkdirSync(fixture, { recursive: true });
  writeFileSync(
    join(fixture, 'go.mod'),
    'module example.com/broken\n\ngo 1.21\n\nrequire example.com/nowhere v1.0.0\n',
  );
  writeFileSync(
    join(fixture, 'go.sum'),
    [
      'example.com/nowhere v1.0.0 h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
      'example.com/nowhere v1.0.0/go.mod h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
      '',
    ].join('\n'),
  );
  writeFileSync(join(fixture, 'main.go'), 'package main\n\nfunc main() {}\n');
  mkdirSync(join(job.workspace, 'app', 'internal', 'lint'), { recursive: true });
  writeFileSync(join(job.workspace, 'app', 'internal', 'lint', 'lint.go'), 'package lint\n');
  const step = await main(job, [healthy]);
  expectSuccess(step);
  expect(step.stdout).toContain('1 go.sum file(s), 1 module(s)');
  expect(healthy.requests.some((r) => r.path.includes('nowhere'))).toBe(false);
  expectSuccess(
    await job.run('go build ./... && go vet ./...', { cwd: 'app', timeoutMs: 120_000 }),
  );
});

describe('a cache-dependency-path that matches no go.sum', () => {
  test('with the only mirror dead: no GOPROXY=off claim; the step fails and says why', async () => {
    const dead = await s.mirror({ fault: 'refused' });
    const job = s.job();
    const step = await main(job, [dead], { 'cache-dependency-path': 'go.summ' });
    expect(step.exitCode).not.toBe(0);
    expect(errorsOf(step)).toContain('No usable GOPROXY mirror');
    expect(job.env.GOPROXY).not.toBe('off');
    expect(step.stdout).not.toContain('already holds everything');
    expect(warningsOf(step)).toContain('cache-dependency-path: "go.summ" matches no go.sum');
  });

  test('is named in a warning even with cache: false', async () => {
    const job = s.job();
    const step = await main(job, [healthy], {
      'cache-dependency-path': 'go.sum\nstuff/**/go.summ',
      cache: 'false',
    });
    expectSuccess(step);
    expect(warningsOf(step)).toContain(
      'cache-dependency-path: "stuff/**/go.summ" matches no go.sum',
    );
    expect(warningsOf(step)).not.toContain('"go.sum" matches no go.sum');
  });

  test('with the working directory module fully cached: the claim is checked, and true', async () => {
    const first = s.job();
    expectSuccess(await main(first, [healthy]));
    const dead = await s.mirror({ fault: 'refused' });
    const job = s.job({ env: { GOMODCACHE: first.dirs.gomodcache } });
    const step = await main(job, [dead], { 'cache-dependency-path': 'go.summ' });
    expectSuccess(step);
    expect(job.env.GOPROXY).toBe('off');
    expectSuccess(await goBuild(job));
  });
});

test('the only mirror failing mid-download: the log and the attempt count agree', async () => {
  // Healthy for the probe (it asks for example.com/Fixture/Upper), 502 for another module's zip.
  const failing = await s.mirror({
    fault: 'status502',
    faultWhen: (path) => path.includes('/m03/') && path.endsWith('.zip'),
  });
  const job = s.job();
  const step = await main(job, [failing]);
  expect(step.exitCode).not.toBe(0);
  const error = errorsOf(step);
  expect(error).toContain('after 1 attempt(s) (not retried: every mirror in the chain failed');
  expect(error).toContain('example.com/fixture/m03@v1.0.0');
  expect(attemptRows(step)).toHaveLength(1);
  expect(step.stdout).not.toMatch(/Retrying|another attempt/);
});
