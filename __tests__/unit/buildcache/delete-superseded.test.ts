import { afterEach, describe, expect, it } from '@jest/globals';
import { deleteSuperseded } from '../../../src/buildcache/delete-superseded.js';
import {
  startCacheService,
  type ActionsPermission,
  type CacheService,
} from '../../support/cache-server.js';
import { FAKE_GITHUB_TOKEN } from '../../support/runner.js';

const PREFIX = 'go-build-Linux-x64-go1.26.0-test+-';
const MAIN = 'refs/heads/main';
let svc: CacheService | undefined;
afterEach(() => svc?.close());

async function service(permission: ActionsPermission): Promise<CacheService> {
  const at = (i: number) => Date.UTC(2026, 0, 1) + i * 60_000;
  const entry = (key: string, i: number, ref = MAIN) => ({
    key,
    version: 'v',
    size: 4,
    createdAt: at(i),
    archive: Buffer.from('tar!'),
    ref,
  });
  svc = await startCacheService({
    actionsPermission: permission,
    seed: [
      entry(`${PREFIX}aaaa-0001`, 1),
      entry(`${PREFIX}bbbb-0002`, 2),
      entry(`${PREFIX}bbbb-0003`, 3, 'refs/heads/feature'),
      entry('go-build-Linux-x64-go1.26.0-lint+-aaaa-0004', 4),
      entry(`${PREFIX}aaaa-0005`, 5),
    ],
  });
  return svc;
}

const saved = { outcome: 'saved' as const, key: `${PREFIX}aaaa-0005`, keyPrefix: PREFIX };
const envOf = (s: CacheService) => ({
  ...s.env('v2'),
  GITHUB_REPOSITORY: 'octo-org/octo-app',
  GITHUB_REF: MAIN,
});
const keys = (s: CacheService) => s.entries().map((e) => e.key.slice(-4));

describe('deleteSuperseded', () => {
  it('deletes the older entries of this job and ref, and only those', async () => {
    const s = await service('write');
    const report = await deleteSuperseded(saved, FAKE_GITHUB_TOKEN, envOf(s));
    expect(report).toMatchObject({ outcome: 'deleted', deleted: 2, deletedBytes: 8, kept: 0 });
    expect(keys(s)).toEqual(['0003', '0004', '0005']);
  });

  it('keeps everything, and says why, without a token or without actions: write', async () => {
    const s = await service('read');
    expect(await deleteSuperseded(saved, '', envOf(s))).toMatchObject({
      outcome: 'kept',
      reason: 'no token with actions: write (the token input is empty)',
    });
    expect(await deleteSuperseded(saved, FAKE_GITHUB_TOKEN, envOf(s))).toMatchObject({
      outcome: 'kept',
      kept: 2,
      reason: 'no token with actions: write (deleting answered HTTP 403)',
    });
    s.setActionsPermission('none');
    const none = await deleteSuperseded(saved, FAKE_GITHUB_TOKEN, envOf(s));
    expect(none.kept).toBeUndefined();
    expect(none.problem).toBeUndefined();
    expect(none.reason).toBe('no token with actions: write (listing answered HTTP 403)');
    expect(keys(s)).toHaveLength(5);
  });

  it('asks nothing when nothing was saved', async () => {
    const s = await service('write');
    const report = await deleteSuperseded(
      { ...saved, outcome: 'failed' },
      FAKE_GITHUB_TOKEN,
      envOf(s),
    );
    expect(report.outcome).toBe('skipped');
    expect(s.apiRequests).toEqual([]);
  });

  it('an API that answers garbage or 500 is a problem in the report, not an error', async () => {
    const s = await service('write');
    s.setApiFault('garbage');
    const garbage = await deleteSuperseded(saved, FAKE_GITHUB_TOKEN, envOf(s));
    expect(garbage).toMatchObject({ outcome: 'kept', problem: true });
    expect(garbage.reason).toMatch(/^listing failed: GET 127\.0\.0\.1:\d+\/repos\/.* not JSON$/);
    s.setApiFault('status500');
    const failing = await deleteSuperseded(saved, FAKE_GITHUB_TOKEN, envOf(s));
    expect(failing.reason).toMatch(/answered HTTP 500$/);
    expect(keys(s)).toHaveLength(5);
  });
});
