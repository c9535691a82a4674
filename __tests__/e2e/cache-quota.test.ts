// The build cache must not crowd the repository's other caches out of its quota: once a job
// has saved its new entry, the older entries of the same job, configuration and ref go, when
// the job's token may delete them (actions: write). Jobs run dist/ like a runner against the
// cache service stand-in, which also answers the REST API's list and delete calls.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCacheService, type CacheService } from '../support/cache-server.js';
import { createProject, importingApp, makeModuleSet } from '../support/gomodules.js';
import type { Mirror } from '../support/goproxy-server.js';
import { FAKE_GITHUB_TOKEN, type Job, type StepResult } from '../support/runner.js';
import { expectSuccess, Scenario, warningsOf } from '../support/scenario.js';

const MAIN = 'refs/heads/main';
const FEATURE = 'refs/heads/feature';
let s: Scenario;
let mirror: Mirror;
let service: CacheService;
/** Where every job's runner lives, as /home/runner does on hosted runners. */
let runnerDir: string;
let commit = 0;

beforeAll(async () => {
  s = new Scenario((root) => {
    const { modules } = makeModuleSet(3);
    return createProject({ root, modules, appFiles: importingApp(modules) });
  });
  runnerDir = mkdtempSync(join(tmpdir(), 'gha-quota-runner-'));
  mirror = await s.mirror();
  service = await startCacheService({ actionsPermission: 'write' });
});

afterAll(async () => {
  await service?.close();
  await s?.close();
});

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return { mirrors: mirror.url, 'working-directory': 'app', 'probe-timeout': '2', ...extra };
}

/**
 * One job of a new commit on `ref`: main, a build of a package that changed, post. Returns
 * the main and post steps.
 */
async function commitJob(
  opts: { ref?: string; job?: string; inputs?: Record<string, string> } = {},
): Promise<{ job: Job; main: StepResult; post: StepResult }> {
  const ref = opts.ref ?? MAIN;
  const job = s.job({
    runnerDir,
    ownGocache: true,
    env: { ...service.env('v2', ref), GITHUB_REF: ref, GITHUB_JOB: opts.job ?? 'test' },
  });
  const main = await job.runMain(inputs(opts.inputs));
  expectSuccess(main);
  writeFileSync(
    join(job.workspace, 'app', 'commit.go'),
    `package main\n\nvar commit = ${++commit}\n`,
  );
  expectSuccess(await job.run('go build ./...', { cwd: 'app', timeoutMs: 120_000 }));
  const post = await job.runPost({ inputs: inputs(opts.inputs) });
  expectSuccess(post);
  expect(post.summary).toMatch(/\| outcome \| saved/);
  return { job, main, post };
}

/** Build-cache entries of a job on a ref, oldest first. */
const entriesOf = (job: string, ref = MAIN) =>
  service.entries().filter((e) => e.ref === ref && new RegExp(`-${job}\\+-`).test(e.key));

describe('build-cache entries and the repository quota', () => {
  test('commits in a row with actions: write keep one entry per job and ref, and the next job still hits', async () => {
    const first = await commitJob();
    // The token is a secret: registered before the post step logs anything.
    expect(first.post.stdout.split('\n')[0]).toBe(`::add-mask::${FAKE_GITHUB_TOKEN}`);
    expect(first.post.stdout).toContain('Build cache cleanup: no older entries to delete');
    for (let i = 0; i < 2; i++) {
      const { post } = await commitJob();
      expect(post.stdout).toMatch(/Build cache cleanup: deleted 1 older entry \(\d/);
      expect(post.summary).toContain('### Build cache cleanup');
      expect(post.summary).toContain(`on \`${MAIN}\``);
      expect(entriesOf('test')).toHaveLength(1);
    }
    const newest = entriesOf('test')[0].key;
    const next = await commitJob();
    expect(next.main.outputs['build-cache-hit']).toBe('true');
    expect(next.main.outputs['build-cache-matched-key']).toBe(newest);
    expect(entriesOf('test')).toHaveLength(1);
    expect(entriesOf('test')[0].key).not.toBe(newest);
  });

  test("another branch's and another job's entries survive", async () => {
    await commitJob({ job: 'lint' });
    const feature = await commitJob({ ref: FEATURE });
    // A branch restores the default branch's newest entry, and saves its own.
    expect(feature.main.outputs['build-cache-matched-key']).toBe(entriesOf('test')[0].key);
    expect(feature.post.stdout).toContain('Build cache cleanup: no older entries to delete');
    await commitJob();
    expect(entriesOf('test')).toHaveLength(1);
    expect(entriesOf('test', FEATURE)).toHaveLength(1);
    expect(entriesOf('lint')).toHaveLength(1);
    await commitJob({ ref: FEATURE });
    expect(entriesOf('test', FEATURE)).toHaveLength(1);
    expect(entriesOf('test')).toHaveLength(1);
  });

  test('without a token, or with one that may not delete, the job stays green and keeps everything', async () => {
    const before = entriesOf('test').length;
    const noToken = await commitJob({ inputs: { token: '' } });
    expect(noToken.post.stdout).toContain(
      'Build cache cleanup: kept the older entries: no token with actions: write (the token input is empty)',
    );
    expect(noToken.post.summary).toContain('no token with actions: write');
    expect(entriesOf('test')).toHaveLength(before + 1);

    service.setActionsPermission('read');
    try {
      const readOnly = await commitJob();
      expect(readOnly.post.stdout).toContain(
        `Build cache cleanup: kept ${before + 1} older entries: no token with actions: write (deleting answered HTTP 403)`,
      );
      expect(warningsOf(readOnly.post)).toBe('');
      service.setActionsPermission('none');
      const none = await commitJob();
      expect(none.post.stdout).toContain(
        'Build cache cleanup: kept the older entries: no token with actions: write (listing answered HTTP 403)',
      );
      expect(entriesOf('test')).toHaveLength(before + 3);
    } finally {
      service.setActionsPermission('write');
    }
    // Once the token may, the next job clears the backlog.
    const cleared = await commitJob();
    expect(cleared.post.stdout).toContain(`deleted ${before + 3} older entries`);
    expect(entriesOf('test')).toHaveLength(1);
  });

  test('a REST API that hangs or answers garbage neither fails nor stalls the post step', async () => {
    for (const fault of ['hang', 'garbage'] as const) {
      service.setApiFault(fault);
      try {
        const start = Date.now();
        const { post } = await commitJob();
        const spent = Date.now() - start;
        expect(warningsOf(post)).toMatch(
          /Build cache cleanup: kept the older entries: listing failed/,
        );
        expect(spent).toBeLessThan(90_000);
      } finally {
        service.setApiFault('none');
      }
    }
    expect(entriesOf('test').length).toBeGreaterThan(1);
  });
});
