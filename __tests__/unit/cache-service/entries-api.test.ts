import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import {
  ApiError,
  deleteEntry,
  listEntries,
  type EntriesApi,
} from '../../../src/cache-service/entries-api.js';
import { startCacheService, type CacheService } from '../../support/cache-server.js';
import { listen } from '../../support/loopback.js';
import { FAKE_GITHUB_TOKEN } from '../../support/runner.js';

let svc: CacheService;
let api: EntriesApi;
const seed = Array.from({ length: 230 }, (_, i) => ({
  key: `go-build-x-test+-${i % 2 ? 'feature' : 'main'}-${i}`,
  version: 'v',
  size: 3,
  createdAt: Date.UTC(2026, 0, 1) + i * 1000,
  archive: Buffer.from('abc'),
  ref: i % 2 ? 'refs/heads/feature' : 'refs/heads/main',
}));

beforeAll(async () => {
  svc = await startCacheService({ seed, actionsPermission: 'write' });
  const env = svc.env('v2');
  api = {
    apiUrl: `${env.GITHUB_API_URL}/`,
    repository: 'octo-org/octo-app',
    token: FAKE_GITHUB_TOKEN,
  };
});
afterAll(() => svc?.close());

describe('the REST API for cache entries', () => {
  it('lists by key prefix and ref, newest first, across pages', async () => {
    const listed = await listEntries(api, 'go-build-x-test+-', 'refs/heads/main');
    expect(listed).toHaveLength(115);
    expect(listed.every((e) => e.ref === 'refs/heads/main')).toBe(true);
    expect(listed[0].key).toBe('go-build-x-test+-main-228');
    expect(listed[0]).toMatchObject({ version: 'v', sizeInBytes: 3 });
    expect(Date.parse(listed[0].createdAt)).toBe(Date.UTC(2026, 0, 1) + 228_000);
    expect(svc.apiRequests.map((r) => r.path)).toEqual([
      expect.stringContaining('page=1'),
      expect.stringContaining('page=2'),
    ]);
  });

  it('deletes by id; an entry already gone counts as deleted', async () => {
    const [first] = await listEntries(api, 'go-build-x-test+-feature-1', 'refs/heads/feature');
    await deleteEntry(api, first.id);
    await deleteEntry(api, first.id);
    expect(svc.entries().some((e) => e.key === first.key)).toBe(false);
  });

  it('a token without the permission is an ApiError with its status', async () => {
    svc.setActionsPermission('read');
    await expect(deleteEntry(api, 1)).rejects.toMatchObject({ status: 403 });
    svc.setActionsPermission('none');
    const err = await listEntries(api, 'go-build-', 'refs/heads/main').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(403);
    await expect(listEntries({ ...api, token: 'wrong' }, 'x', 'y')).rejects.toMatchObject({
      status: 401,
    });
    svc.setActionsPermission('write');
  });

  it('garbage, a hang and an endless answer are errors, in time', async () => {
    svc.setApiFault('garbage');
    await expect(listEntries(api, 'go-build-', 'refs/heads/main')).rejects.toThrow(/not JSON/);
    svc.setApiFault('hang');
    const start = Date.now();
    await expect(listEntries({ ...api, timeoutMs: 300 }, 'g', 'r')).rejects.toThrow(
      /no answer within/,
    );
    expect(Date.now() - start).toBeLessThan(5_000);
    svc.setApiFault('none');

    const endless = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const write = () => {
        while (res.write(chunk));
        res.once('drain', write);
      };
      write();
    });
    const port = await listen(endless);
    try {
      const big = { ...api, apiUrl: `http://127.0.0.1:${port}` };
      await expect(listEntries(big, 'g', 'r')).rejects.toThrow(/longer than/);
    } finally {
      endless.closeAllConnections();
      endless.close();
    }
  });
});
