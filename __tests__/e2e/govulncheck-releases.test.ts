// The newest pinned govulncheck through dist/, from a loopback mirror serving stand-ins at
// exactly its pinned module paths and versions. The stand-ins' pin is made the way
// update-govulncheck-pins makes the real ones: from a go.mod and go.sum that the real
// `go mod tidy` wrote for a stand-in golang/vuln, and x/vuln's own lines. The action's copy
// builds from it in place of the shipped pin; everything else is the shipped action.
// v1.2.0 and later need Go 1.25: on an older Go the same release must fail before any
// download, naming the newest release that works, and `latest` must pick that one.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { dirname, join } from 'node:path';
import { GOVULNCHECK_PINS, type GovulncheckPin } from '../../src/tools/govulncheck-pins.js';
import { copyBuiltAction, swapBundledPins } from '../support/action-copy.js';
import {
  goIsNewEnough,
  goversion,
  govulncheckStandIns,
  LATEST,
  NEWEST,
  NEWEST_BEFORE_GO_1_25,
} from '../support/govulncheck-stand-ins.js';
import { writeProxyTree } from '../support/gomodules.js';
import type { Mirror } from '../support/goproxy-server.js';
import { errorsOf, expectSuccess, Scenario } from '../support/scenario.js';
import { FIXTURE_BANNER } from '../support/vuln-fixtures.js';

const lineKeys = (pin: GovulncheckPin) => pin.sum.map((l) => l.slice(0, l.lastIndexOf(' ')));

describe(`govulncheck ${NEWEST} and latest through dist/ with ${goversion}`, () => {
  let s: Scenario;
  let goproxy: Mirror;
  let actionYmlPath: string;
  /** Pins of the stand-ins, by release. */
  let standInPins: Record<string, GovulncheckPin>;

  beforeAll(async () => {
    s = Scenario.withModules(2);
    const standIns = govulncheckStandIns(join(s.root, 'govulncheck-stand-ins'));
    standInPins = standIns.pins;
    writeProxyTree(s.project.proxyDir, standIns.modules);
    actionYmlPath = copyBuiltAction(join(s.root, 'action'));
    swapBundledPins(dirname(actionYmlPath), GOVULNCHECK_PINS, standInPins);
    goproxy = await s.mirror();
  });
  afterAll(() => s?.close());

  const run = (job: ReturnType<Scenario['job']>, version: string, mirror = goproxy) =>
    job.runMain(
      {
        mirrors: mirror.url,
        'working-directory': 'app',
        'probe-timeout': '2',
        'govulncheck-version': version,
      },
      { timeoutMs: 600_000 },
    );

  const describeIf = (cond: boolean) => (cond ? describe : describe.skip);

  describeIf(goIsNewEnough)(`with Go 1.25 or newer`, () => {
    test('the stand-ins sit at exactly the pinned module paths and versions', () => {
      const shipped = GOVULNCHECK_PINS[NEWEST];
      const ours = standInPins[NEWEST];
      expect(ours.go).toBe(shipped.go);
      expect(ours.require).toEqual(shipped.require);
      expect(lineKeys(ours)).toEqual(lineKeys(shipped));
      // Only the hashes differ: these are stand-ins.
      expect(ours.sum).not.toContain(shipped.sum.find((l) => l.startsWith('golang.org/x/vuln ')));
    });

    test(`${NEWEST} builds from matching sums and lands on PATH`, async () => {
      const job = s.job({ actionYmlPath });
      const main = await run(job, NEWEST);
      expectSuccess(main);
      expect(main.outputs['govulncheck-version']).toBe(NEWEST);
      expect(job.paths).toHaveLength(1);
      const zip = standInPins[NEWEST].sum.find((l) => l.startsWith(`golang.org/x/vuln ${NEWEST} `));
      expect(main.summary).toContain(
        `| ✅ govulncheck | \`${NEWEST}\` | go.sum pin (${zip!.split(' ').slice(1).join(' ')}), built with ${goversion} |`,
      );
      // Every module of the build came through the mirror, nested ones included.
      for (const path of ['golang.org/x/tools', 'golang.org/x/telemetry', 'golang.org/x/sys']) {
        const version = GOVULNCHECK_PINS[NEWEST].require[path];
        expect(goproxy.requests.map((r) => r.path)).toContain(`/${path}/@v/${version}.zip`);
      }
      const which = await job.run('govulncheck');
      expect(which.stdout).toContain(`${FIXTURE_BANNER} ${NEWEST} with golang.org/x/mod`);
    });

    test('with one wrong zip Go refuses, and nothing lands on PATH', async () => {
      const tools = `/golang.org/x/tools/@v/${GOVULNCHECK_PINS[NEWEST].require['golang.org/x/tools']}.zip`;
      const bad = await s.mirror({ fault: 'wrongZip', faultWhen: (path) => path === tools });
      const job = s.job({ actionYmlPath });
      const main = await run(job, NEWEST, bad);
      expect(main.exitCode).not.toBe(0);
      const errors = errorsOf(main);
      expect(errors).toContain(`govulncheck ${NEWEST}: failed while downloading its modules`);
      expect(errors).toContain('did not match the pinned go.sum');
      expect(errors).toMatch(/verifying golang\.org\/x\/tools@v0\.48\.0: checksum mismatch/);
      expect(bad.requests.some((r) => r.path === tools && r.faulted)).toBe(true);
      expect(job.paths).toEqual([]);
      expect(main.outputs['govulncheck-path']).toBeUndefined();
      const which = await job.run('command -v govulncheck || echo absent');
      expect(which.stdout.trim()).toBe('absent');
    });
  });

  describeIf(!goIsNewEnough)('with a Go older than 1.25', () => {
    test(`${NEWEST} fails before any download, naming the newest release that works`, async () => {
      const job = s.job({ actionYmlPath });
      const before = goproxy.requests.length;
      const main = await run(job, NEWEST);
      expect(main.exitCode).not.toBe(0);
      expect(errorsOf(main)).toBe(
        `govulncheck-version: ${NEWEST} needs Go 1.25 or newer, but this job's Go is ${goversion}. Install a newer Go before this step (e.g. actions/setup-go with go-version: '1.25'), or use govulncheck-version: ${NEWEST_BEFORE_GO_1_25}, the newest pinned release ${goversion} can build (latest picks it).`,
      );
      expect(goproxy.requests.length).toBe(before);
      expect(job.paths).toEqual([]);
    });
  });

  test(`latest is resolved to ${LATEST} before anything is downloaded, and built`, async () => {
    const job = s.job({ actionYmlPath });
    const main = await run(job, 'latest');
    expectSuccess(main);
    const note = `govulncheck-version: latest is ${LATEST}, the newest pinned release ${goversion} can build.`;
    const log = main.stdout.split('\n');
    const resolvedAt = log.findIndex((l) => l === note);
    expect(resolvedAt).toBeGreaterThanOrEqual(0);
    // Before the caches, the probes and the build: nothing has been fetched yet.
    expect(resolvedAt).toBeLessThan(log.findIndex((l) => l.startsWith('::group::')));
    expect(main.summary).toContain(`> ${note}`);
    expect(main.summary).toContain(`| ✅ govulncheck | \`${LATEST}\` |`);
    expect(main.outputs['govulncheck-version']).toBe(LATEST);
    const which = await job.run('govulncheck');
    expect(which.stdout).toContain(`${FIXTURE_BANNER} ${LATEST} with`);
  });
});
