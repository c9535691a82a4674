// golangci-lint lands on PATH only from an archive whose sha256 is known or given, fetched from
// loopback release mirrors that fail in the ways real ones do.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startReleaseMirror, type ReleaseMirror } from '../support/release-server.js';
import { errorsOf, expectSuccess, Scenario } from '../support/scenario.js';
import { golangciLintArchive, type FixtureArchive } from '../support/tool-archives.js';
import type { Mirror } from '../support/goproxy-server.js';
import type { Job } from '../support/runner.js';

// In the action's table (DESIGN.md): a real release whose real archive the tests never have.
const KNOWN = '2.4.0';
const KNOWN_LINUX_AMD64 = 'fae792524c04424c0ac369f5b8076f04b45cf29fc945a370e55d369a8dc11840';
// Not in the table.
const UNKNOWN = '9.9.9';

let s: Scenario;
let goproxy: Mirror;
let real: FixtureArchive;
let impostor: FixtureArchive;
const releaseMirrors: ReleaseMirror[] = [];

beforeAll(async () => {
  s = Scenario.withModules(2);
  goproxy = await s.mirror();
  real = golangciLintArchive(UNKNOWN);
  impostor = golangciLintArchive(UNKNOWN, 'owned by an impostor');
});

afterAll(async () => {
  await Promise.all(releaseMirrors.map((m) => m.close()));
  await s?.close();
});

async function releaseMirror(
  fault: 'none' | 'status502' | 'impostor',
  files: FixtureArchive[] = [real],
): Promise<ReleaseMirror> {
  const m = await startReleaseMirror({
    files: Object.fromEntries(files.map((f) => [f.path, f.body])),
    fault,
    impostor: impostor.body,
  });
  releaseMirrors.push(m);
  return m;
}

const baseInputs = { mirrors: '', 'working-directory': 'app', 'probe-timeout': '2' };

function toolCacheEntries(job: Job): string[] {
  const dir = join(job.dirs.toolCache, 'golangci-lint');
  return existsSync(dir) ? readdirSync(dir) : [];
}

describe('golangci-lint', () => {
  test('a known version served as an impostor fails, and nothing lands on PATH or in the tool cache', async () => {
    const knownPath = `/v${KNOWN}/golangci-lint-${KNOWN}-linux-amd64.tar.gz`;
    const mirror = await releaseMirror('impostor', [{ ...real, path: knownPath }]);
    const job = s.job();
    const main = await job.runMain({
      ...baseInputs,
      mirrors: goproxy.url,
      'golangci-lint-version': `v${KNOWN}`,
      'tool-mirrors': mirror.url,
    });
    expect(main.exitCode).not.toBe(0);
    const errors = errorsOf(main);
    expect(errors).toContain(`Expected sha256: ${KNOWN_LINUX_AMD64}`);
    expect(errors).toContain(`got sha256 ${impostor.sha256}`);
    expect(errors).toContain('nothing was installed');
    expect(mirror.requests.map((r) => r.path)).toEqual([knownPath]);
    expect(job.paths).toEqual([]);
    expect(toolCacheEntries(job)).toEqual([]);
    expect(main.outputs['golangci-lint-path']).toBeUndefined();
    expect(main.summary).toMatch(/❌ golangci-lint \| `v2\.4\.0` \| sha256 fae79/);
    const which = await job.run('command -v golangci-lint || echo absent');
    expect(which.stdout.trim()).toBe('absent');
  });

  test('an unknown version without a checksum fails before any download and names the input to use', async () => {
    const mirror = await releaseMirror('none');
    const job = s.job();
    const main = await job.runMain({
      ...baseInputs,
      mirrors: goproxy.url,
      'golangci-lint-version': UNKNOWN,
      'tool-mirrors': mirror.url,
    });
    expect(main.exitCode).not.toBe(0);
    const errors = errorsOf(main);
    expect(errors).toContain(
      `golangci-lint-version: "v${UNKNOWN}" has no known sha256 for linux-amd64`,
    );
    expect(errors).toContain('golangci-lint-checksum');
    expect(errors).toContain(`golangci-lint-${UNKNOWN}-checksums.txt`);
    expect(mirror.requests).toEqual([]);
    expect(job.paths).toEqual([]);
  });

  test('an unknown version with the right checksum installs, a later step runs it, and the next run reuses the tool cache', async () => {
    const mirror = await releaseMirror('none');
    const job = s.job();
    const inputs = {
      ...baseInputs,
      mirrors: goproxy.url,
      'golangci-lint-version': `v${UNKNOWN}`,
      'golangci-lint-checksum': real.sha256.toUpperCase(),
      'tool-mirrors': mirror.url,
    };
    const main = await job.runMain(inputs);
    expectSuccess(main);
    const binary = main.outputs['golangci-lint-path'];
    expect(binary).toBe(join(job.dirs.toolCache, 'golangci-lint', UNKNOWN, 'x64', 'golangci-lint'));
    expect(main.outputs['golangci-lint-version']).toBe(`v${UNKNOWN}`);
    expect(job.paths).toEqual([join(job.dirs.toolCache, 'golangci-lint', UNKNOWN, 'x64')]);
    const lint = await job.run('golangci-lint --version');
    expectSuccess(lint);
    expect(lint.stdout.trim()).toBe(`golangci-lint has version ${UNKNOWN}`);
    expect(main.summary).toContain(`sha256 ${real.sha256} (golangci-lint-checksum)`);

    // Same runner, mirror gone: the verified copy in the tool cache is enough.
    await mirror.close();
    const again = await job.runMain(inputs);
    expectSuccess(again);
    expect(again.outputs['golangci-lint-path']).toBe(binary);
    expect(again.summary).toMatch(/golangci-lint \| `v9\.9\.9` \|.*\| tool cache \| tool cache \|/);
  });

  test('past a mirror that 502s and one that serves an impostor, the real archive from the third is installed', async () => {
    const failing = await releaseMirror('status502');
    const lying = await releaseMirror('impostor');
    const good = await releaseMirror('none');
    const job = s.job();
    const main = await job.runMain({
      ...baseInputs,
      mirrors: goproxy.url,
      'golangci-lint-version': UNKNOWN,
      'golangci-lint-checksum': real.sha256,
      'tool-mirrors': [failing.url, lying.url, good.url].join('\n'),
    });
    expectSuccess(main);
    // 502 is transient: retried with backoff. Wrong bytes are not: one request, then move on.
    expect(failing.requests.map((r) => r.status)).toEqual([502, 502, 502]);
    expect(lying.requests.map((r) => r.status)).toEqual([200]);
    expect(good.requests.map((r) => r.status)).toEqual([200]);
    const lint = await job.run('golangci-lint --version');
    expect(lint.stdout.trim()).toBe(`golangci-lint has version ${UNKNOWN}`);
    expect(main.stdout).toContain('sha256 mismatch');
    expect(main.summary).toContain(
      `${good.url}/v${UNKNOWN}/golangci-lint-${UNKNOWN}-linux-amd64.tar.gz`,
    );
  });
});
