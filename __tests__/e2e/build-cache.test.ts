// The build cache (GOCACHE, and golangci-lint's cache) across jobs on fresh runners at a fixed
// path, as hosted runners are, sharing one cache service: what is restored, what is kept, what
// is saved and under which key. Go really compiles; `go build -x` shows what it compiled.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCacheService, type CacheService } from '../support/cache-server.js';
import { createProject, makeModuleSet, tidyApp, type FixtureModule } from '../support/gomodules.js';
import type { Mirror } from '../support/goproxy-server.js';
import { startReleaseMirror, type ReleaseMirror } from '../support/release-server.js';
import type { Job, StepResult } from '../support/runner.js';
import { expectSuccess, Scenario, warningsOf } from '../support/scenario.js';
import { CACHING_LINTER, golangciLintArchive } from '../support/tool-archives.js';

let s: Scenario;
let modules: FixtureModule[];
let mirror: Mirror;
let service: CacheService;
let v1service: CacheService;
/** Where every job's runner lives, as /home/runner does on hosted runners. */
let runnerDir: string;
const KEY =
  /^go-build-Linux-x64-go[0-9.]+-([A-Za-z0-9_-]+)\+([a-z0-9]*)-([0-9a-f]{16})-[0-9a-f]{16}$/;

/** An app importing the given modules, with a test. */
function appFiles(mods: FixtureModule[]): Record<string, string> {
  const imports = mods.map((m, i) => `\tp${i} "${m.path}"\n`).join('');
  const calls = mods.map((_, i) => `\tprintln(p${i}.Name())\n`).join('');
  return {
    'go.mod': 'module example.com/app\n\ngo 1.21\n',
    'main.go': `package main\n\nimport (\n${imports})\n\nfunc main() {\n${calls}}\n`,
    'main_test.go': 'package main\n\nimport "testing"\n\nfunc TestMain(t *testing.T) { main() }\n',
  };
}

/** Writes a variant of the app next to it, with its own go.mod and go.sum. */
function variant(name: string, mods: FixtureModule[]): void {
  const dir = join(s.project.root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(appFiles(mods))) writeFileSync(join(dir, file), text);
  tidyApp(dir, s.project.proxyDir);
}

beforeAll(async () => {
  s = new Scenario((root) => {
    modules = makeModuleSet(6).modules;
    return createProject({ root, modules, appFiles: appFiles(modules.slice(0, 5)) });
  });
  // A dependency dropped (m05 out), then one added (m05 back, m06 in): each a new go.sum.
  variant('app-dropped', modules.slice(0, 4));
  variant('app-added', modules);
  runnerDir = mkdtempSync(join(tmpdir(), 'gha-fixed-runner-'));
  mirror = await s.mirror();
  service = await startCacheService();
  v1service = await startCacheService();
});

afterAll(async () => {
  await Promise.all([service?.close(), v1service?.close()]);
  await s?.close();
});

/** A fresh runner at the one fixed place, with an empty module cache and GOCACHE. */
function freshJob(env: Record<string, string> = {}, svc = service, protocol: 'v1' | 'v2' = 'v2') {
  return s.job({
    runnerDir,
    ownGocache: true,
    env: { ...svc.env(protocol), ...env },
  });
}

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return { mirrors: mirror.url, 'working-directory': 'app', 'probe-timeout': '2', ...extra };
}

/** Replaces the checkout's app with a variant, as a new commit would. */
function checkout(job: Job, name: string): void {
  cpSync(join(s.project.root, name), join(job.workspace, 'app'), { recursive: true });
}

/** The packages `go build -x` (or test -x) compiled: their `-p` import paths. */
function compiled(step: StepResult): string[] {
  const out = new Set<string>();
  for (const line of step.stderr.split('\n')) {
    if (!/\/compile\s/.test(line)) continue;
    const p = / -p (\S+)/.exec(line);
    if (p) out.add(p[1]);
  }
  return [...out].sort();
}

async function build(job: Job): Promise<string[]> {
  const step = await job.run('go build -x ./...', { cwd: 'app', timeoutMs: 120_000 });
  expectSuccess(step);
  return compiled(step);
}

const buildEntries = (svc = service) => svc.entries().filter((e) => e.key.startsWith('go-build-'));
const keyOf =
  (job: string) =>
  (svc = service) =>
    buildEntries(svc).filter((e) => KEY.exec(e.key)?.[1] === job && KEY.exec(e.key)?.[2] === '');

/** File names in an entry's archive (zstd or gzip tar). */
function archiveNames(archive: Buffer): string[] {
  const file = join(s.root, 'archive.tar');
  writeFileSync(file, archive);
  const res = spawnSync('tar', ['-tf', file], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`tar -tf: ${res.stderr}`);
  return res.stdout.split('\n').filter(Boolean);
}

const gocacheEntries = (job: Job) => {
  const dir = job.dirs.gocache;
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
    /^[0-9a-f]{2}\/[0-9a-f]+-[ad]$/.test(f),
  );
};

describe('build cache', () => {
  let coldKey: string;

  test('a cold job saves what it built; a warm job compiles nothing, reuses test results and saves nothing', async () => {
    const cold = freshJob();
    const main = await cold.runMain(inputs());
    expectSuccess(main);
    expect(main.outputs['build-cache-hit']).toBe('false');
    expect(main.outputs['build-cache-matched-key']).toBe('');
    const coldBuild = await build(cold);
    expect(coldBuild).toEqual(expect.arrayContaining(['runtime', 'main']));
    const coldTest = await cold.run('go test ./...', { cwd: 'app', timeoutMs: 180_000 });
    expectSuccess(coldTest);
    expect(coldTest.stdout).not.toContain('(cached)');
    const post = await cold.runPost();
    expectSuccess(post);
    expect(post.summary).toContain('### Build cache save');
    expect(post.summary).toMatch(/\| outcome \| saved/);
    expect(keyOf('test')()).toHaveLength(1);
    coldKey = keyOf('test')()[0].key;

    const warm = freshJob();
    const warmMain = await warm.runMain(inputs());
    expectSuccess(warmMain);
    expect(warmMain.outputs['build-cache-hit']).toBe('true');
    expect(warmMain.outputs['build-cache-matched-key']).toBe(coldKey);
    expect(warmMain.summary).toContain('| build-cache-hit (same go.sum) | ✅ true |');
    expect(await build(warm)).toEqual([]);
    const warmTest = await warm.run('go test ./...', { cwd: 'app', timeoutMs: 120_000 });
    expectSuccess(warmTest);
    expect(warmTest.stdout).toMatch(/ok\s+example\.com\/app\s+\(cached\)/);
    const warmPost = await warm.runPost();
    expectSuccess(warmPost);
    expect(warmPost.stdout).toContain('nothing new: the job used only entries it restored');
    expect(keyOf('test')()).toHaveLength(1);
  });

  test('after a go.sum change the newest entry of the job is restored by prefix; only what the job used is saved', async () => {
    const dropped = freshJob();
    checkout(dropped, 'app-dropped');
    const main = await dropped.runMain(inputs());
    expectSuccess(main);
    expect(main.outputs['build-cache-hit']).toBe('false');
    expect(main.outputs['build-cache-matched-key']).toBe(coldKey);
    // The standard library and the four modules still used come from the cache.
    expect(await build(dropped)).toEqual(['main']);
    const post = await dropped.runPost();
    expectSuccess(post);
    const leftOut = /\| entries left out \(unused\) \| (\d+) \|/.exec(post.summary);
    expect(Number(leftOut?.[1])).toBeGreaterThan(0);
    const saved = keyOf('test')();
    expect(saved).toHaveLength(2);
    const droppedKey = saved[1].key;
    // Saved for the new go.sum.
    expect(KEY.exec(droppedKey)![3]).not.toBe(KEY.exec(coldKey)![3]);
    const names = archiveNames(saved[1].archive).filter((n) => /[0-9a-f]+-[ad]$/.test(n));
    expect(names.length).toBeLessThan(
      archiveNames(saved[0].archive).filter((n) => /[0-9a-f]+-[ad]$/.test(n)).length,
    );

    // The next go.sum change restores that newest entry: m05, left out above, compiles again;
    // m01, kept, does not.
    const added = freshJob();
    checkout(added, 'app-added');
    const addedMain = await added.runMain(inputs());
    expectSuccess(addedMain);
    expect(addedMain.outputs['build-cache-matched-key']).toBe(droppedKey);
    const again = await build(added);
    expect(again).toEqual(
      expect.arrayContaining(['example.com/fixture/m05', 'example.com/fixture/m06', 'main']),
    );
    expect(again).not.toContain('example.com/fixture/m01');
    expect(again).not.toContain('runtime');
  });

  test('separate jobs and matrix legs keep separate entries', async () => {
    const lint = freshJob({ GITHUB_JOB: 'lint' });
    const lintMain = await lint.runMain(inputs());
    expectSuccess(lintMain);
    // The test job's entries exist, but are not this job's.
    expect(lintMain.outputs['build-cache-matched-key']).toBe('');
    await build(lint);
    expectSuccess(await lint.runPost());
    expect(keyOf('lint')()).toHaveLength(1);

    const leg = freshJob({ GITHUB_JOB: 'lint' });
    const suffix = '{"go":"1.23","tags":"a,b"}';
    const legMain = await leg.runMain(inputs({ 'build-cache-key-suffix': suffix }));
    expectSuccess(legMain);
    expect(legMain.outputs['build-cache-matched-key']).toBe('');
    await build(leg);
    expectSuccess(await leg.runPost());
    const legKeys = buildEntries().filter((e) => KEY.exec(e.key)?.[2]?.startsWith('h'));
    expect(legKeys).toHaveLength(1);
    expect(legKeys[0].key).not.toContain(',');

    const plain = freshJob({ GITHUB_JOB: 'lint' });
    const plainMain = await plain.runMain(inputs());
    expectSuccess(plainMain);
    expect(plainMain.outputs['build-cache-matched-key']).toBe(keyOf('lint')()[0].key);
  });

  test("golangci-lint's cache rides in the same entry, under the same used-only rule", async () => {
    const archive = golangciLintArchive('9.9.8', 'golangci-lint has version', CACHING_LINTER);
    const releases: ReleaseMirror = await startReleaseMirror({
      files: { [archive.path]: archive.body },
      fault: 'none',
    });
    try {
      const lintInputs = inputs({
        'golangci-lint-version': 'v9.9.8',
        'golangci-lint-checksum': archive.sha256,
        'tool-mirrors': releases.url,
      });
      const first = freshJob({ GITHUB_JOB: 'golangci' });
      expectSuccess(await first.runMain(lintInputs));
      const run1 = await first.run('golangci-lint run', { cwd: 'app' });
      expectSuccess(run1);
      expect(run1.stdout).toContain('analysed main.go');
      const post = await first.runPost();
      expectSuccess(post);
      expect(post.summary).toMatch(/\| outcome \| saved/);

      const second = freshJob({ GITHUB_JOB: 'golangci' });
      expectSuccess(await second.runMain(lintInputs));
      const run2 = await second.run('golangci-lint run', { cwd: 'app' });
      expectSuccess(run2);
      expect(run2.stdout).toContain('cached main.go');
      expect(run2.stdout).toContain('cached main_test.go');
    } finally {
      await releases.close();
    }
  });

  test('a corrupt build-cache archive is only a warning, and leaves nothing in GOCACHE', async () => {
    const first = freshJob({ GITHUB_JOB: 'corrupt' });
    expectSuccess(await first.runMain(inputs()));
    await build(first);
    expectSuccess(await first.runPost());
    const [entry] = keyOf('corrupt')();
    const bytes = Buffer.from(entry.archive);
    bytes.fill(0x5a, Math.floor(bytes.length / 2));
    service.tamper(entry.key, bytes);

    const job = freshJob({ GITHUB_JOB: 'corrupt' });
    const main = await job.runMain(inputs());
    expectSuccess(main);
    expect(warningsOf(main)).toContain('Build cache restore failed');
    expect(main.outputs['build-cache-hit']).toBe('false');
    expect(gocacheEntries(job)).toEqual([]);
    expect(await build(job)).toContain('runtime');
    expectSuccess(await job.runPost());
  });

  test('build-cache: false and cache: false leave the build cache alone', async () => {
    const before = buildEntries().length;
    const offs: Record<string, string>[] = [{ 'build-cache': 'false' }, { cache: 'false' }];
    for (const off of offs) {
      const job = freshJob({ GITHUB_JOB: 'off' });
      const main = await job.runMain(inputs(off));
      expectSuccess(main);
      expect(main.outputs['build-cache-hit']).toBe('false');
      expect(main.summary).toContain(`disabled (${Object.keys(off)[0]}: false)`);
      await build(job);
      const post = await job.runPost();
      expectSuccess(post);
      expect(post.stdout).toContain('No build cache to save');
    }
    expect(buildEntries()).toHaveLength(before);
  });

  test('the v1 protocol (GHES) saves and restores the build cache too', async () => {
    const cold = freshJob({ GITHUB_JOB: 'ghes' }, v1service, 'v1');
    expectSuccess(await cold.runMain(inputs()));
    await build(cold);
    expectSuccess(await cold.runPost());
    expect(keyOf('ghes')(v1service)).toHaveLength(1);
    const warm = freshJob({ GITHUB_JOB: 'ghes' }, v1service, 'v1');
    const main = await warm.runMain(inputs());
    expectSuccess(main);
    expect(main.outputs['build-cache-hit']).toBe('true');
    expect(await build(warm)).toEqual([]);
  });
});
