// A cancelled or timed-out main step, as a runner does it: it signals the step's node process
// only (SIGINT, then SIGTERM, then SIGKILL), never the detached `go mod download` the action
// started. Nothing of the job may survive, and the post step must not wait on Go's lock files.
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startCacheService, type CacheService } from '../support/cache-server.js';
import type { Mirror } from '../support/goproxy-server.js';
import { killGroup, processesMentioning, type LiveProcess } from '../support/process-runner.js';
import type { Job, StepResult } from '../support/runner.js';
import { expectSuccess, Scenario } from '../support/scenario.js';

// Not the module the action probes with (the first one), so probes pass and go hangs.
const HUNG_ZIP = '/example.com/fixture/m03/@v/v1.0.0.zip';

let s: Scenario;
let service: CacheService;
let mirror: Mirror;
const jobs: Job[] = [];

beforeAll(async () => {
  s = Scenario.withModules(3);
  service = await startCacheService();
  mirror = await s.mirror({ fault: 'hang', faultWhen: (path) => path === HUNG_ZIP });
});

afterEach(() => {
  // A failing run must not leave hung go processes behind for the next test.
  for (const job of jobs.splice(0)) for (const p of leftovers(job)) killGroup(p.pgid);
});

afterAll(async () => {
  await s?.close();
  await service?.close();
});

function newJob(): Job {
  const job = s.job({ env: service.env('v2') });
  jobs.push(job);
  return job;
}

const inputs = { 'working-directory': 'app', 'probe-timeout': '2' };

/** Processes that belong to the job: its environment or working directory is under the runner dir. */
function leftovers(job: Job): LiveProcess[] {
  return processesMentioning([job.runnerDir]);
}

async function waitFor(what: string, cond: () => boolean, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits (briefly) for the job's processes to be gone; returns what is still there. */
async function settle(job: Job, ms = 5000): Promise<LiveProcess[]> {
  const until = Date.now() + ms;
  let left = leftovers(job);
  while (left.length > 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    left = leftovers(job);
  }
  return left;
}

function goAskedForHungZip(since: number): boolean {
  return mirror.requests.slice(since).some((r) => r.path === HUNG_ZIP && r.fromGo);
}

/** Starts the main step and signals its node process once `go mod download` hangs on a zip. */
async function cancelMainMidDownload(
  job: Job,
  signal: NodeJS.Signals,
): Promise<{ main: StepResult; exitMs: number }> {
  const since = mirror.requests.length;
  let pid: number | undefined;
  const running = job.runMain({ ...inputs, mirrors: mirror.url }, { onSpawn: (p) => (pid = p) });
  await waitFor('go to ask for the hung zip', () => goAskedForHungZip(since));
  const signalled = Date.now();
  process.kill(pid!, signal);
  const main = await running;
  return { main, exitMs: Date.now() - signalled };
}

describe.each(['SIGTERM', 'SIGINT'] as const)('main step cancelled with %s', (signal) => {
  test('the step stops promptly, leaves no process behind, and post finishes quickly', async () => {
    const job = newJob();
    const { main, exitMs } = await cancelMainMidDownload(job, signal);
    expect(main.exitCode).not.toBe(0);
    expect(main.timedOut).toBe(false);
    expect(exitMs).toBeLessThan(10_000);
    expect(await settle(job)).toEqual([]);
    expect(main.stdout).toContain(`${signal}`);

    const post = await job.runPost();
    expectSuccess(post);
    expect(post.durationMs).toBeLessThan(15_000);
    // The download never finished: no snapshot is saved under the exact key.
    expect(post.stdout).toContain('does not hold everything go.sum needs');
    expect(leftovers(job)).toEqual([]);
  });
});

test('main step killed with SIGKILL: the post step stops the go it left behind, then saves nothing', async () => {
  const job = newJob();
  const { main } = await cancelMainMidDownload(job, 'SIGKILL');
  expect(main.signal).toBe('SIGKILL');
  // SIGKILL cannot be caught: the detached go is still there, holding its lock.
  const orphans = leftovers(job);
  expect(orphans.map((p) => p.cmdline).join('\n')).toMatch(/\bmod download\b/);

  const post = await job.runPost();
  expectSuccess(post);
  expect(post.durationMs).toBeLessThan(15_000);
  expect(post.stdout).toMatch(/Stopped 1 go process group\(s\) left behind by the main step/);
  expect(post.stdout).toContain('does not hold everything go.sum needs');
  expect(await settle(job)).toEqual([]);
});

test('a go process the action did not start holds a lock: post gives up on the check quickly and says why', async () => {
  const job = newJob();
  expectSuccess(await job.runMain({ ...inputs, mirrors: mirror.url, prefetch: 'false' }));
  // Another step's download, hung on the same mirror, holding the lock on the missing zip.
  const since = mirror.requests.length;
  const env = job.stepEnv({ GOPROXY: mirror.url, GOFLAGS: '-modcacherw' });
  const foreign = spawn('go', ['mod', 'download'], {
    cwd: join(job.workspace, 'app'),
    env,
    detached: true,
    stdio: 'ignore',
  });
  try {
    await waitFor('the foreign go to ask for the hung zip', () => goAskedForHungZip(since));
    const post = await job.runPost();
    expectSuccess(post);
    // Bounded well below the 60 s the check used to wait on the lock.
    expect(post.durationMs).toBeLessThan(45_000);
    const warnings = post.commands.filter((c) => c.command === 'warning').map((c) => c.message);
    expect(warnings.join('\n')).toMatch(/go mod download.*did not finish within \d+ s/);
    expect(warnings.join('\n')).toMatch(/lock/);
    // Not the action's process: it is left alone.
    expect(foreign.exitCode).toBeNull();
  } finally {
    if (foreign.pid) killGroup(foreign.pid);
  }
});
