// What the workflow already set is the user's intent: GOPRIVATE, GONOPROXY and GONOSUMDB keep
// paths away from public mirrors, a GOPROXY or GOSUMDB the job set is honoured or replaced
// visibly, a second call leaves no stale export of the first, credentials never travel in
// clear, and no go command of the action downloads a toolchain behind the user's back.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Mirror } from '../support/goproxy-server.js';
import {
  privateModuleScenario,
  privateRequests,
  PRIVATE_MODULE,
} from '../support/private-project.js';
import { errorsOf, expectSuccess, goBuild, Scenario } from '../support/scenario.js';

const PRIVATE = PRIVATE_MODULE;
let s: Scenario;
let publicMirror: Mirror;
let corp: Mirror;

beforeAll(async () => {
  s = privateModuleScenario();
  // Both trees hold the private module, so a leak would not even fail: only the logs tell.
  publicMirror = await s.mirror();
  corp = await s.mirror();
});

afterAll(() => s?.close());

/** Inputs for a job that needs only the probe and the exports. */
const probeOnly = (extra: Record<string, string> = {}): Record<string, string> => ({
  mirrors: publicMirror.url,
  'working-directory': 'app',
  'probe-timeout': '2',
  prefetch: 'false',
  ...extra,
});

describe('private paths set in the workflow env', () => {
  test.each([['GOPRIVATE'], ['GONOPROXY'], ['GONOSUMDB']])(
    '%s: the public mirror never sees them, in the probe, the prefetch or the build',
    async (name) => {
      const before = privateRequests(publicMirror).length;
      const corpBefore = privateRequests(corp).length;
      const job = s.job({ env: { [name]: 'corp.example/*' } });
      const main = await job.runMain({
        'private-mirrors': corp.url,
        mirrors: publicMirror.url,
        'working-directory': 'app',
        'probe-timeout': '2',
      });
      expectSuccess(main);
      expectSuccess(await goBuild(job));
      expect(privateRequests(corp).length).toBeGreaterThan(corpBefore);
      expect(privateRequests(publicMirror).length).toBe(before);
      // The private mirrors lead, so they serve private paths too; the log says what changed.
      expect(job.env.GONOPROXY).toBe('none');
      if (name === 'GONOPROXY') {
        expect(main.stdout).toContain(
          "GONOPROXY=corp.example/* from the job's environment is exported as GONOPROXY=none",
        );
      }
    },
  );

  test('with no private mirror at all, the public mirror still never sees them', async () => {
    const before = privateRequests(publicMirror).length;
    const job = s.job({ env: { GOPRIVATE: 'corp.example/*' } });
    const main = await job.runMain({
      mirrors: publicMirror.url,
      'working-directory': 'app',
      'probe-timeout': '2',
    });
    // The private module is reachable from nowhere allowed, so the step fails, and says which.
    expect(main.exitCode).not.toBe(0);
    expect(errorsOf(main)).toContain(PRIVATE);
    expect(privateRequests(publicMirror).length).toBe(before);
    // GOPRIVATE stays what the job set, so later steps keep it away from the mirror too.
    expect(job.env.GOPRIVATE ?? 'corp.example/*').toBe('corp.example/*');
  });
});

describe('credentials over plain http', () => {
  test.each([
    ['mirrors', (m: Mirror) => ({ mirrors: m.url.replace('http://', 'http://bot:pass@') })],
    [
      'private-mirrors',
      (m: Mirror) => ({ 'private-mirrors': m.url.replace('http://', 'http://bot:pass@') }),
    ],
    [
      'tool-mirrors',
      (m: Mirror) => ({
        'tool-mirrors': m.url.replace('http://', 'http://bot:pass@'),
        'golangci-lint-version': 'v2.4.0',
      }),
    ],
  ])('in %s are refused before any request', async (input, inputs) => {
    const mirror = await s.mirror();
    const job = s.job();
    const main = await job.runMain({ 'working-directory': 'app', ...inputs(mirror) });
    expect(main.exitCode).not.toBe(0);
    const masked = mirror.url.replace('http://', 'http://***:***@');
    expect(errorsOf(main)).toContain(
      `${input}: "${masked}" carries credentials over http, which would send them in clear; use https://`,
    );
    expect(main.stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain('pass@');
    expect(mirror.requests).toHaveLength(0);
  });
});

describe('calling the action twice in one job', () => {
  test('the second call leaves no GONOPROXY=none of the first behind', async () => {
    const job = s.job({ env: { GOPRIVATE: 'corp.example/*' } });
    const first = await job.runMain({
      'private-mirrors': corp.url,
      mirrors: publicMirror.url,
      'working-directory': 'app',
      'probe-timeout': '2',
    });
    expectSuccess(first);
    expect(job.env.GONOPROXY).toBe('none');

    const second = await job.runMain(probeOnly());
    expectSuccess(second);
    // Back to the job's own value: unset, so Go derives GONOPROXY from GOPRIVATE again.
    expect(job.env.GONOPROXY).toBe('');
    expect(job.env.GOPROXY).toBe(publicMirror.url);
    expect(job.env.GOPRIVATE).toBe('corp.example/*');

    // A later download of the private module goes to version control, not the public mirror.
    const before = privateRequests(publicMirror).length;
    await job.run(`go clean -modcache && go mod download ${PRIVATE}@v1.2.0 || true`, {
      cwd: 'app',
      timeoutMs: 60_000,
    });
    expect(privateRequests(publicMirror).length).toBe(before);
  });
});

describe('GOPROXY and GOSUMDB the job set', () => {
  test('a GOPROXY set by the job is the mirror list when mirrors is left at its default', async () => {
    const job = s.job({ env: { GOPROXY: `${publicMirror.url},direct` } });
    const main = await job.runMain({ 'working-directory': 'app', 'probe-timeout': '2' });
    expectSuccess(main);
    expect(job.env.GOPROXY).toBe(`${publicMirror.url}|direct`);
    expect(main.stdout).toContain(
      `GOPROXY=${publicMirror.url},direct from the job's environment is used as the mirror list`,
    );
    expect(main.summary).toContain("from the job's environment is used as the mirror list");
    expectSuccess(await goBuild(job));
  });

  test('an explicit mirrors input wins, and the log says what it replaced', async () => {
    const job = s.job({ env: { GOPROXY: 'https://athens.corp.example' } });
    const main = await job.runMain(probeOnly());
    expectSuccess(main);
    expect(job.env.GOPROXY).toBe(publicMirror.url);
    expect(main.stdout).toContain(
      "GOPROXY=https://athens.corp.example from the job's environment is replaced by the probed chain",
    );
  });

  test('GOPROXY=off in the job with default mirrors is a clear error', async () => {
    const job = s.job({ env: { GOPROXY: 'off' } });
    const main = await job.runMain({ 'working-directory': 'app' });
    expect(main.exitCode).not.toBe(0);
    expect(errorsOf(main)).toContain(
      'GOPROXY: "off" from the job\'s environment turns module downloads off',
    );
  });

  test('a GOSUMDB the job set is kept', async () => {
    const job = s.job({ env: { GOSUMDB: 'sum.golang.google.cn' } });
    const main = await job.runMain(probeOnly());
    expectSuccess(main);
    expect(job.env.GOSUMDB).toBe('sum.golang.google.cn');
    expect(main.outputs.gosumdb).toBe('sum.golang.google.cn');
    expect(main.stdout).toContain('GOSUMDB=sum.golang.google.cn set by the job is kept');
  });
});

describe('a go.mod that needs a newer Go', () => {
  test('the toolchain is fetched through the mirrors, never from proxy.golang.org', async () => {
    const job = s.job({ unsetEnv: ['GOTOOLCHAIN'] });
    const gomod = join(job.workspace, 'app', 'go.mod');
    writeFileSync(gomod, 'module example.com/app\n\ngo 1.99.0\n');
    const main = await job.runMain({
      mirrors: publicMirror.url,
      'working-directory': 'app',
      'probe-timeout': '2',
    });
    expect(main.exitCode).not.toBe(0);
    const errors = errorsOf(main);
    expect(errors).toContain('app/go.mod: go 1.99.0 needs Go 1.99.0');
    expect(errors).toContain(`fetching that toolchain through GOPROXY=${publicMirror.url} failed`);
    expect(errors).not.toContain('proxy.golang.org');
    expect(
      publicMirror.requests.some((r) =>
        r.path.startsWith('/golang.org/toolchain/@v/v0.0.1-go1.99.0'),
      ),
    ).toBe(true);
  });
});

describe('bad inputs and environments, reported together', () => {
  test('working-directory that is a file is named along with every other bad input', async () => {
    const job = s.job();
    const main = await job.runMain({
      'working-directory': 'app/go.mod',
      'probe-timeout': '0.0001',
      mirrors: `file:qproxy\n${publicMirror.url}\n${publicMirror.url.toUpperCase()}`,
    });
    expect(main.exitCode).not.toBe(0);
    const errors = errorsOf(main);
    expect(errors).toContain('working-directory: "app/go.mod" is a file, not a directory');
    expect(errors).toContain('probe-timeout: "0.0001" is out of range');
    expect(errors).toContain('mirrors: "file:qproxy" is not a file URL Go accepts');
    expect(errors).toContain('is listed more than once');
    expect(errors).not.toContain('ENOTDIR');
  });
});
