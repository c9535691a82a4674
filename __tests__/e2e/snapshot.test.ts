// The module-cache snapshot across several jobs on fresh runners that share one cache service
// (an in-repo stand-in speaking the v2 and v1 protocols), driven through dist/ like a runner.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCacheService, type CacheFault, type CacheService } from '../support/cache-server.js';
import {
  createProject,
  importingApp,
  makeModuleSet,
  moduleZip,
  tidyApp,
  type FixtureModule,
} from '../support/gomodules.js';
import type { Mirror } from '../support/goproxy-server.js';
import type { Job } from '../support/runner.js';
import { expectSuccess, goBuild, Scenario } from '../support/scenario.js';

let s: Scenario;
let modules: FixtureModule[];
let healthy: Mirror;
let dead: Mirror;

const appFiles = importingApp;

beforeAll(async () => {
  s = new Scenario((root) => {
    modules = makeModuleSet(6).modules;
    // The app uses the first five; the sixth is for the go.sum change below.
    return createProject({ root, modules, appFiles: appFiles(modules.slice(0, 5)) });
  });
  // The same app after a dependency change: m04 and m05 out, m06 in.
  const app2 = join(s.project.root, 'app2');
  mkdirSync(app2, { recursive: true });
  for (const [name, text] of Object.entries(appFiles([...modules.slice(0, 3), modules[5]]))) {
    writeFileSync(join(app2, name), text);
  }
  tidyApp(app2, s.project.proxyDir);
  healthy = await s.mirror();
  dead = await s.mirror({ fault: 'refused' });
});

afterAll(() => s?.close());

/** A job on a fresh runner wired to the cache service. */
function jobWith(service: CacheService, protocol: 'v1' | 'v2' = 'v2'): Job {
  return s.job({ env: service.env(protocol) });
}

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return { mirrors: healthy.url, 'working-directory': 'app', 'probe-timeout': '2', ...extra };
}

/** Which module zips go itself fetched from a mirror since a given point in its log. */
function zipsFetchedByGo(m: Mirror, since: number): string[] {
  return m.requests
    .slice(since)
    .filter((r) => r.path.endsWith('.zip') && r.fromGo)
    .map((r) => r.path.replace(/^\/(.*)\/@v\/.*$/, '$1'))
    .sort();
}

describe.each(['v2', 'v1'] as const)('cache service %s', (protocol) => {
  let service: CacheService;
  beforeAll(async () => {
    service = await startCacheService();
  });
  afterAll(() => service?.close());

  test('a cold job saves; a warm job with every mirror dead builds from the snapshot', async () => {
    const cold = jobWith(service, protocol);
    const main = await cold.runMain(inputs({ 'cache-key-prefix': `cold-${protocol}` }));
    expectSuccess(main);
    expect(main.outputs['cache-hit']).toBe('false');
    expect(main.outputs['cache-matched-key']).toBe('');
    expect(main.outputs['cache-key']).toMatch(
      new RegExp(`^cold-${protocol}-Linux-x64-[0-9a-f]{64}$`),
    );
    expectSuccess(await goBuild(cold));
    const post = await cold.runPost();
    expectSuccess(post);
    expect(post.summary).toContain('| outcome | saved');
    const saved = service.entries().filter((e) => e.key === main.outputs['cache-key']);
    expect(saved).toHaveLength(1);

    const snapshots = () => service.entries().filter((e) => e.key.startsWith(`cold-${protocol}-`));
    const created = snapshots().length;
    const warm = jobWith(service, protocol);
    const warmMain = await warm.runMain(
      inputs({ mirrors: dead.url, 'cache-key-prefix': `cold-${protocol}` }),
    );
    expectSuccess(warmMain);
    expect(warmMain.outputs['cache-hit']).toBe('true');
    expect(warmMain.outputs['cache-matched-key']).toBe(main.outputs['cache-key']);
    expect(warmMain.summary).toContain('| cache-hit | ✅ true |');
    expect(warm.env.GOPROXY).toBe('off');
    expectSuccess(await goBuild(warm));
    const warmPost = await warm.runPost();
    expectSuccess(warmPost);
    expect(warmPost.stdout).toContain('nothing new to save');
    // An exact hit uploads no snapshot.
    expect(snapshots()).toHaveLength(created);
  });
});

describe('cache service v2', () => {
  let service: CacheService;
  beforeAll(async () => {
    service = await startCacheService();
  });
  afterAll(() => service?.close());

  test('after a go.sum change: restore by prefix, unpack only what go.sum names, fetch what is missing, save a trimmed snapshot', async () => {
    const first = jobWith(service);
    const firstMain = await first.runMain(inputs({ 'cache-key-prefix': 'change' }));
    expectSuccess(firstMain);
    expectSuccess(await first.runPost());
    const firstEntry = service.entries().find((e) => e.key === firstMain.outputs['cache-key'])!;

    const since = healthy.requests.length;
    const second = jobWith(service);
    const main = await second.runMain(
      inputs({ 'cache-key-prefix': 'change', 'working-directory': 'app2' }),
    );
    expectSuccess(main);
    expect(main.outputs['cache-hit']).toBe('false');
    expect(main.outputs['cache-matched-key']).toBe(firstMain.outputs['cache-key']);
    expect(main.outputs['cache-key']).not.toBe(firstMain.outputs['cache-key']);
    // Only the new module came from the mirror; m04 and m05, which app2's go.sum no longer
    // names, were never unpacked.
    expect(zipsFetchedByGo(healthy, since)).toEqual([modules[5].path]);
    expect(main.summary).toMatch(
      /left out, never unpacked \| [^|]*\b6 files of module versions no go\.sum names/,
    );
    const m05 = join(
      second.dirs.gomodcache,
      'cache/download/example.com/fixture/m05/@v/v1.0.0.mod',
    );
    expect(existsSync(m05)).toBe(false);
    expectSuccess(await second.run('go build -o /dev/null .', { cwd: 'app2' }));
    // A version the job fetched itself, which no go.sum names, is trimmed from the save.
    expectSuccess(
      await second.run('go mod download example.com/fixture/m05@v1.0.0', {
        cwd: 'app2',
        env: { GONOSUMDB: 'example.com' },
      }),
    );
    const post = await second.runPost();
    expectSuccess(post);
    expect(post.summary).toMatch(/\| module versions trimmed \| 1 \|/);
    const secondEntry = service.entries().find((e) => e.key === main.outputs['cache-key'])!;
    expect(secondEntry).toBeDefined();
    expect(secondEntry.size).toBeLessThan(firstEntry.size);
    // The runner's own module cache lost nothing to the trim.
    expect(readFileSync(m05, 'utf8')).toContain('module example.com/fixture/m05');
  });

  test('a snapshot with a re-zipped module is caught: go mod verify passes and cache-hit is not true', async () => {
    // A poisoned snapshot: one zip replaced by a valid zip of changed source, .ziphash kept,
    // so Go alone would trust it.
    const poisoner = jobWith(service);
    expectSuccess(await poisoner.runMain(inputs({ 'cache-key-prefix': 'poison' })));
    const victim = modules[2];
    const zipPath = join(
      poisoner.dirs.gomodcache,
      'cache/download/example.com/fixture/m03/@v/v1.0.0.zip',
    );
    writeFileSync(
      zipPath,
      moduleZip({
        ...victim,
        files: {
          ...victim.files,
          'm03.go': 'package m03\n\n// Name is evil.\nfunc Name() string { return "evil" }\n',
        },
      }),
    );
    expectSuccess(await poisoner.runPost());

    const job = jobWith(service);
    const main = await job.runMain(inputs({ 'cache-key-prefix': 'poison' }));
    expectSuccess(main);
    expect(main.outputs['cache-matched-key']).toBe(main.outputs['cache-key']);
    expect(main.outputs['cache-hit']).toBe('false');
    expect(main.summary).toContain('example.com/fixture/m03@v1.0.0');
    expectSuccess(await job.run('go mod verify', { cwd: 'app' }));
    const build = await goBuild(job);
    expectSuccess(build);
    expect(build.stdout + build.stderr).not.toContain('evil');
  });

  test('three concurrent jobs on one key: one save, no failure', async () => {
    const jobs = [jobWith(service), jobWith(service), jobWith(service)];
    const mains = await Promise.all(
      jobs.map((j) => j.runMain(inputs({ 'cache-key-prefix': 'matrix' }))),
    );
    for (const m of mains) expectSuccess(m);
    const posts = await Promise.all(jobs.map((j) => j.runPost()));
    for (const p of posts) expectSuccess(p);
    expect(service.entries().filter((e) => e.key === mains[0].outputs['cache-key'])).toHaveLength(
      1,
    );
  });

  test('restore-only and ACTIONS_CACHE_MODE=read save nothing', async () => {
    const before = service.stats().created;
    const restoreOnly = jobWith(service);
    expectSuccess(
      await restoreOnly.runMain(inputs({ 'cache-key-prefix': 'ro', 'save-cache': 'false' })),
    );
    const post = await restoreOnly.runPost();
    expectSuccess(post);
    expect(post.stdout).toContain('save-cache: false');
    const readMode = s.job({ env: { ...service.env('v2'), ACTIONS_CACHE_MODE: 'read' } });
    expectSuccess(await readMode.runMain(inputs({ 'cache-key-prefix': 'ro' })));
    const readPost = await readMode.runPost();
    expectSuccess(readPost);
    expect(readPost.stdout).toContain('ACTIONS_CACHE_MODE=read');
    expect(service.stats().created).toBe(before);
  });

  test('a prefetch that failed leaves no snapshot under the exact key', async () => {
    // One module's zip is missing everywhere: the download stops part-way.
    const partial = await s.mirror({
      fault: 'notfound',
      faultWhen: (path) => path.endsWith('/m05/@v/v1.0.0.zip'),
    });
    const job = jobWith(service);
    const main = await job.runMain(inputs({ 'cache-key-prefix': 'failed', mirrors: partial.url }));
    expect(main.exitCode).not.toBe(0);
    expect(main.stdout).toContain('example.com/fixture/m05@v1.0.0');
    const post = await job.runPost();
    expectSuccess(post);
    expect(post.stdout).toContain('an incomplete snapshot is never saved');
    expect(service.entries().some((e) => e.key.startsWith('failed-'))).toBe(false);
  });
});

describe.each([
  ['corrupt archive', 'corruptArchive'],
  ['service down', 'refused'],
  ['hung download', 'hangDownload'],
  ['read denied', 'readDenied'],
  ['write denied', 'writeDenied'],
] as [string, CacheFault][])('cache %s', (_name, fault) => {
  test('the job stays green within a bounded time', async () => {
    const service = await startCacheService();
    try {
      // Seed an entry, then break the service.
      const seed = jobWith(service);
      expectSuccess(await seed.runMain(inputs({ 'cache-key-prefix': `fault-${fault}` })));
      expectSuccess(await seed.runPost());
      service.setFault(fault);
      // Another go.sum: the restore falls back to the seeded entry by prefix (read faults), and
      // the post step has something new to save (write faults).
      const job = jobWith(service);
      const main = await job.runMain(
        inputs({ 'cache-key-prefix': `fault-${fault}`, 'working-directory': 'app2' }),
        { timeoutMs: 400_000 },
      );
      expectSuccess(main);
      expect(main.outputs['cache-hit']).toBe('false');
      expectSuccess(await job.run('go build -o /dev/null .', { cwd: 'app2' }));
      const post = await job.runPost({ timeoutMs: 400_000 });
      expectSuccess(post);
      if (fault !== 'corruptArchive' && fault !== 'hangDownload' && fault !== 'readDenied') {
        expect(post.stdout).toMatch(/: failed \(|: skipped \(/);
      }
    } finally {
      await service.close();
    }
  });
});
