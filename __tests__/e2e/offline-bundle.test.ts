// Offline bundles end to end: `go-resilient-setup bundle` (the built dist/cli) fetches a
// project's modules through loopback mirrors and a golangci-lint stand-in from a loopback
// release mirror; then a job whose every mirror refuses connections builds, lints and installs
// govulncheck (at the version go.mod pins) from the bundle alone. Tampered bundles are refused,
// by `verify` and by the action, each naming the file at fault; one over its cap, downloaded
// or inflating, stops at the cap, and an entry its manifest does not list is never written.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs, { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectGovulncheck } from '../../src/cli/bundle-command.js';
import type { Log } from '../../src/host/log.js';
import type { PrefetchPlan } from '../../src/prefetch/types.js';
import { compareReleases, goRelease } from '../../src/util/release-version.js';
import { formatSize } from '../../src/util/size.js';
import { REPO_ROOT } from '../support/action-metadata.js';
import { startBodyServer } from '../support/body-server.js';
import {
  bundleEntries,
  bundleManifest,
  listZeros,
  packBundle,
  packZeros,
} from '../support/bundle-files.js';
import { forceRemove } from '../support/fs-cleanup.js';
import {
  createProject,
  GO_BIN,
  goEnv,
  makeModuleSet,
  writeProxyTree,
} from '../support/gomodules.js';
import { startMirror, type Mirror } from '../support/goproxy-server.js';
import { closedPort } from '../support/loopback.js';
import { openSpy } from '../support/open-spy.js';
import { runProcess, type ProcessResult } from '../support/process-runner.js';
import { startReleaseMirror, type ReleaseMirror } from '../support/release-server.js';
import type { Job } from '../support/runner.js';
import { errorsOf, expectSuccess, Scenario } from '../support/scenario.js';
import { golangciLintArchive, type FixtureArchive } from '../support/tool-archives.js';
import {
  fakeLibrary,
  fakeVuln,
  FIXTURE_BANNER,
  pinFor,
  VULN_MODULE,
} from '../support/vuln-fixtures.js';

const CLI = join(REPO_ROOT, 'dist', 'cli', 'index.js');
const LINT = '2.99.0';
const MiB = 1024 ** 2;
const VULN = 'v1.9.0';
const CMD = `${VULN_MODULE}/cmd/govulncheck`;
const goVersion = spawnSync(GO_BIN, ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout.trim();
const toolDirectives = compareReleases(goRelease(goVersion) ?? '0.0.0', '1.24.0') >= 0;

let s: Scenario;
let goproxy: Mirror;
let releases: ReleaseMirror;
let archive: FixtureArchive;
let scratch: string;
let dead: string;

beforeAll(async () => {
  const dep = fakeLibrary('example.com/vulndep', 'v1.2.3');
  s = new Scenario((root) => {
    const { modules, app } = makeModuleSet(3);
    const appFiles: Record<string, string> = { ...app.files };
    if (toolDirectives) appFiles['go.mod'] = `module ${app.path}\n\ngo 1.24\n\ntool ${CMD}\n`;
    else appFiles['tools.go'] = `//go:build tools\n\npackage main\n\nimport _ "${CMD}"\n`;
    return createProject({ root, modules: [...modules, fakeVuln(VULN, dep), dep], appFiles });
  });
  goproxy = await s.mirror();
  archive = golangciLintArchive(LINT);
  releases = await startReleaseMirror({ files: { [archive.path]: archive.body } });
  scratch = mkdtempSync(join(tmpdir(), 'grs-bundle-'));
  dead = `http://127.0.0.1:${await closedPort()}`;
});

afterAll(async () => {
  await releases?.close();
  await s?.close();
  if (scratch) forceRemove(scratch);
});

/** The command line as a user runs it: an empty module cache, nothing of a runner. */
function cli(args: string[]): Promise<ProcessResult> {
  const env = goEnv({ GOMODCACHE: join(scratch, 'modcache'), GOENV: 'off', HTTPS_PROXY: dead });
  for (const name of Object.keys(env)) {
    if (/^(GITHUB_|RUNNER_|INPUT_|ACTIONS_)/.test(name)) delete env[name];
  }
  return runProcess(process.execPath, [CLI, ...args], { cwd: scratch, env, timeoutMs: 120_000 });
}

async function makeBundle(name: string): Promise<string> {
  const out = join(scratch, name);
  const r = await cli([
    'bundle',
    '--out',
    out,
    '--dir',
    s.project.appDir,
    '--mirrors',
    `${dead},${goproxy.url}`,
    '--probe-timeout',
    '2',
    '--golangci-lint',
    `v${LINT}`,
    '--golangci-lint-checksum',
    archive.sha256,
    '--platforms',
    'linux/amd64',
    '--tool-mirrors',
    releases.url,
  ]);
  if (r.exitCode !== 0) throw new Error(`bundle failed (${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
  return out;
}

describe('go-resilient-setup bundle, verify, and an air-gapped job', () => {
  let zst: string;
  let gz: string;

  beforeAll(async () => {
    zst = await makeBundle('go.tar.zst');
    gz = await makeBundle('go.tar.gz');
  });

  test('bundle fetches every go.sum module and the tool through the working mirror; verify agrees', async () => {
    for (const file of [zst, gz]) {
      const v = await cli(['verify', file, '--dir', s.project.appDir, '--json']);
      expect(v.exitCode).toBe(0);
      const result = JSON.parse(v.stdout) as { ok: boolean; modules: number; tools: string[] };
      expect(result.ok).toBe(true);
      // Three fixture modules, the stand-in x/vuln and its dependency.
      expect(result.modules).toBe(5);
      expect(result.tools).toEqual([`golangci-lint ${LINT} linux/amd64`]);
    }
    const entries = bundleEntries(gz);
    expect([...entries.keys()][0]).toBe('manifest.json');
    expect(
      entries.has(`tools/golangci-lint/v${LINT}/golangci-lint-${LINT}-linux-amd64.tar.gz`),
    ).toBe(true);
    expect(entries.has(`modules/golang.org/x/vuln/@v/${VULN}.zip`)).toBe(true);
  });

  test('a job whose every mirror refuses connections builds, lints and gets govulncheck from the bundle', async () => {
    const job = s.job();
    const before = { modules: goproxy.requests.length, tools: releases.requests.length };
    const main = await job.runMain({
      mirrors: dead,
      'tool-mirrors': dead,
      'working-directory': 'app',
      'probe-timeout': '2',
      'offline-bundle': zst,
      'offline-bundle-position': 'first',
      'golangci-lint-version': `v${LINT}`,
      'golangci-lint-checksum': archive.sha256,
      'govulncheck-version': 'go.mod',
    });
    expectSuccess(main);
    // The refused mirror is dropped: the bundle alone serves the job.
    expect(main.outputs.goproxy).toMatch(/^file:\/\/\/.*\/modules$/);
    const build = await job.run('go build ./... && go vet ./...', { cwd: 'app' });
    expectSuccess(build);
    const lint = await job.run('golangci-lint');
    expect(lint.stdout).toContain(`golangci-lint has version ${LINT}`);
    const vuln = await job.run('govulncheck');
    expect(vuln.stdout).toContain(`${FIXTURE_BANNER} ${VULN}`);
    expect(main.summary).toContain('### Offline bundle');
    expect(main.summary).toContain(`Taken from it: golangci-lint v${LINT}`);
    expect(main.summary).toMatch(/\| ✅ golangci-lint \| `v2\.99\.0` \| [^|]+ \| offline bundle /);
    // Nothing reached the mirrors the bundle was made from.
    expect({ modules: goproxy.requests.length, tools: releases.requests.length }).toEqual(before);
  });

  test('with the bundle last, a healthy mirror serves first and the bundle stays behind it', async () => {
    const job = s.job();
    const main = await job.runMain({
      mirrors: goproxy.url,
      'working-directory': 'app',
      'probe-timeout': '2',
      'offline-bundle': gz,
    });
    expectSuccess(main);
    expect(main.outputs.goproxy).toBe(`${goproxy.url}|${main.outputs.goproxy.split('|')[1]}`);
    expect(main.outputs.goproxy.split('|')[1]).toMatch(/^file:\/\/\/.*\/modules$/);
  });

  test('a bundle unpacked and packed again with tar -C dir . passes verify and serves the job', async () => {
    const dir = mkdtempSync(join(scratch, 'repack-'));
    const repacked = join(scratch, 'repacked.tar.gz');
    for (const args of [
      ['-xzf', gz, '-C', dir],
      ['--sort=name', '-czf', repacked, '-C', dir, '.'],
    ]) {
      const tar = spawnSync('tar', args, { encoding: 'utf8' });
      expect(tar.stderr).toBe('');
    }
    const names = spawnSync('tar', ['-tzf', repacked], { encoding: 'utf8' }).stdout.split('\n');
    expect(names.slice(0, 2)).toEqual(['./', './manifest.json']);

    const v = await cli(['verify', repacked, '--dir', s.project.appDir]);
    expect(v.exitCode).toBe(0);
    expect(v.stdout).toContain(`OK ${repacked}\n`);

    const job = s.job();
    const main = await job.runMain({
      mirrors: dead,
      'working-directory': 'app',
      'probe-timeout': '2',
      'offline-bundle': repacked,
      'offline-bundle-position': 'first',
    });
    expectSuccess(main);
    expect(main.outputs.goproxy).toMatch(/^file:\/\/\/.*\/modules$/);
    expectSuccess(await job.run('go build ./...', { cwd: 'app' }));
  });

  test.each([
    [
      'one module zip changed',
      (e: Map<string, Buffer>) => {
        const zip = `modules/golang.org/x/vuln/@v/${VULN}.zip`;
        const body = Buffer.from(e.get(zip)!);
        body[body.length - 30] ^= 0xff;
        e.set(zip, body);
        return zip;
      },
    ],
    [
      'the tool archive changed',
      (e: Map<string, Buffer>) => {
        const file = `tools/golangci-lint/v${LINT}/golangci-lint-${LINT}-linux-amd64.tar.gz`;
        e.set(file, Buffer.concat([e.get(file)!, Buffer.from('x')]));
        return file;
      },
    ],
    [
      'the manifest edited',
      (e: Map<string, Buffer>) => {
        const manifest = JSON.parse(e.get('manifest.json')!.toString()) as {
          modules: { path: string; goSum: string[] }[];
        };
        const m = manifest.modules.find((x) => x.path === VULN_MODULE)!;
        m.goSum[0] = m.goSum[0].replace(/h1:.*/, 'h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
        e.set('manifest.json', Buffer.from(JSON.stringify(manifest)));
        return `modules/golang.org/x/vuln/@v/${VULN}.zip`;
      },
    ],
  ])(
    'a bundle with %s is refused by verify and by the action, naming the file',
    async (_what, tamper) => {
      const entries = bundleEntries(gz);
      const file = tamper(entries);
      const bad = join(scratch, `bad-${Math.random().toString(36).slice(2)}.tar.gz`);
      packBundle(bad, entries);

      const v = await cli(['verify', bad, '--dir', s.project.appDir]);
      expect(v.exitCode).toBe(1);
      expect(v.stdout).toContain(`FAILED ${bad} does not match its manifest`);
      expect(v.stdout).toContain(`  - ${file}: `);

      const job = s.job();
      const main = await job.runMain({
        mirrors: dead,
        'working-directory': 'app',
        'probe-timeout': '2',
        'offline-bundle': bad,
        'offline-bundle-position': 'first',
        'golangci-lint-version': `v${LINT}`,
        'golangci-lint-checksum': archive.sha256,
      });
      expect(main.exitCode).not.toBe(0);
      const errors = errorsOf(main);
      expect(errors).toContain('was refused, and nothing from it is used');
      expect(errors).toContain(file);
      expect(job.paths).toEqual([]);
      expect(existsSync(join(job.dirs.toolCache, 'golangci-lint'))).toBe(false);
    },
  );

  test('a bundle at an http URL is downloaded, then verified; a missing one names the URL', async () => {
    const served = await startReleaseMirror({
      files: { '/bundles/go.tar.gz': fs.readFileSync(gz) },
    });
    try {
      const job = s.job();
      const main = await job.runMain({
        mirrors: dead,
        'working-directory': 'app',
        'probe-timeout': '2',
        'offline-bundle': `${served.url}/bundles/go.tar.gz`,
        'offline-bundle-position': 'first',
      });
      expectSuccess(main);
      expect(main.summary).toMatch(/downloaded in [\d.]+ m?s, verified against its manifest/);
      expectSuccess(await job.run('go build ./...', { cwd: 'app' }));

      const missing = await s.job().runMain({
        mirrors: dead,
        'working-directory': 'app',
        'probe-timeout': '2',
        'offline-bundle': `${served.url}/bundles/gone.tar.gz`,
      });
      expect(missing.exitCode).not.toBe(0);
      expect(errorsOf(missing)).toContain(
        `offline-bundle: could not download ${served.url}/bundles/gone.tar.gz (attempt 1: HTTP 404); nothing from it was used`,
      );
    } finally {
      await served.close();
    }
  });

  test('bad flags and inputs name themselves', async () => {
    const r = await cli(['bundle', '--out', join(scratch, 'x.zip'), '--dir', s.project.appDir]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--out: ');
    expect(r.stderr).toContain('must end in .tar.zst or .tar.gz');
    const job = s.job();
    const main = await job.runMain({
      mirrors: goproxy.url,
      'working-directory': 'app',
      'offline-bundle': 'nowhere/go.tar.zst',
      'offline-bundle-position': 'middle',
    });
    expect(main.exitCode).not.toBe(0);
    expect(errorsOf(main)).toContain('offline-bundle: "nowhere/go.tar.zst" does not exist');
    expect(errorsOf(main)).toContain('offline-bundle-position: "middle" must be first');
  });

  /** The job's inputs for a bundle that must serve it alone. */
  const alone = (bundle: string, maxSize: string) => ({
    mirrors: dead,
    'working-directory': 'app',
    'probe-timeout': '2',
    'offline-bundle': bundle,
    'offline-bundle-position': 'first',
    'offline-bundle-max-size': maxSize,
  });
  /** What the job left of bundles in its temp directory. */
  const leftovers = (job: Job) =>
    fs.readdirSync(job.dirs.temp).filter((n) => n.startsWith('go-resilient-setup-bundle-'));

  test('a download over offline-bundle-max-size stops at the cap and fails the step; raised, the bundle is used', async () => {
    const body = fs.readFileSync(gz);
    const endless = '/bundles/endless.tar.gz';
    const server = await startBodyServer({
      [endless]: { zeros: 256 * MiB, contentLength: false },
      '/bundles/go.tar.gz': body,
    });
    try {
      const over = s.job();
      const main = await over.runMain(alone(`${server.url}${endless}`, '1MiB'));
      expect(main.exitCode).not.toBe(0);
      expect(errorsOf(main)).toContain(
        `offline-bundle: could not download ${server.url}${endless}: more than ${MiB} bytes arrived, over the cap of 1 MiB; raise offline-bundle-max-size if the bundle is meant to be this large; nothing from it was used`,
      );
      // The client hung up at the cap: what the server wrote is what sockets buffer, no more.
      expect(await server.sent(endless)).toBeLessThan(32 * MiB);
      expect(server.requests.filter((r) => r.path === endless)).toHaveLength(1);
      expect(leftovers(over)).toEqual([]);

      const url = `${server.url}/bundles/go.tar.gz`;
      const small = await s.job().runMain(alone(url, String(body.length - 1)));
      expect(small.exitCode).not.toBe(0);
      expect(errorsOf(small)).toContain(
        `offline-bundle: could not download ${url}: its Content-Length is ${body.length} bytes, over the cap of ${formatSize(body.length - 1)}; raise offline-bundle-max-size`,
      );

      const job = s.job();
      expectSuccess(await job.runMain(alone(url, '64MiB')));
      expectSuccess(await job.run('go build ./...', { cwd: 'app' }));
    } finally {
      await server.close();
    }
  });

  test('a small bundle that inflates past the cap fails at once, writing nothing and leaving nothing', async () => {
    const bomb = join(scratch, 'bomb.tar.gz');
    const zeros = 512 * MiB;
    const listed = listZeros('modules/zeros', zeros);
    packZeros(bomb, [listed], listed.path, zeros);
    expect(fs.statSync(bomb).size).toBeLessThan(MiB);
    const job = s.job();
    const spy = openSpy(scratch, 'bomb');
    const main = await job.runMain(alone(bomb, '16MiB'), { env: spy.env });
    expect(main.exitCode).not.toBe(0);
    const manifestSize = bundleManifest([listed]).length;
    expect(errorsOf(main)).toContain(
      `offline-bundle: ${bomb} was refused, and nothing from it is used: ${bomb}: manifest.json: its files and itself come to ${zeros + manifestSize} bytes, over the cap of 16 MiB; raise offline-bundle-max-size if the bundle is meant to be this large`,
    );
    expect(spy.opened().filter((p) => p.includes('go-resilient-setup-bundle-'))).toEqual([]);
    expect(leftovers(job)).toEqual([]);

    const v = await cli(['verify', bomb, '--max-size', '16MiB']);
    expect(v.exitCode).toBe(1);
    expect(v.stdout).toContain('over the cap of 16 MiB; raise --max-size if the bundle');
    const usage = await cli(['verify', bomb, '--max-size', '16 megs']);
    expect(usage.exitCode).toBe(2);
    expect(usage.stderr).toContain('--max-size: "16 megs" is not a size;');
  });

  test('an entry the manifest does not list is refused before a byte of it is written', async () => {
    const entries = bundleEntries(gz);
    const evil = 'modules/example.com/evil/@v/v0.0.1.zip';
    const tampered = new Map([
      ['manifest.json', entries.get('manifest.json')!],
      [evil, Buffer.from('not in the manifest\n')],
      ...[...entries].filter(([p]) => p !== 'manifest.json'),
    ]);
    const bad = join(scratch, 'unlisted.tar.gz');
    packBundle(bad, tampered);

    // The spy sees what unpacking writes: the untampered bundle's files.
    const good = openSpy(scratch, 'good');
    expectSuccess(await s.job().runMain(alone(gz, '64MiB'), { env: good.env }));
    expect(good.opened().some((p) => p.includes('/unpacked/modules/'))).toBe(true);

    const spy = openSpy(scratch, 'unlisted');
    const job = s.job();
    const main = await job.runMain(alone(bad, '64MiB'), { env: spy.env });
    expect(main.exitCode).not.toBe(0);
    expect(errorsOf(main)).toContain(
      `${bad} does not match its manifest:\n  - ${evil}: in the bundle but not listed in manifest.json`,
    );
    // It came right after the manifest, so nothing at all was written.
    expect(spy.opened().filter((p) => p.includes('/unpacked/'))).toEqual([]);
    expect(leftovers(job)).toEqual([]);
    expect(job.paths).toEqual([]);
  });
});

describe("bundle --govulncheck: a pinned release's modules, checked against the pin", () => {
  const dep = fakeLibrary('example.com/pindep', 'v0.3.0');
  const vuln = fakeVuln('v1.1.4', dep);
  let root: string;
  let mirror: Mirror;
  let impostorRoot: string;
  let impostor: Mirror;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'grs-bundle-vuln-'));
    writeProxyTree(join(root, 'proxy'), [vuln, dep]);
    mirror = await startMirror({ root: join(root, 'proxy') });
    impostorRoot = join(root, 'impostor');
    writeProxyTree(impostorRoot, [
      { ...vuln, files: { ...vuln.files, 'extra.go': 'package vuln\n' } },
      dep,
    ]);
    impostor = await startMirror({ root: impostorRoot });
  });
  afterAll(async () => {
    await mirror?.close();
    await impostor?.close();
    if (root) forceRemove(root);
  });

  const collect = (url: string, name: string) => {
    const work = join(root, name);
    const gomodcache = join(work, 'modcache');
    const env = goEnv({ GOPROXY: url, GOMODCACHE: gomodcache, GOFLAGS: '-modcacherw' });
    const plan = {
      gomodcache,
      goflags: '-modcacherw',
      limits: { stallMs: 30_000, budgetMs: 60_000, maxAttempts: 1, backoffMs: 0 },
    } as PrefetchPlan;
    const log: Log = { info: () => undefined, warning: () => undefined, group: (_n, fn) => fn() };
    fs.mkdirSync(work, { recursive: true });
    return {
      run: () =>
        collectGovulncheck('v1.1.4', { 'v1.1.4': pinFor(vuln, [dep]) }, work, env, plan, log),
      downloads: join(gomodcache, 'cache', 'download'),
    };
  };

  test('fetches every pinned module, and names them in the manifest', async () => {
    const c = collect(mirror.url, 'ok');
    const tool = await c.run();
    expect(tool).toEqual({
      name: 'govulncheck',
      version: 'v1.1.4',
      checksumFrom: 'go.sum pin',
      modules: [`${dep.path}@${dep.version}`, `${VULN_MODULE}@v1.1.4`],
    });
    expect(existsSync(join(c.downloads, 'golang.org', 'x', 'vuln', '@v', 'v1.1.4.zip'))).toBe(true);
    expect(existsSync(join(c.downloads, 'example.com', 'pindep', '@v', 'v0.3.0.zip'))).toBe(true);
  });

  test('a mirror serving other bytes fails against the pin', async () => {
    const err = await collect(impostor.url, 'impostor')
      .run()
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(err?.message).toContain(
      'govulncheck v1.1.4: its pinned modules could not all be downloaded and verified; nothing was written',
    );
    expect(err?.message).toMatch(/golang\.org\/x\/vuln@v1\.1\.4: checksum mismatch/);
  });
});
