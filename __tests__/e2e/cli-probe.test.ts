// `go-resilient-setup probe` as a user runs it: the built dist/cli/index.js under node, a real
// `go` on PATH for `go env`, no GITHUB_* or RUNNER_* variables, loopback mirrors.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/action-metadata.js';
import { forceRemove } from '../support/fs-cleanup.js';
import { goEnv } from '../support/gomodules.js';
import type { Fault, Mirror } from '../support/goproxy-server.js';
import { closedPort, listen } from '../support/loopback.js';
import { privateModuleScenario, privateRequests } from '../support/private-project.js';
import { runProcess, type ProcessResult } from '../support/process-runner.js';
import type { Scenario } from '../support/scenario.js';

const CLI = join(REPO_ROOT, 'dist', 'cli', 'index.js');

let s: Scenario;
let scratch: string;
/** Where the sumdb's direct probes go: a refused proxy, so nothing leaves the machine. */
let deadProxy: string;

beforeAll(async () => {
  s = privateModuleScenario();
  scratch = mkdtempSync(join(tmpdir(), 'grs-cli-'));
  deadProxy = `http://127.0.0.1:${await closedPort()}`;
});

afterAll(async () => {
  await s?.close();
  if (scratch) forceRemove(scratch);
});

/** A laptop's environment: Go on PATH, an empty module cache, nothing of a runner. */
function userEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env = goEnv({
    GOMODCACHE: join(scratch, 'modcache'),
    GOENV: 'off',
    HTTPS_PROXY: deadProxy,
    ...extra,
  });
  for (const name of Object.keys(env)) {
    if (/^(GITHUB_|RUNNER_|INPUT_|ACTIONS_)/.test(name)) delete env[name];
  }
  return env;
}

function probe(args: string[], env: Record<string, string> = {}): Promise<ProcessResult> {
  return runProcess(process.execPath, [CLI, 'probe', '--dir', s.project.appDir, ...args], {
    cwd: scratch,
    env: userEnv(env),
    timeoutMs: 30_000,
  });
}

/** The table row of one mirror: its verdict is the second column. */
function verdictOf(stdout: string, url: string): string | undefined {
  const row = stdout.split('\n').find((l) => l.startsWith(`${url} `));
  return row?.slice(url.length).trim().split(/\s+/)[0];
}

describe('probe prints each fault as the job summary would', () => {
  test.each<[Fault, string, number]>([
    ['none', 'healthy', 0],
    ['notfound', 'not-found', 0],
    ['refused', 'refused', 1],
    ['status502', 'erroring', 1],
    ['html200', 'wrong-content', 1],
    ['wrongZip', 'wrong-content', 1],
    ['hang', 'timeout', 1],
  ])('a mirror with fault %s is %s, exit %d', async (fault, verdict, exit) => {
    const m = await s.mirror({ fault });
    const r = await probe(['--mirrors', m.url, '--probe-timeout', '1']);
    expect({ verdict: verdictOf(r.stdout, m.url), exit: r.exitCode }).toEqual({
      verdict,
      exit,
    });
    // Only the report reaches stdout: no workflow commands from the toolkit.
    expect(r.stdout).not.toMatch(/^::/m);
    expect(r.stdout).toContain(
      exit === 0 ? `GOPROXY=${m.url}\n` : 'GOPROXY=none: no mirror is usable',
    );
    expect(r.stdout).toMatch(/^GOSUMDB=sum\.golang\.org \(/m);
  });
});

describe('probe reads what Go would use', () => {
  test('mirrors default to GOPROXY, and a broken one is left out of the chain', async () => {
    const broken = await s.mirror({ fault: 'status502' });
    const good = await s.mirror({ sumdb: 'supported' });
    const r = await probe([], { GOPROXY: `${broken.url},${good.url}|direct` });
    expect(r.exitCode).toBe(0);
    expect(verdictOf(r.stdout, broken.url)).toBe('erroring');
    expect(verdictOf(r.stdout, good.url)).toBe('healthy');
    expect(verdictOf(r.stdout, 'direct')).toBe('not');
    expect(r.stdout).toContain(`GOPROXY=${good.url}|direct\n`);
    expect(r.stdout).toContain(`GOSUMDB=sum.golang.org (proxied by ${good.url})`);
    expect(r.stdout).toMatch(/^Mirrors from go env GOPROXY, probed with \S+@v\S+ from go\.sum\.$/m);
  });

  test.each([
    ['--private', (p: string) => ({ args: ['--private', p], env: {} })],
    ['GOPRIVATE from go env', (p: string) => ({ args: [], env: { GOPRIVATE: p } })],
  ])('a private path (%s) is never asked of a public mirror', async (_how, make) => {
    const pub = await s.mirror();
    const { args, env } = make('corp.example/*');
    const r = await probe(['--mirrors', pub.url, ...args], env);
    expect(r.exitCode).toBe(0);
    expect(pub.requests.length).toBeGreaterThan(0);
    expect(privateRequests(pub)).toEqual([]);
    expect(r.stdout).toContain('GOPRIVATE=corp.example/*');
  });

  test('--json is one object with every mirror, the chain and the checksum database', async () => {
    const good = await s.mirror();
    const dead = await s.mirror({ fault: 'refused' });
    const r = await probe(['--mirrors', `${good.url},${dead.url},direct`, '--json']);
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      usable: true,
      mirrorsFrom: '--mirrors',
      direct: true,
      goproxy: `${good.url}|direct`,
      gosumdb: { value: 'sum.golang.org' },
      mirrors: [
        { mirror: good.url, verdict: 'healthy', private: false },
        { mirror: dead.url, verdict: 'refused', latencyMs: null },
      ],
    });
    expect(typeof (out.mirrors as { latencyMs: unknown }[])[0].latencyMs).toBe('number');
  });
});

describe('usage errors exit 2 and name the flag', () => {
  test.each([
    [['--bogus'], '--bogus'],
    [['--mirrors'], '--mirrors needs a value'],
    [['--json=yes'], '--json takes no value'],
    [['--probe-timeout', 'fast'], '--probe-timeout: "fast" is not a number of seconds'],
    [['--dir', '/nonexistent/x'], '--dir: "/nonexistent/x" does not exist'],
  ])('%j', async (args, message) => {
    const r = await probe(args);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });

  test('credentials in a bad mirror list are masked', async () => {
    const r = await probe(['--mirrors', 'https://bot:t0p-s3cret@corp.example,direct,http://a']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--mirrors: "direct" must be the last entry');
    expect(r.stderr + r.stdout).not.toContain('t0p-s3cret');
  });

  test('GOPROXY=off with no --mirrors names GOPROXY', async () => {
    const r = await probe([], { GOPROXY: 'off' });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('GOPROXY: "off"');
  });
});

/** A forward proxy that records CONNECTs and tunnels those for `mirror.test` to one mirror. */
async function recordingProxy(
  target: Mirror,
): Promise<{ url: string; connects: string[]; close(): Promise<void> }> {
  const connects: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client: Socket) => {
    sockets.add(client);
    const where = req.url ?? '';
    connects.push(where);
    if (!where.startsWith('mirror.test:')) {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    const upstream = connect(target.port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client).pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    close: () =>
      new Promise((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}

test('HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured without any runner variable', async () => {
  const m = await s.mirror();
  const proxy = await recordingProxy(m);
  try {
    const mirror = `http://mirror.test:${m.port}`;
    const proxied = await probe(['--mirrors', mirror], {
      HTTP_PROXY: proxy.url,
      HTTPS_PROXY: proxy.url,
    });
    expect(verdictOf(proxied.stdout, mirror)).toBe('healthy');
    // The direct checksum-database probe took the https proxy too.
    expect(proxy.connects).toEqual(
      expect.arrayContaining([`mirror.test:${m.port}`, 'sum.golang.org:443']),
    );

    const before = proxy.connects.length;
    const bypassed = await probe(['--mirrors', mirror, '--sumdb', 'sum.golang.org'], {
      HTTP_PROXY: proxy.url,
      NO_PROXY: 'mirror.test',
    });
    expect(verdictOf(bypassed.stdout, mirror)).toBe('dns');
    expect(proxy.connects.length).toBe(before);
  } finally {
    await proxy.close();
  }
});

test('npx runs the packed tarball offline', async () => {
  const npmEnv = { ...userEnv(), npm_config_cache: join(scratch, 'npm-cache') };
  const pack = await runProcess('npm', ['pack', '--pack-destination', scratch], {
    cwd: REPO_ROOT,
    env: npmEnv,
    timeoutMs: 60_000,
  });
  expect(pack.exitCode).toBe(0);
  const tgz = readdirSync(scratch).find((f) => /^go-resilient-setup-.*\.tgz$/.test(f));
  expect(tgz).toBeDefined();
  const m = await s.mirror();
  const r = await runProcess(
    'npx',
    ['--yes', `./${tgz}`, 'probe', '--dir', s.project.appDir, '--mirrors', m.url],
    { cwd: scratch, env: { ...npmEnv, npm_config_offline: 'true' }, timeoutMs: 60_000 },
  );
  expect({ exit: r.exitCode, verdict: verdictOf(r.stdout, m.url) }).toEqual({
    exit: 0,
    verdict: 'healthy',
  });
}, 90_000);
