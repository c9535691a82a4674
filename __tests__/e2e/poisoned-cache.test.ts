// Someone who can write this repository's cache entries (a workflow of the default branch, or
// code any job there runs) replaces entries with archives of their own. Nothing of such an
// archive may land outside its entry's directories, no module version go.sum does not name
// may reach the module cache, and no binary from the cache may run. The job stays green, as on
// a cold run. Each archive here is a real entry's archive with hostile members added.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { cacheVersion } from '../../src/cache-service/protocol.js';
import { hashZip } from '../../src/gomod/dirhash.js';
import { GOVULNCHECK_PINS, goversionSlug, pinDigest } from '../../src/tools/govulncheck-pins.js';
import { copyBuiltAction, swapBundledPins } from '../support/action-copy.js';
import { startCacheService, type CacheService } from '../support/cache-server.js';
import {
  GO_BIN,
  moduleGoMod,
  moduleInfo,
  moduleZip,
  writeProxyTree,
  type FixtureModule,
} from '../support/gomodules.js';
import type { Mirror } from '../support/goproxy-server.js';
import type { Job } from '../support/runner.js';
import { expectSuccess, goBuild, Scenario, warningsOf } from '../support/scenario.js';
import { archiveOf, member, poisoned } from '../support/tar-poison.js';
import { fakeLibrary, fakeVuln, FIXTURE_BANNER, pinFor } from '../support/vuln-fixtures.js';

/** Where a job's directories sit in an archive: relative to its workspace, as the toolkit writes. */
const HOME = '../../../home';
const SNAPSHOT = `${HOME}/go/pkg/mod/cache/download`;
const GOCACHE = `${HOME}/.cache/go-build`;

/** A module no go.sum of the project names; a later step runs it with `go run`. */
const TOOL: FixtureModule = {
  path: 'example.com/tool',
  version: 'v1.0.0',
  files: { 'main.go': 'package main\n\nfunc main() { println("genuine tool") }\n' },
};
const EVIL_TOOL: FixtureModule = {
  ...TOOL,
  files: { 'main.go': 'package main\n\nfunc main() { println("evil tool") }\n' },
};

const goversion = spawnSync(GO_BIN, ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout.trim();
const VULN_VERSION = 'v1.1.4';
const vulnDep = fakeLibrary('example.com/vulndep', 'v1.2.3');
const vuln = fakeVuln(VULN_VERSION, vulnDep);
const evilVuln: FixtureModule = {
  ...vuln,
  files: {
    ...vuln.files,
    'cmd/govulncheck/main.go':
      'package main\n\nimport "os"\n\nfunc main() { os.Stdout.WriteString("No vulnerabilities found.\\n") }\n',
  },
};
const pin = pinFor(vuln, [vulnDep]);

let s: Scenario;
let mirror: Mirror;
let service: CacheService;
let actionYmlPath: string;
const saved: { snapshot?: string; buildCache?: string } = {};

/** Inputs every job here uses; the cold job saved under the same keys. */
const inputs = (extra: Record<string, string> = {}) => ({
  mirrors: mirror.url,
  'working-directory': 'app',
  'probe-timeout': '2',
  ...extra,
});

beforeAll(async () => {
  s = Scenario.withModules(3);
  writeProxyTree(s.project.proxyDir, [TOOL, vuln, vulnDep]);
  mirror = await s.mirror();
  service = await startCacheService();
  // A copy of the action that builds govulncheck v1.1.4 from the stand-ins' pin.
  actionYmlPath = copyBuiltAction(join(s.root, 'action'));
  swapBundledPins(join(s.root, 'action'), GOVULNCHECK_PINS, { [VULN_VERSION]: pin });

  const cold = job();
  const main = await cold.runMain(inputs());
  expectSuccess(main);
  expectSuccess(await goBuild(cold));
  expectSuccess(await cold.runPost());
  saved.snapshot = main.outputs['cache-key'];
  saved.buildCache = service.entries().find((e) => e.key.startsWith('go-build-'))?.key;
  if (!saved.snapshot || !saved.buildCache) throw new Error('the cold job saved no entries');
});

afterAll(async () => {
  await service?.close();
  await s?.close();
});

function job(): Job {
  return s.job({ env: service.env('v2'), ownGocache: true, actionYmlPath });
}

/** The archive the cold job saved under `key`, as the stand-in holds it. */
function savedArchive(key: string): Buffer {
  const entry = service.entries().find((e) => e.key === key);
  if (!entry) throw new Error(`no entry ${key}`);
  return entry.archive;
}

/** Replaces the entry with its own archive plus `extra` members, then restores the original. */
async function withPoisoned<T>(key: string, extra: Buffer[], run: () => Promise<T>): Promise<T> {
  const original = savedArchive(key);
  service.tamper(key, poisoned(original, extra, 'first'));
  try {
    return await run();
  } finally {
    service.tamper(key, original);
  }
}

/** Hostile members aimed at `target`, a directory outside every cache directory of `victim`. */
function attacks(prefix: string, victim: Job): Record<string, { members: Buffer[]; hit: string }> {
  const target = join(victim.runnerDir, 'outside');
  mkdirSync(target, { recursive: true });
  return {
    'an absolute member': {
      members: [member(join(victim.dirs.home, '.bashrc'), { body: 'echo pwned\n' })],
      hit: join(victim.dirs.home, '.bashrc'),
    },
    'a climbing member': {
      members: [
        // Below the entry's own directory, then up and out of it.
        member(`${prefix}/${'../'.repeat(30)}${join(target, 'climbed').slice(1)}`, {
          body: 'climbed\n',
        }),
        member(relative(victim.workspace, join(target, 'climbed2')), { body: 'climbed\n' }),
      ],
      hit: join(target, 'climbed'),
    },
    'a symlink, then a file under it': {
      members: [
        member(`${prefix}/link`, { type: 'symlink', link: target }),
        member(`${prefix}/link/planted`, { body: 'planted\n' }),
      ],
      hit: join(target, 'planted'),
    },
  };
}

const KINDS = ['an absolute member', 'a climbing member', 'a symlink, then a file under it'];

describe('a poisoned module snapshot', () => {
  test.each(KINDS)(
    'with %s writes nothing outside, and the job goes on as on a cold run',
    async (kind) => {
      const warm = job();
      const attack = attacks(SNAPSHOT, warm)[kind];
      const main = await withPoisoned(saved.snapshot!, attack.members, () =>
        warm.runMain(inputs()),
      );
      expectSuccess(main);
      expect(existsSync(attack.hit)).toBe(false);
      expect(warningsOf(main)).toMatch(
        /Module cache restore failed, going on without it: the archive was refused: /,
      );
      expect(main.outputs['cache-hit']).toBe('false');
      expect(main.outputs['cache-matched-key']).toBe('');
      // Nothing of the archive reached the module cache; the prefetch filled it from the mirror.
      expect(readdirSync(join(warm.dirs.gomodcache, 'cache', 'download')).sort()).toEqual([
        'example.com',
      ]);
      expectSuccess(await goBuild(warm));
      expect(existsSync(attack.hit)).toBe(false);
    },
  );

  test('with an extra module version and a forged .ziphash: a later go run gets the genuine one', async () => {
    const warm = job();
    const evilZip = moduleZip(EVIL_TOOL);
    const at = `${SNAPSHOT}/example.com/tool/@v/v1.0.0`;
    const main = await withPoisoned(
      saved.snapshot!,
      [
        member(`${at}.zip`, { body: evilZip }),
        member(`${at}.mod`, { body: moduleGoMod(TOOL) }),
        member(`${at}.info`, { body: moduleInfo(TOOL.version) }),
        // What Go trusts instead of hashing the zip: the genuine module's hash.
        member(`${at}.ziphash`, { body: hashZip(moduleZip(TOOL)) }),
      ],
      () => warm.runMain(inputs()),
    );
    expectSuccess(main);
    expect(existsSync(join(warm.dirs.gomodcache, 'cache/download/example.com/tool'))).toBe(false);
    const ran = await warm.run('go run example.com/tool@v1.0.0', {
      env: { GONOSUMDB: 'example.com', GOFLAGS: '-modcacherw' },
      timeoutMs: 120_000,
    });
    expectSuccess(ran);
    expect(ran.stderr).toContain('genuine tool');
    expect(ran.stderr).not.toContain('evil tool');
    expect(main.summary).toMatch(
      /left out, never unpacked \| [^|]*\b3 files of module versions no go\.sum names/,
    );
    expect(main.summary).toMatch(/left out, never unpacked \| [^|]*\.ziphash files/);
    // Every .ziphash in the module cache holds the hash of the zip beside it.
    for (const file of zipsIn(join(warm.dirs.gomodcache, 'cache', 'download'))) {
      expect(readFileSync(file.replace(/\.zip$/, '.ziphash'), 'utf8')).toBe(
        hashZip(readFileSync(file)),
      );
    }
  });

  test('with an impostor golang.org/x/vuln and a forged .ziphash: govulncheck is built from the genuine one', async () => {
    const warm = job();
    const at = `${SNAPSHOT}/golang.org/x/vuln/@v/${VULN_VERSION}`;
    const main = await withPoisoned(
      saved.snapshot!,
      [
        member(`${at}.zip`, { body: moduleZip(evilVuln) }),
        member(`${at}.mod`, { body: moduleGoMod(vuln) }),
        member(`${at}.info`, { body: moduleInfo(VULN_VERSION) }),
        member(`${at}.ziphash`, { body: hashZip(moduleZip(vuln)) }),
      ],
      () => warm.runMain(inputs({ 'govulncheck-version': VULN_VERSION })),
    );
    expectSuccess(main);
    const ran = await warm.run('govulncheck');
    expectSuccess(ran);
    expect(ran.stdout.trim()).toBe(`${FIXTURE_BANNER} ${VULN_VERSION} with example.com/vulndep`);
  });
});

describe("govulncheck's modules in the snapshot", () => {
  test('a warm job with every mirror dead still builds it, from modules checked against the pin', async () => {
    // A service of its own: the entries this test saves must not be what later tests restore.
    const own = await startCacheService();
    try {
      const onOwn = () => s.job({ env: own.env('v2'), ownGocache: true, actionYmlPath });
      const withVuln = inputs({ 'govulncheck-version': VULN_VERSION });
      const cold = onOwn();
      const main = await cold.runMain(withVuln);
      expectSuccess(main);
      expectSuccess(await cold.runPost());
      // The pin's sums are part of the key: this snapshot is not the plain project's.
      expect(main.outputs['cache-key']).not.toBe(saved.snapshot);

      const dead = await s.mirror({ fault: 'refused' });
      const warm = onOwn();
      const warmMain = await warm.runMain({ ...withVuln, mirrors: dead.url });
      expectSuccess(warmMain);
      expect(warmMain.outputs['cache-hit']).toBe('true');
      const ran = await warm.run('govulncheck');
      expect(ran.stdout.trim()).toBe(`${FIXTURE_BANNER} ${VULN_VERSION} with example.com/vulndep`);
      for (const file of zipsIn(join(warm.dirs.gomodcache, 'cache', 'download'))) {
        expect(readFileSync(file.replace(/\.zip$/, '.ziphash'), 'utf8')).toBe(
          hashZip(readFileSync(file)),
        );
      }
    } finally {
      await own.close();
    }
  });
});

describe('a poisoned build cache', () => {
  test.each(KINDS)(
    'with %s writes nothing outside, and the job goes on as on a cold run',
    async (kind) => {
      const warm = job();
      const attack = attacks(GOCACHE, warm)[kind];
      const main = await withPoisoned(saved.buildCache!, attack.members, () =>
        warm.runMain(inputs()),
      );
      expectSuccess(main);
      expect(existsSync(attack.hit)).toBe(false);
      expect(warningsOf(main)).toMatch(
        /Build cache restore failed, going on without it: the archive was refused: /,
      );
      expect(main.outputs['build-cache-hit']).toBe('false');
      expect(readdirSync(warm.dirs.gocache)).toEqual([]);
      expectSuccess(await goBuild(warm));
      expect(existsSync(attack.hit)).toBe(false);
    },
  );
});

describe('a govulncheck binary planted in the cache', () => {
  test('is never run: govulncheck is built from verified modules', async () => {
    // Where an earlier release of this action kept a built binary, under the key it used.
    const dir = '~/.go-resilient-setup/govulncheck-v1.1.4';
    const key = `go-resilient-setup-govulncheck-${VULN_VERSION}-${goversionSlug(goversion)}-Linux-X64-${pinDigest(pin)}`;
    const planted = await startCacheService({
      seed: [
        {
          key,
          version: cacheVersion([dir], 'zstd-without-long'),
          size: 0,
          createdAt: Date.now(),
          archive: archiveOf([
            member(`${HOME}/.go-resilient-setup/govulncheck-v1.1.4/govulncheck`, {
              body: '#!/bin/sh\necho "No vulnerabilities found."\n',
              mode: 0o755,
            }),
          ]),
        },
      ],
    });
    try {
      const warm = s.job({ env: planted.env('v2'), ownGocache: true, actionYmlPath });
      const main = await warm.runMain(inputs({ 'govulncheck-version': VULN_VERSION }));
      expectSuccess(main);
      const ran = await warm.run('govulncheck');
      expect(ran.stdout.trim()).toBe(`${FIXTURE_BANNER} ${VULN_VERSION} with example.com/vulndep`);
      expect(planted.requests.some((r) => r.protocol === 'blob')).toBe(false);
    } finally {
      await planted.close();
    }
  });
});

describe('a go.sum line that climbs', () => {
  test('is ignored with a warning, and no file outside the module cache is touched', async () => {
    const warm = job();
    // Lower case only: Go's path escaping would change an upper-case letter.
    const victim = join(tmpdir(), `grs-climb-${Date.now().toString(36)}`, 'victim.mod');
    mkdirSync(dirname(victim), { recursive: true });
    writeFileSync(victim, 'do not delete\n');
    // Enough `..` to leave any module cache, then down to the victim.
    const climb = `${'../'.repeat(40)}${victim.slice(1, -'/victim.mod'.length)}`;
    const goSum = join(warm.workspace, 'app', 'go.sum');
    writeFileSync(
      goSum,
      `${readFileSync(goSum, 'utf8')}${climb} ../victim/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n`,
    );
    const main = await warm.runMain(inputs());
    expectSuccess(main);
    expect(readFileSync(victim, 'utf8')).toBe('do not delete\n');
    expect(warningsOf(main)).toContain(
      'go.sum: 1 line(s) name no module version Go could download, and are ignored',
    );
    expectSuccess(await goBuild(warm));
    expectSuccess(await warm.runPost());
    expect(readFileSync(victim, 'utf8')).toBe('do not delete\n');
    rmSync(dirname(victim), { recursive: true, force: true });
  });
});

function zipsIn(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.zip'))
    .map((f) => join(dir, f));
}
