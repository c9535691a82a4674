// A broken cache service never fails a job and costs seconds: broken archives, a hung
// download and a service answering 500, on the path github.com jobs take (v2 with Azure blob
// URLs) and on v1 (GHES), driven through dist/ like a runner.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startCacheService, type CacheFault, type CacheService } from '../support/cache-server.js';
import type { Mirror } from '../support/goproxy-server.js';
import type { Job } from '../support/runner.js';
import { expectSuccess, goBuild, Scenario, warningsOf } from '../support/scenario.js';

let s: Scenario;
let healthy: Mirror;

beforeAll(async () => {
  // Barely compressible module zips make an archive of many compressed blocks, so that a
  // break leaves tar part-way through a file.
  s = Scenario.withModules(8, { payloadBytes: 300_000 });
  healthy = await s.mirror();
});

afterAll(() => s?.close());

function inputs(prefix: string): Record<string, string> {
  return {
    mirrors: healthy.url,
    'working-directory': 'app',
    'probe-timeout': '2',
    'cache-key-prefix': prefix,
  };
}

const protocols = [
  ['v2 (Azure blob host, as on github.com)', 'v2'],
  ['v1 (GHES)', 'v1'],
] as const;

describe.each(protocols)('cache service %s', (_name, protocol) => {
  let service: CacheService;
  beforeAll(async () => {
    service = await startCacheService({ azureHost: protocol === 'v2' });
  });
  afterAll(() => service?.close());

  const job = (): Job => s.job({ env: service.env(protocol) });

  /** A cold job that saves a snapshot under the key the next job asks for. */
  async function seed(prefix: string): Promise<void> {
    const cold = job();
    expectSuccess(await cold.runMain(inputs(prefix)));
    const post = await cold.runPost();
    expectSuccess(post);
    expect(post.summary).toContain('| outcome | saved');
  }

  test.each(['breakEarly', 'breakLate', 'truncatedArchive'] as CacheFault[])(
    'an archive that arrives %s: the warm job stays green and builds',
    async (fault) => {
      const prefix = `${fault}-${protocol}`;
      await seed(prefix);
      service.setFault(fault);
      try {
        const warm = job();
        const main = await warm.runMain(inputs(prefix));
        expectSuccess(main);
        expect(main.outputs['cache-hit']).toBe('false');
        expect(main.outputs['cache-matched-key']).toBe('');
        expect(warningsOf(main)).toMatch(/Module cache restore failed/);
        // Nothing half-written was left behind for Go to trust.
        expectSuccess(await warm.run('go mod verify', { cwd: 'app' }));
        expectSuccess(await goBuild(warm));
        expectSuccess(await warm.runPost());
      } finally {
        service.setFault('none');
      }
    },
  );

  test('a service answering 500 to everything costs seconds, main and post together', async () => {
    const prefix = `status500-${protocol}`;
    await seed(prefix);
    service.setFault('status500');
    try {
      const warm = job();
      // Another go.sum would be saved by post: it must not wait on the failing service either.
      const main = await warm.runMain(inputs(`${prefix}-other`));
      expectSuccess(main);
      expect(warningsOf(main)).toMatch(/cache service is failing: .*HTTP 500/);
      expectSuccess(await goBuild(warm));
      const post = await warm.runPost();
      expectSuccess(post);
      expect(post.stdout).toContain('the cache service failed earlier in this job');
      expect(main.durationMs + post.durationMs).toBeLessThan(15_000);
    } finally {
      service.setFault('none');
    }
  });
});

describe('cache service v2 (Azure blob host) with a download that hangs', () => {
  test('the restore is abandoned within seconds and the job builds', async () => {
    const service = await startCacheService({ azureHost: true });
    try {
      const seedJob = s.job({ env: service.env('v2') });
      expectSuccess(await seedJob.runMain(inputs('hang')));
      expectSuccess(await seedJob.runPost());
      service.setFault('hangDownload');
      const warm = s.job({ env: service.env('v2') });
      const main = await warm.runMain(inputs('hang'), { timeoutMs: 400_000 });
      expectSuccess(main);
      expect(main.outputs['cache-hit']).toBe('false');
      expect(warningsOf(main)).toMatch(/cache service sent nothing for \d+s/);
      expect(main.durationMs).toBeLessThan(40_000);
      expectSuccess(await goBuild(warm));
      const post = await warm.runPost({ timeoutMs: 400_000 });
      expectSuccess(post);
      expect(post.durationMs).toBeLessThan(10_000);
    } finally {
      await service.close();
    }
  });
});
