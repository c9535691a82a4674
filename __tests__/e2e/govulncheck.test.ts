// govulncheck is built from pinned sums through the exported GOPROXY chain. A mirror serving
// anything but the pinned modules fails the build and nothing lands on PATH; the same code with
// fixture pins builds, caches and reuses the binary.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installGovulncheck } from '../../src/tools/govulncheck.js';
import { GOVULNCHECK_PINS, type GovulncheckPin } from '../../src/tools/govulncheck-pins.js';
import { startCacheService, type CacheService } from '../support/cache-server.js';
import { forceRemove } from '../support/fs-cleanup.js';
import { GO_BIN, goEnv, writeProxyTree, type FixtureModule } from '../support/gomodules.js';
import { startMirror, type Mirror } from '../support/goproxy-server.js';
import { errorsOf, Scenario } from '../support/scenario.js';
import { fakeLibrary, fakeVuln, FIXTURE_BANNER, pinFor } from '../support/vuln-fixtures.js';

const VERSION = 'v1.1.4';

describe('govulncheck through dist/ with the shipped pins', () => {
  let s: Scenario;
  let goproxy: Mirror;

  beforeAll(async () => {
    s = Scenario.withModules(2);
    // Impostors of every module the v1.1.4 pin requires, in the same tree as the project.
    const pin = GOVULNCHECK_PINS[VERSION];
    const dep = fakeLibrary('golang.org/x/mod', pin.require['golang.org/x/mod']);
    const others = Object.entries(pin.require)
      .filter(([path]) => path !== 'golang.org/x/vuln' && path !== dep.path)
      .map(([path, version]) => fakeLibrary(path, version));
    writeProxyTree(s.project.proxyDir, [fakeVuln(VERSION, dep), dep, ...others]);
    goproxy = await s.mirror();
  });
  afterAll(() => s?.close());

  test('a mirror serving an impostor golang.org/x/vuln fails verification, and nothing lands on PATH', async () => {
    const job = s.job();
    const main = await job.runMain({
      mirrors: goproxy.url,
      'working-directory': 'app',
      'probe-timeout': '2',
      'govulncheck-version': VERSION,
    });
    expect(main.exitCode).not.toBe(0);
    const errors = errorsOf(main);
    expect(errors).toContain(`govulncheck ${VERSION}: failed`);
    expect(errors).toContain('did not match the pinned go.sum');
    expect(errors).toMatch(
      /verifying golang\.org\/x\/vuln@v1\.1\.4(\/go\.mod)?: checksum mismatch/,
    );
    // The hash Go compared against is the shipped pin's (zip or go.mod line).
    expect(errors).toMatch(/go\.sum:\s+h1:(Ju8QsuyhX3Hk8ma3|F\+45wmU18ym\/ca5P)/);
    expect(goproxy.requests.some((r) => r.path.startsWith('/golang.org/x/vuln/@v/v1.1.4'))).toBe(
      true,
    );
    expect(job.paths).toEqual([]);
    expect(existsSync(join(job.dirs.toolCache, 'govulncheck'))).toBe(false);
    expect(main.outputs['govulncheck-path']).toBeUndefined();
    expect(main.summary).toMatch(/❌ govulncheck \| `v1\.1\.4` \| go\.sum pin/);
    const which = await job.run('command -v govulncheck || echo absent');
    expect(which.stdout.trim()).toBe('absent');
  });

  test('an unpinned version is refused before anything is probed or downloaded', async () => {
    const job = s.job();
    const before = goproxy.requests.length;
    const main = await job.runMain({
      mirrors: goproxy.url,
      'working-directory': 'app',
      'govulncheck-version': 'v1.0.0',
    });
    expect(main.exitCode).not.toBe(0);
    expect(errorsOf(main)).toContain(
      'govulncheck-version: "v1.0.0" has no pinned go.mod and go.sum in this action',
    );
    expect(errorsOf(main)).toContain(
      "v1.6.0, v1.5.0, v1.4.0, v1.3.0, v1.2.0, v1.1.4, v1.1.3, latest, or go.mod to build the version the project's go.mod requires",
    );
    expect(goproxy.requests.length).toBe(before);
  });
});

describe('govulncheck with fixture pins, through the same installer', () => {
  const saved: Record<string, string | undefined> = {};
  let root: string;
  let mirror: Mirror;
  let cacheService: CacheService;
  let pin: GovulncheckPin;
  let goversion: string;
  let env: Record<string, string>;

  const setEnv = (vars: Record<string, string>) => {
    for (const [k, v] of Object.entries(vars)) {
      if (!(k in saved)) saved[k] = process.env[k];
      process.env[k] = v;
    }
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'govulncheck-fixture-'));
    const dep: FixtureModule = fakeLibrary('example.com/vulndep', 'v1.2.3');
    const vuln = fakeVuln(VERSION, dep);
    writeProxyTree(join(root, 'proxy'), [vuln, dep]);
    pin = pinFor(vuln, [dep]);
    mirror = await startMirror({ root: join(root, 'proxy') });
    cacheService = await startCacheService();
    goversion = spawnSync(GO_BIN, ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout.trim();
    for (const d of ['temp', 'modcache', 'gocache']) mkdirSync(join(root, d));
    setEnv({
      RUNNER_TEMP: join(root, 'temp'),
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      GITHUB_SERVER_URL: 'https://github.com',
      ...cacheService.env('v2'),
    });
    env = goEnv({
      GOPROXY: mirror.url,
      GOMODCACHE: join(root, 'modcache'),
      GOCACHE: join(root, 'gocache'),
    });
  });

  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await mirror?.close();
    await cacheService?.close();
    forceRemove(root);
  });

  const install = (toolCache: string, goproxy: string) => {
    process.env.RUNNER_TOOL_CACHE = toolCache;
    const warnings: string[] = [];
    return installGovulncheck(
      { version: VERSION, pin },
      {
        goversion,
        env: { ...env, GOPROXY: goproxy },
        log: () => undefined,
        warn: (w) => warnings.push(w),
      },
    ).then((r) => ({ ...r, warnings }));
  };

  const run = (binary: string) => spawnSync(binary, [], { encoding: 'utf8' }).stdout.trim();

  test('builds from the pinned sums, with no checksum database, into the tool cache only', async () => {
    setEnv({ RUNNER_TOOL_CACHE: join(root, 'toolcache-1') });
    const first = await install(join(root, 'toolcache-1'), mirror.url);
    expect(first.warnings).toEqual([]);
    expect(first.report.cached).toBe('no');
    expect(first.report.integrity).toContain(`go.sum pin (${VERSION} h1:`);
    expect(first.dir).toBe(
      join(root, 'toolcache-1', 'govulncheck', '1.1.4', `${process.arch}-${goversion}`),
    );
    expect(run(first.report.path!)).toBe(`${FIXTURE_BANNER} ${VERSION} with example.com/vulndep`);
    // Only the proxy was asked: a sumdb lookup would have gone to sum.golang.org, which fails here.
    expect(mirror.requests.every((r) => !r.path.includes('/sumdb/'))).toBe(true);
    // A binary in the actions cache could be replaced by anyone who can write entries.
    expect(cacheService.requests).toEqual([]);
    // No build directory is left behind.
    expect(readdirSync(join(root, 'temp')).filter((d) => d.startsWith('govulncheck'))).toEqual([]);

    // Same runner again, offline: the tool cache answers.
    const again = await install(join(root, 'toolcache-1'), 'off');
    expect(again.report.cached).toBe('tool cache');
    expect(again.dir).toBe(first.dir);
  });

  test('a fresh tool cache builds again, offline, from the verified modules Go keeps', async () => {
    const warm = await install(join(root, 'toolcache-2'), 'off');
    expect(warm.report.cached).toBe('no');
    expect(run(warm.report.path!)).toBe(`${FIXTURE_BANNER} ${VERSION} with example.com/vulndep`);
    expect(cacheService.requests).toEqual([]);
  });

  test('with a pin that does not match what the mirror serves, nothing is installed', async () => {
    const tampered: GovulncheckPin = {
      ...pin,
      sum: pin.sum.map((l) =>
        l.startsWith('example.com/vulndep v1.2.3 h1:')
          ? 'example.com/vulndep v1.2.3 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='
          : l,
      ),
    };
    process.env.RUNNER_TOOL_CACHE = join(root, 'toolcache-3');
    await expect(
      installGovulncheck(
        { version: VERSION, pin: tampered },
        {
          goversion,
          env: { ...env, GOMODCACHE: join(root, 'modcache-3') },
          log: () => undefined,
          warn: () => undefined,
        },
      ),
    ).rejects.toThrow(/did not match the pinned go.sum[\s\S]*example.com\/vulndep/);
    expect(existsSync(join(root, 'toolcache-3', 'govulncheck'))).toBe(false);
  });
});
