// Every shipped govulncheck pin holds the sums of its build module's whole module graph, so
// no go command in that module ever has to ask a checksum database. Checked with stand-ins at
// the pin's exact module versions and the pin's own lines, re-hashed to the stand-ins'.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildModuleFiles,
  GOVULNCHECK_PINS,
  goOutside,
  type GovulncheckPin,
} from '../../src/tools/govulncheck-pins.js';
import { goRelease } from '../../src/util/release-version.js';
import { forceRemove } from '../support/fs-cleanup.js';
import { runProcess } from '../support/process-runner.js';
import { GO_BIN, goEnv, writeProxyTree } from '../support/gomodules.js';
import { startMirror, type Mirror } from '../support/goproxy-server.js';
import { closedPort } from '../support/loopback.js';
import { rehashPin, standInRelease, vulnModule } from '../support/vuln-fixtures.js';

const goversion = spawnSync(GO_BIN, ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout.trim();

/**
 * Every go line from 1.17 on prunes the module graph alike, so where the Go under test is too
 * old for the pin, the build module and stand-in x/vuln say its version instead: same sums.
 */
const goLine = (pin: GovulncheckPin): string =>
  goOutside(pin, goversion) === 'older' ? goRelease(goversion)! : pin.go;

describe('the shipped govulncheck pins against stand-ins of their module graphs', () => {
  let root: string;
  let sumdb: string;
  // A mirror per release: the same module version may be wired differently in two releases.
  const releases = new Map<string, { pin: GovulncheckPin; mirror: Mirror }>();

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'govulncheck-pins-'));
    for (const [version, pin] of Object.entries(GOVULNCHECK_PINS)) {
      const release = standInRelease(version, { ...pin, go: goLine(pin) });
      const modules = [vulnModule(version, release.repo), ...release.deps];
      writeProxyTree(join(root, 'proxy', version), modules);
      const mirror = await startMirror({ root: join(root, 'proxy', version) });
      releases.set(version, { pin: rehashPin(pin, modules), mirror });
    }
    // A checksum database that refuses every connection: any sum the pin lacks is an error.
    sumdb = `sum.golang.org http://127.0.0.1:${await closedPort()}`;
  });
  afterAll(async () => {
    await Promise.all([...releases.values()].map((r) => r.mirror.close()));
    forceRemove(root);
  });

  /** Writes the build module the action would write for this pin, and runs go in it. */
  const inBuildModule = (name: string, version: string, pin: GovulncheckPin) => {
    const dir = join(root, name);
    mkdirSync(dir);
    const { goMod, goSum } = buildModuleFiles({ ...pin, go: goLine(pin) });
    writeFileSync(join(dir, 'go.mod'), goMod);
    writeFileSync(join(dir, 'go.sum'), goSum);
    const env = goEnv({
      GOPROXY: releases.get(version)!.mirror.url,
      GOSUMDB: sumdb,
      GOFLAGS: '-modcacherw -mod=mod',
      GOMODCACHE: join(root, `${name}-modcache`),
      GOCACHE: join(root, 'gocache'),
      GOENV: 'off',
      GOWORK: 'off',
    });
    return {
      goSum,
      // Asynchronously: the mirror answers from this very process.
      run: async (...args: string[]) => {
        const r = await runProcess(GO_BIN, args, { cwd: dir, env, timeoutMs: 60_000 });
        return { code: r.exitCode, out: `${r.stdout}${r.stderr}` };
      },
      sumNow: () => readFileSync(join(dir, 'go.sum'), 'utf8'),
    };
  };

  test.each(Object.keys(GOVULNCHECK_PINS))(
    '%s: go mod graph, go mod verify and go list -m all need no checksum database',
    async (version) => {
      const build = inBuildModule(version, version, releases.get(version)!.pin);
      for (const args of [
        ['mod', 'graph'],
        ['mod', 'verify'],
        ['list', '-m', 'all'],
      ]) {
        expect({ args, ...(await build.run(...args)) }).toEqual({
          args,
          code: 0,
          out: expect.not.stringContaining('verifying'),
        });
      }
      expect((await build.run('mod', 'graph')).out).toContain(
        'github.com/google/go-cmdtest@v0.4.1-0.20220921163831-55ab3332a786 github.com/google/go-cmp@v0.3.1',
      );
      // Nothing was added: the pin already held every line.
      expect(build.sumNow()).toBe(build.goSum);
    },
  );

  test('the check fails for a pin without the go.mod sum of go-cmp v0.3.1', async () => {
    const pin = releases.get('v1.1.4')!.pin;
    const build = inBuildModule('without-go-cmp-v0.3.1', 'v1.1.4', {
      ...pin,
      sum: pin.sum.filter((l) => !l.startsWith('github.com/google/go-cmp v0.3.1/go.mod ')),
    });
    for (const args of [
      ['mod', 'graph'],
      ['mod', 'verify'],
    ]) {
      const r = await build.run(...args);
      expect(r.code).not.toBe(0);
      expect(r.out).toContain('github.com/google/go-cmp@v0.3.1: verifying go.mod');
    }
  });
});
