// Proves the cache service stand-in against the real @actions/cache, run like a job would run
// it: in a separate node process that only knows the runner's environment, so action tests can
// trust that what the toolkit does against the stand-in is what it does against GitHub.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../support/action-metadata.js';
import {
  READ_DENIED_MESSAGE,
  startCacheService,
  WRITE_DENIED_MESSAGE,
  type CacheFault,
  type CacheService,
} from '../support/cache-server.js';
import { runProcess } from '../support/process-runner.js';

// The 500 case waits out the toolkit's retries (about 30 s per call); everything else is quick.
jest.setTimeout(60_000);

const CACHE_MODULE = join(REPO_ROOT, 'node_modules/@actions/cache/lib/cache.js');
const BLOB_MODULE = join(REPO_ROOT, 'node_modules/@azure/storage-blob/dist/esm/index.js');

// The job: runs each step in its workspace, as the runner would (cwd = GITHUB_WORKSPACE; the
// toolkit globs against cwd and tars relative to GITHUB_WORKSPACE), and prints one RESULT line
// per step. 'blocks' drives the Azure SDK directly, for the block upload @actions/cache only
// uses above 128 MiB.
const JOB_SCRIPT = `
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
const { cacheModule, blobModule, steps } = JSON.parse(process.argv[2]);
const cache = await import(cacheModule);

async function twirp(method, body) {
  const path = '/twirp/github.actions.results.api.v1.CacheService/' + method;
  const res = await fetch(new URL(path, process.env.ACTIONS_RESULTS_URL), {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: 'Bearer ' + process.env.ACTIONS_RUNTIME_TOKEN,
    },
    body: JSON.stringify(body),
  });
  return res.json();
}

async function blocks(step) {
  const { BlockBlobClient } = await import(blobModule);
  const created = await twirp('CreateCacheEntry', { key: step.key, version: 'blocks' });
  const client = new BlockBlobClient(created.signed_upload_url);
  const size = readFileSync(step.file).length;
  const small = { blockSize: 1 << 20, maxSingleShotSize: 1 << 20, concurrency: 2 };
  await client.uploadFile(step.file, small);
  const done = await twirp('FinalizeCacheEntryUpload', {
    key: step.key,
    version: 'blocks',
    size_bytes: String(size),
  });
  const found = await twirp('GetCacheEntryDownloadURL', { key: step.key, version: 'blocks' });
  const reader = new BlockBlobClient(found.signed_download_url);
  const back = await reader.downloadToBuffer(0, undefined, { blockSize: 1 << 20, concurrency: 2 });
  return { entryId: done.entry_id, sha256: createHash('sha256').update(back).digest('hex') };
}

for (const step of steps) {
  process.env.GITHUB_WORKSPACE = step.workspace;
  process.chdir(step.workspace);
  const started = Date.now();
  let value;
  let error;
  try {
    if (step.op === 'save') value = await cache.saveCache(step.paths, step.key, step.options);
    else if (step.op === 'restore')
      value = await cache.restoreCache(step.paths, step.key, step.restoreKeys, step.options);
    else value = await blocks(step);
  } catch (e) {
    error = e.name + ': ' + e.message;
  }
  console.log('RESULT ' + JSON.stringify({ op: step.op, value, error, ms: Date.now() - started }));
}
`;

type Protocol = 'v1' | 'v2';

interface Step {
  op: 'save' | 'restore' | 'blocks';
  workspace: string;
  key: string;
  paths?: string[];
  restoreKeys?: string[];
  options?: Record<string, unknown>;
  file?: string;
}

interface StepResult {
  op: string;
  value?: unknown;
  error?: string;
  ms: number;
}

interface JobRun {
  results: StepResult[];
  /** The job's stdout without ::debug:: and ::add-mask:: lines: what a user sees in the log. */
  log: string;
}

let root: string;
let script: string;
let dirCount = 0;
const services: CacheService[] = [];
const timings: string[] = [];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cache-selftest-'));
  script = join(root, 'job.mjs');
  writeFileSync(script, JOB_SCRIPT);
});

afterAll(async () => {
  await Promise.all(services.map((s) => s.close()));
  rmSync(root, { recursive: true, force: true });
  if (timings.length) process.stdout.write(`\n@actions/cache timings:\n${timings.join('\n')}\n`);
});

async function service(opts: { azureHost?: boolean } = {}): Promise<CacheService> {
  const s = await startCacheService(opts);
  services.push(s);
  return s;
}

function dir(name: string): string {
  const path = join(root, `${name}-${++dirCount}`);
  mkdirSync(path, { recursive: true });
  return path;
}

/** A workspace with `snap/` holding a few files (and optionally a large random one). */
function workspace(content: string, bigBytes = 0): string {
  const ws = dir('ws');
  mkdirSync(join(ws, 'snap', 'sub'), { recursive: true });
  writeFileSync(join(ws, 'snap', 'a.txt'), content);
  writeFileSync(join(ws, 'snap', 'sub', 'b.txt'), `${content}\n`.repeat(100));
  writeFileSync(join(ws, 'snap', 'c.bin'), Buffer.from([0, 1, 2, 255]));
  if (bigBytes) writeFileSync(join(ws, 'snap', 'big.bin'), randomBytes(bigBytes));
  return ws;
}

function read(ws: string, file: string): string {
  return readFileSync(join(ws, 'snap', file), 'utf8');
}

function sameFile(a: string, b: string, file: string): boolean {
  return readFileSync(join(a, 'snap', file)).equals(readFileSync(join(b, 'snap', file)));
}

/** One job on a fresh runner: its own RUNNER_TEMP, only the runner's variables. */
async function job(
  svc: CacheService,
  protocol: Protocol,
  steps: Step[],
  timeoutMs = 60_000,
): Promise<JobRun> {
  const env: Record<string, string> = {
    PATH: [dirname(process.execPath), process.env.PATH].filter(Boolean).join(':'),
    HOME: dir('home'),
    RUNNER_TEMP: dir('temp'),
    RUNNER_OS: 'Linux',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REF: 'refs/heads/main',
    ...svc.env(protocol),
  };
  const arg = JSON.stringify({
    cacheModule: pathToFileURL(CACHE_MODULE).href,
    blobModule: pathToFileURL(BLOB_MODULE).href,
    steps,
  });
  const run = await runProcess(process.execPath, [script, arg], { cwd: root, env, timeoutMs });
  const results = run.stdout
    .split('\n')
    .filter((l) => l.startsWith('RESULT '))
    .map((l) => {
      // Keep absent fields as explicit undefined, so toMatchObject can assert them.
      const r = JSON.parse(l.slice('RESULT '.length)) as StepResult;
      return { op: r.op, value: r.value, error: r.error, ms: r.ms };
    });
  const log = run.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::debug::') && !l.startsWith('::add-mask::'))
    .join('\n');
  if (results.length !== steps.length || run.timedOut) {
    throw new Error(`job did not finish its steps:\n${run.stdout}\n${run.stderr}`);
  }
  return { results, log };
}

function time(label: string, ms: number): void {
  timings.push(`  ${label.padEnd(58)} ${(ms / 1000).toFixed(1).padStart(6)} s`);
}

const save = (workspace: string, key: string, options?: Record<string, unknown>): Step => ({
  op: 'save',
  workspace,
  key,
  paths: ['snap'],
  options,
});
const restore = (
  workspace: string,
  key: string,
  restoreKeys: string[] = [],
  options?: Record<string, unknown>,
): Step => ({ op: 'restore', workspace, key, restoreKeys, paths: ['snap'], options });

describe.each<Protocol>(['v1', 'v2'])('%s', (protocol) => {
  let svc: CacheService;
  let src: string;
  const seeded = `seed-${protocol}`;

  beforeAll(async () => {
    svc = await service();
    src = workspace(`seed ${protocol}`);
    const run = await job(svc, protocol, [save(src, seeded)]);
    expect(run.results[0].value).toBeGreaterThan(0);
  });

  test('save; restore elsewhere by exact key, by restore-key prefix (newest first)', async () => {
    const a = workspace('version a');
    const b = workspace('version b');
    const saved = await job(svc, protocol, [save(a, 'deps-linux-a'), save(b, 'deps-linux-b')]);
    expect(saved.results.map((r) => r.value)).toEqual([expect.any(Number), expect.any(Number)]);
    expect(saved.results.map((r) => r.error)).toEqual([undefined, undefined]);

    const exact = dir('fresh');
    const prefixed = dir('fresh');
    const before = svc.stats().downloads;
    const restored = await job(svc, protocol, [
      restore(exact, 'deps-linux-a', ['deps-']),
      restore(prefixed, 'deps-linux-c', ['nothing-', 'deps-linux-']),
      // As documented for the real service, the primary key is also tried as a prefix.
      restore(dir('fresh'), 'deps-linux', []),
      restore(dir('fresh'), 'other', ['another-']),
    ]);
    expect(restored.results.map((r) => r.value)).toEqual([
      'deps-linux-a',
      'deps-linux-b',
      'deps-linux-b',
      undefined,
    ]);
    expect(read(exact, 'a.txt')).toBe('version a');
    expect(sameFile(exact, a, 'c.bin')).toBe(true);
    expect(read(prefixed, 'sub/b.txt')).toBe(read(b, 'sub/b.txt'));
    expect(svc.stats().downloads).toBe(before + 3);

    // Every call went to the protocol env() selected (plus blob URLs).
    const protocols = new Set(svc.requests.map((r) => r.protocol));
    expect([...protocols].sort()).toEqual(['blob', protocol]);
    const stored = svc.entries().find((e) => e.key === 'deps-linux-a')!;
    expect(stored.size).toBe(stored.archive.length);
    expect(stored.version).toMatch(/^[0-9a-f]{64}$/);
  });

  test('lookupOnly answers the key without downloading', async () => {
    const before = svc.stats().downloads;
    const run = await job(svc, protocol, [
      restore(dir('fresh'), seeded, [], { lookupOnly: true }),
      restore(dir('fresh'), 'x', ['seed-'], { lookupOnly: true }),
    ]);
    expect(run.results.map((r) => r.value)).toEqual([seeded, seeded]);
    expect(run.log).toContain('Lookup only - skipping download');
    expect(svc.stats().downloads).toBe(before);
  });

  test('a second save of the same key is a conflict: -1, no throw', async () => {
    const before = svc.stats();
    const run = await job(svc, protocol, [save(src, seeded)]);
    expect(run.results[0]).toMatchObject({ value: -1, error: undefined });
    expect(run.log).toContain('another job may be creating this cache');
    expect(svc.stats()).toMatchObject({
      conflicts: before.conflicts + 1,
      created: before.created,
      committed: before.committed,
    });
  });

  /** A job run while the service has the fault; it is healthy again afterwards. */
  async function faulted(fault: CacheFault, steps: Step[]): Promise<JobRun> {
    svc.setFault(fault);
    try {
      return await job(svc, protocol, steps);
    } finally {
      svc.setFault('none');
    }
  }

  test('conflict: restore works, save gives -1 and only an info line', async () => {
    const run = await faulted('conflict', [restore(dir('fresh'), seeded), save(src, 'new-c')]);
    expect(run.results.map((r) => [r.value, r.error])).toEqual([
      [seeded, undefined],
      [-1, undefined],
    ]);
    expect(run.log).toContain(
      'Failed to save: Unable to reserve cache with key new-c, ' +
        'another job may be creating this cache',
    );
    expect(run.log).not.toContain('::warning::Failed to save');
  });

  test('readDenied: restore is a miss with a warning, save still works', async () => {
    const run = await faulted('readDenied', [restore(dir('fresh'), seeded), save(src, 'new-r')]);
    expect(run.results.map((r) => [r.value, r.error])).toEqual([
      [undefined, undefined],
      [expect.any(Number), undefined],
    ]);
    expect(run.results[1].value).toBeGreaterThan(0);
    expect(run.log).toMatch(new RegExp(`::warning::Failed to restore: .*${READ_DENIED_MESSAGE}`));
  });

  test('writeDenied: restore works, save gives -1 with a warning', async () => {
    const run = await faulted('writeDenied', [restore(dir('fresh'), seeded), save(src, 'new-w')]);
    expect(run.results.map((r) => [r.value, r.error])).toEqual([
      [seeded, undefined],
      [-1, undefined],
    ]);
    expect(run.log).toContain(
      '::warning::Failed to save: Unable to reserve cache with key new-w. ' +
        `More details: ${WRITE_DENIED_MESSAGE}`,
    );
  });

  test('corruptArchive and tamper: the download arrives but tar fails, a miss', async () => {
    let run = await faulted('corruptArchive', [restore(dir('fresh'), seeded)]);
    expect(run.results[0]).toMatchObject({ value: undefined, error: undefined });
    expect(run.log).toMatch(/::warning::Failed to restore: .*tar/);

    const original = svc.entries().find((e) => e.key === seeded)!.archive;
    svc.tamper(seeded, Buffer.from('not an archive'));
    try {
      run = await job(svc, protocol, [restore(dir('fresh'), seeded)]);
    } finally {
      svc.tamper(seeded, original);
    }
    expect(run.results[0]).toMatchObject({ value: undefined, error: undefined });
    expect(run.log).toMatch(/::warning::Failed to restore: .*tar/);
  });

  test.each(['breakEarly', 'breakLate', 'truncatedArchive'] as CacheFault[])(
    '%s: the archive arrives broken, tar fails part-way, a miss',
    async (fault) => {
      const run = await faulted(fault, [restore(dir(`broken-${fault}`), seeded)]);
      expect(run.results[0]).toMatchObject({ value: undefined, error: undefined });
      expect(run.log).toMatch(/::warning::Failed to restore: .*tar/);
    },
  );

  test('hangDownload: a plain GET from a loopback URL is dropped after 5 s idle', async () => {
    const options = { segmentTimeoutInMs: 60_000, timeoutInMs: 60_000 };
    const run = await faulted('hangDownload', [restore(dir('fresh'), seeded, [], options)]);
    const [r] = run.results;
    expect(r).toMatchObject({ value: undefined, error: undefined });
    expect(run.log).toContain('::warning::Failed to restore: Premature close');
    // SocketTimeout (5 s) is hard-coded on this path; the options do not apply.
    expect(r.ms).toBeGreaterThanOrEqual(4_500);
    expect(r.ms).toBeLessThan(15_000);
    time(`${protocol} loopback hangDownload restore (any options)`, r.ms);
  });

  test('refused: nothing listens where env() points', async () => {
    const run = await faulted('refused', [restore(dir('fresh'), seeded), save(src, 'new-x')]);
    const [restored, saved] = run.results;
    expect(restored).toMatchObject({ value: undefined, error: undefined });
    expect(saved).toMatchObject({ value: -1, error: undefined });
    expect(run.log).toContain('::warning::Failed to restore:');
    expect(run.log).toContain('ECONNREFUSED');
    time(`${protocol} refused restore`, restored.ms);
    time(`${protocol} refused save`, saved.ms);
  });

  test('status500: every service call fails; restore misses and save gives -1', async () => {
    // Two jobs at once: on v2 each call retries for about 30 s.
    svc.setFault('status500');
    const [restoring, saving] = await Promise.all([
      job(svc, protocol, [restore(dir('fresh'), seeded)], 90_000),
      job(svc, protocol, [save(src, 'new-500')], 90_000),
    ]).finally(() => svc.setFault('none'));
    const [restored, saved] = [restoring.results[0], saving.results[0]];
    expect(restored).toMatchObject({ value: undefined, error: undefined });
    expect(saved).toMatchObject({ value: -1, error: undefined });
    expect(restoring.log).toMatch(/::warning::Failed to restore: .*500/);
    if (protocol === 'v2') {
      expect(restoring.log).toContain('Attempt 4 of 5 failed');
      expect(restored.ms).toBeGreaterThan(20_000);
    } else {
      expect(restored.ms).toBeLessThan(5_000); // v1 retries only 502/503/504 and network errors
    }
    time(`${protocol} status500 restore`, restored.ms);
    time(`${protocol} status500 save`, saved.ms);
  }, 120_000);
});

describe('v2 with larger archives', () => {
  test('10 MiB of random data round-trips (blob PUT, plain GET on loopback)', async () => {
    const svc = await service();
    const src = workspace('big', 10 << 20);
    const fresh = dir('fresh');
    const run = await job(svc, 'v2', [save(src, 'big'), restore(fresh, 'big')]);
    expect(run.results.map((r) => r.value)).toEqual([expect.any(Number), 'big']);
    expect(sameFile(src, fresh, 'big.bin')).toBe(true);
    expect(svc.entries()[0].size).toBeGreaterThan(10 << 20);
    expect(svc.requests.filter((r) => r.protocol === 'blob').map((r) => r.method)).toEqual([
      'PUT',
      'GET',
    ]);
  });

  test('Azure SDK: block upload (stageBlock + commitBlockList), ranged reads', async () => {
    const svc = await service();
    const file = join(dir('blob'), 'data.bin');
    const data = randomBytes(3 * (1 << 20) + 12345);
    writeFileSync(file, data);
    const run = await job(svc, 'v2', [{ op: 'blocks', workspace: root, key: 'blocks', file }]);
    const sha256 = createHash('sha256').update(data).digest('hex');
    expect(run.results[0]).toMatchObject({ value: { sha256 }, error: undefined });
    expect(svc.entries()[0].archive.equals(data)).toBe(true);
    const blobCalls = svc.requests.filter((r) => r.protocol === 'blob');
    expect(blobCalls.filter((r) => r.path.includes('comp=block&'))).toHaveLength(4);
    expect(blobCalls.filter((r) => r.path.includes('comp=blocklist'))).toHaveLength(1);
    expect(blobCalls.filter((r) => r.method === 'GET' && r.status === 206)).toHaveLength(4);
  });
});

describe('azureHost: blob URLs on *.blob.core.windows.net, as on github.com', () => {
  let svc: CacheService;
  let src: string;

  beforeAll(async () => {
    svc = await service({ azureHost: true });
    src = workspace('azure', 10 << 20);
  });

  test.each<Protocol>(['v2', 'v1'])('%s: 10 MiB round-trips with HEAD + ranged GETs', async (p) => {
    const key = `azure-${p}`;
    const fresh = dir('fresh');
    const run = await job(svc, p, [save(src, key), restore(fresh, key)]);
    expect(run.results.map((r) => r.value)).toEqual([expect.any(Number), key]);
    expect(sameFile(src, fresh, 'big.bin')).toBe(true);
    const reads = svc.requests.filter((r) => r.protocol === 'blob' && r.method !== 'PUT');
    // v2: the Azure SDK (getProperties, then 4 MiB x-ms-range reads); v1: the toolkit's own
    // parallel download (HEAD, then 4 MiB Range reads) through the proxy's CONNECT tunnel.
    expect(reads.slice(-4).map((r) => `${r.method} ${r.status}`)).toEqual([
      'HEAD 200',
      'GET 206',
      'GET 206',
      'GET 206',
    ]);
  });

  // Without segmentTimeoutInMs the Azure SDK gives up on a stalled 4 MiB block only after its
  // own fixed 100 s (timeoutInMs does not apply once headers are in), and the stalled socket
  // then keeps the process alive; with it, the download is aborted and the job can exit.
  test('v2 hangDownload: segmentTimeoutInMs bounds the stalled download', async () => {
    svc.setFault('hangDownload');
    try {
      const run = await job(svc, 'v2', [
        restore(dir('fresh'), 'azure-v2', [], { segmentTimeoutInMs: 5_000, timeoutInMs: 5_000 }),
      ]);
      const [r] = run.results;
      expect(r).toMatchObject({ value: undefined, error: undefined });
      expect(run.log).toContain(
        'Aborting cache download as the download time exceeded the timeout',
      );
      expect(r.ms).toBeGreaterThanOrEqual(4_500);
      expect(r.ms).toBeLessThan(15_000);
      time('v2 azureHost hangDownload restore, segmentTimeoutInMs 5 s', r.ms);
    } finally {
      svc.setFault('none');
    }
  });
});
