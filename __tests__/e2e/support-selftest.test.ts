// Proves the e2e infrastructure itself (fixtures, mirror faults, runner harness) against the
// real go, without the action, so action tests can trust what the harness reports.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readZip } from '../../src/gomod/zip.js';
import { REPO_ROOT } from '../support/action-metadata.js';
import { parseKeyValueFile, parseWorkflowCommands } from '../support/command-files.js';
import {
  createProject,
  escapeModulePath,
  makeModuleSet,
  requireGo,
  type CreatedProject,
} from '../support/gomodules.js';
import {
  startMirror,
  type Fault,
  type Mirror,
  type MirrorOptions,
} from '../support/goproxy-server.js';
import { FAKE_GITHUB_TOKEN, Job, type StepResult } from '../support/runner.js';
import { shownByRunner } from '../support/runner-masks.js';
import { writeZip } from '../support/zipwriter.js';

// The e2e project's testTimeout in jest.config.js is not applied (Jest reads testTimeout only
// globally), so the go-driving tests set their own budget.
jest.setTimeout(60_000);

let root: string;
let project: CreatedProject;
const mirrors: Mirror[] = [];
const jobs: Job[] = [];

async function mirror(fault: Fault, extra: Partial<MirrorOptions> = {}): Promise<Mirror> {
  const m = await startMirror({ root: project.proxyDir, fault, ...extra });
  mirrors.push(m);
  return m;
}

function newJob(): Job {
  const job = new Job({ workspace: project.root });
  jobs.push(job);
  return job;
}

/** `go mod download` in the app on a fresh runner, going through the given GOPROXY. */
function download(
  goproxy: string,
  opts: { timeoutMs?: number; env?: Record<string, string> } = {},
) {
  return newJob().run('go mod download -x', {
    cwd: 'app',
    timeoutMs: opts.timeoutMs ?? 60_000,
    env: { GOPROXY: goproxy, GOSUMDB: 'off', ...opts.env },
  });
}

beforeAll(() => {
  requireGo();
  root = mkdtempSync(join(tmpdir(), 'selftest-'));
  const { modules, app } = makeModuleSet(5);
  project = createProject({ root, modules, appFiles: app.files });
});

afterAll(async () => {
  await Promise.all(mirrors.map((m) => m.close()));
  for (const job of jobs) job.cleanup();
  rmSync(root, { recursive: true, force: true });
});

describe('fixtures', () => {
  test('zip writer output reads back, with file entries only', () => {
    const zip = writeZip(
      [
        { name: 'm@v1/a.go', data: 'package a\n' },
        { name: 'm@v1/sub/b.txt', data: Buffer.from([0, 1, 2, 255]) },
      ],
      { deflate: true },
    );
    const entries = readZip(zip);
    expect(entries.map((e) => e.name)).toEqual(['m@v1/a.go', 'm@v1/sub/b.txt']);
    expect(entries[1].data).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(() => writeZip([{ name: 'dir/', data: '' }])).toThrow(/directory/);
  });

  test('escaping and a complete go.sum from the real go', () => {
    expect(escapeModulePath('example.com/Fixture/Upper')).toBe('example.com/!fixture/!upper');
    for (const path of ['example.com/fixture/m01', 'example.com/Fixture/Upper']) {
      expect(project.goSum).toContain(`${path} v1.0.0 h1:`);
      expect(project.goSum).toContain(`${path} v1.0.0/go.mod h1:`);
    }
  });
});

describe('go against fault-injecting mirrors', () => {
  test('a healthy mirror serves everything go needs to build', async () => {
    const healthy = await mirror('none');
    const step = await newJob().run('go mod download && go build ./...', {
      cwd: 'app',
      env: { GOPROXY: healthy.url, GOSUMDB: 'off' },
    });
    expect(step.stderr).toBe('');
    expect(step.exitCode).toBe(0);
    const zips = healthy.requests.filter((r) => r.path.endsWith('.zip'));
    expect(zips).toHaveLength(5);
    expect(zips.map((r) => r.path)).toContain('/example.com/!fixture/!upper/@v/v1.0.0.zip');
    expect(zips.every((r) => r.status === 200)).toBe(true);
  });

  test('a valid but different zip is a checksum mismatch even with GOSUMDB=off', async () => {
    const step = await download((await mirror('wrongZip')).url);
    expect(step.exitCode).not.toBe(0);
    expect(step.stderr).toMatch(/verifying example\.com\/\S+@v1\.0\.0: checksum mismatch/);
    expect(step.stderr).toContain('SECURITY ERROR');
  });

  test('a corrupt zip fails the download', async () => {
    const step = await download((await mirror('corruptZip')).url);
    expect(step.exitCode).not.toBe(0);
  });

  test("502 stops a ',' chain but '|' falls through to the next mirror", async () => {
    const broken = await mirror('status502');
    const healthy = await mirror('none');
    const comma = await download(`${broken.url},${healthy.url}`);
    expect(comma.exitCode).not.toBe(0);
    expect(comma.stderr).toMatch(/: 502 Bad Gateway\n\tserver response: bad gateway/);
    expect(healthy.requests).toHaveLength(0);

    const pipe = await download(`${broken.url}|${healthy.url}`);
    expect(pipe.exitCode).toBe(0);
    expect(pipe.stderr).toMatch(/# get http:\S+: 502 Bad Gateway \(\d+\.\d{3}s\)/);
    expect(healthy.requests.some((r) => r.path.endsWith('.zip'))).toBe(true);
  });

  test("404 falls through a ',' chain", async () => {
    const missing = await mirror('notfound');
    const healthy = await mirror('none');
    const step = await download(`${missing.url},${healthy.url}`);
    expect(step.exitCode).toBe(0);
    expect(step.stderr).toMatch(/# get http:\S+: 404 Not Found \(\d+\.\d{3}s\)/);
  });

  test('refused and unresolvable mirrors fail fast with dial errors', async () => {
    const refused = await download((await mirror('refused')).url);
    expect(refused.stderr).toMatch(/connect: connection refused/);
    const dns = await download((await mirror('dns')).url);
    expect(dns.exitCode).not.toBe(0);
    expect(dns.stderr).toContain('mirror.invalid');
  });

  test('a captive portal answering 200 html fails verification', async () => {
    const step = await download((await mirror('html200')).url);
    expect(step.exitCode).not.toBe(0);
    expect(step.stderr).toContain('checksum mismatch');
  });

  test('a hanging mirror hangs go until the step times out', async () => {
    const hang = await mirror('hang', { faultWhen: (path) => path.endsWith('.zip') });
    const step = await download(hang.url, { timeoutMs: 5_000 });
    expect(step.timedOut).toBe(true);
    expect(step.signal).toBe('SIGKILL');
    expect(hang.requests.some((r) => r.faulted && r.status === undefined)).toBe(true);
  });

  test('basic auth reaches go only over https', async () => {
    const basicAuth = { user: 'bob', password: 'pw-s3cr3t-value' };
    const secure = await mirror('none', { tls: true, basicAuth });
    const ok = await download(secure.authUrl, { env: { SSL_CERT_FILE: secure.caFile! } });
    expect(ok.exitCode).toBe(0);
    expect(secure.requests.every((r) => r.auth && r.status === 200)).toBe(true);
    expect(ok.stderr).not.toContain(basicAuth.password);

    const plain = await mirror('none', { basicAuth });
    const refused = await download(plain.authUrl);
    expect(refused.stderr).toContain('refusing to pass credentials to insecure URL');
    expect(plain.requests).toHaveLength(0);
  });
});

describe('mirror endpoints', () => {
  test('sumdb modes, 401 without credentials, and the request log', async () => {
    const supported = await mirror('none', { sumdb: 'supported' });
    const sumdb = `${supported.url}/sumdb/sum.golang.org`;
    expect((await fetch(`${sumdb}/supported`)).status).toBe(200);
    const head = await (await fetch(`${sumdb}/latest`)).text();
    expect(head).toMatch(/^go\.sum database tree\n\d+\n\S+=\n\n\u2014 sum\.golang\.org \S+\n$/);

    const broken = await mirror('none', { sumdb: 'supportedBroken' });
    expect((await fetch(`${broken.url}/sumdb/sum.golang.org/latest`)).status).toBe(500);
    const sumdb502 = await mirror('sumdb502', { sumdb: 'supported' });
    expect((await fetch(`${sumdb502.url}/sumdb/sum.golang.org/supported`)).status).toBe(502);
    const list = await fetch(`${sumdb502.url}/example.com/fixture/m01/@v/list`);
    expect(await list.text()).toBe('v1.0.0\n');
    expect((await fetch(`${sumdb502.url}/example.com/fixture/m01/@latest`)).status).toBe(404);

    const authed = await mirror('none', { basicAuth: { user: 'u', password: 'p' } });
    expect((await fetch(`${authed.url}/example.com/fixture/m01/@v/list`)).status).toBe(401);
    expect(authed.requests).toEqual([
      expect.objectContaining({
        path: '/example.com/fixture/m01/@v/list',
        status: 401,
        auth: false,
      }),
    ]);
  });

  test("'redirect' sends every request to redirectTo", async () => {
    const away = await mirror('redirect', { redirectTo: 'ftp://files.example/x' });
    const res = await fetch(`${away.url}/example.com/fixture/m01/@v/list`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('ftp://files.example/x');
  });

  test("'hugeError' writes its 500 body only as fast as the client reads it", async () => {
    const huge = await mirror('hugeError', { errorBytes: 256 * 1024 * 1024 });
    const res = await fetch(`${huge.url}/example.com/fixture/m01/@v/list`);
    expect(res.status).toBe(500);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString().startsWith('internal error: ')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Unread, the body stops at what the sockets buffer.
    expect(huge.requests[0].bodyBytes).toBeLessThan(64 * 1024 * 1024);
    await reader.cancel();
  });

  test("'flaky' fails every second request", async () => {
    const flaky = await mirror('flaky');
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await fetch(`${flaky.url}/example.com/fixture/m01/@v/list`)).status);
    }
    expect(statuses).toEqual([200, 502, 200, 502]);
  });
});

describe('runner harness', () => {
  test('command files in both formats, GITHUB_ENV and GITHUB_PATH carry to later steps', async () => {
    const job = newJob();
    const first = await job.run(
      [
        'echo "plain=a=b" >> "$GITHUB_OUTPUT"',
        'printf "multi<<EOF_1\\nline 1\\nline 2\\nEOF_1\\n" >> "$GITHUB_OUTPUT"',
        'echo "EXPORTED=yes" >> "$GITHUB_ENV"',
        'mkdir -p "$RUNNER_TEMP/bin1" "$RUNNER_TEMP/bin2"',
        'echo "$RUNNER_TEMP/bin1" >> "$GITHUB_PATH"',
        'echo "$RUNNER_TEMP/bin2" >> "$GITHUB_PATH"',
        'echo "# summary" >> "$GITHUB_STEP_SUMMARY"',
      ].join('\n'),
    );
    expect(first.exitCode).toBe(0);
    expect(first.outputs).toEqual({ plain: 'a=b', multi: 'line 1\nline 2' });
    expect(first.summary).toBe('# summary\n');

    const second = await job.run('echo "$EXPORTED"; echo "$PATH"; test ! -s "$GITHUB_OUTPUT"');
    const [exported, path] = second.stdout.split('\n');
    expect(exported).toBe('yes');
    expect(path.startsWith(`${job.dirs.temp}/bin2:${job.dirs.temp}/bin1:`)).toBe(true);
    expect(second.exitCode).toBe(0);
    expect(job.env).toEqual({ EXPORTED: 'yes' });

    const failing = await job.run('false | true; false | cat');
    expect(failing.exitCode).toBe(1); // pipefail, as the runner's bash flags
  });

  test('finds the repository and its action.yml location', () => {
    expect(existsSync(join(REPO_ROOT, 'package.json'))).toBe(true);
    expect(existsSync(join(REPO_ROOT, '__tests__', 'support', 'runner.ts'))).toBe(true);
  });

  test('parsers follow the runner rules', () => {
    expect(parseKeyValueFile('a=1\nb<<X\nx=1\n<<y\nX\nc=\n')).toEqual({
      a: '1',
      b: 'x=1\n<<y',
      c: '',
    });
    expect(() => parseKeyValueFile('a<<X\nnever closed\n')).toThrow(/delimiter/);
    expect(() => parseKeyValueFile('nothing\n')).toThrow(/invalid/);
    expect(
      parseWorkflowCommands('x\n::add-mask::s%0Acret\n::warning file=a%2Cb,line=3::careful\n'),
    ).toEqual([
      { command: 'add-mask', properties: {}, message: 's\ncret' },
      { command: 'warning', properties: { file: 'a,b', line: '3' }, message: 'careful' },
    ]);
  });

  test('masks as the runner does: from the registering line on, in every later step', () => {
    const step = (stdout: string, extra: Partial<StepResult> = {}) => ({
      kind: 'run' as const,
      label: 'step',
      result: { stdout, stderr: '', summary: '', outputs: {}, ...extra } as StepResult,
    });
    const shown = shownByRunner({
      steps: [
        step('early s3cret\n::add-mask::s3cret\nlate s3cret\n::add-mask::cret-x%0Asecond', {
          stderr: 'err s3cret-x',
          outputs: { url: 'https://u:s3cret@h' },
        }),
        step('s3cret second line, and ab s3cret-x'),
      ],
    });
    expect(shown.map((t) => t.text)).toEqual([
      'early s3cret\nlate ***',
      'err ***',
      '',
      'url=https://u:***@h',
      '*** *** line, and ab ***',
      '',
      '',
      '',
    ]);
  });

  test('runs an action main and post with inputs, defaults and state', async () => {
    const actionDir = join(root, 'fake-action');
    mkdirSync(join(actionDir, 'dist'), { recursive: true });
    writeFileSync(
      join(actionDir, 'action.yml'),
      [
        'name: fake',
        'inputs:',
        '  probe-timeout: { default: 5 }',
        '  token: { default: "${{ github.token }}" }',
        '  cache dir: { required: false }',
        'runs: { using: node20, main: dist/main.js, post: dist/post.js }',
      ].join('\n'),
    );
    const dump = (prefix: string) =>
      `const fs = require('fs');\n` +
      `const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(${prefix})/.test(k)));\n` +
      `fs.appendFileSync(process.env.GITHUB_OUTPUT, 'env<<EOF\\n' + JSON.stringify(env) + '\\nEOF\\n');\n`;
    writeFileSync(
      join(actionDir, 'dist', 'main.js'),
      dump('INPUT_') +
        `console.log('::add-mask::' + process.env.INPUT_TOKEN);\n` +
        `fs.appendFileSync(process.env.GITHUB_STATE, 'started=' + process.cwd() + '\\n');\n`,
    );
    writeFileSync(join(actionDir, 'dist', 'post.js'), dump('STATE_|INPUT_CACHE'));
    writeFileSync(join(actionDir, 'package.json'), '{"type": "commonjs"}\n');

    const job = new Job({ workspace: project.root, actionYmlPath: join(actionDir, 'action.yml') });
    jobs.push(job);
    expect(() => job.runMain({ 'probe-timeot': '1' })).toThrow(/unknown input 'probe-timeot'/);
    const main = await job.runMain({ 'cache dir': '/c' });
    expect(main.exitCode).toBe(0);
    expect(JSON.parse(main.outputs.env)).toEqual({
      'INPUT_PROBE-TIMEOUT': '5',
      INPUT_TOKEN: FAKE_GITHUB_TOKEN,
      INPUT_CACHE_DIR: '/c',
    });
    expect(main.commands).toContainEqual({
      command: 'add-mask',
      properties: {},
      message: FAKE_GITHUB_TOKEN,
    });
    const post = await job.runPost();
    expect(JSON.parse(post.outputs.env)).toEqual({
      STATE_started: project.root,
      INPUT_CACHE_DIR: '/c',
    });
    expect(job.steps.map((s) => s.kind)).toEqual(['main', 'post']);
  });
});
