// Mirrors that answer what no mirror should: a redirect to another scheme or down to http, an
// error page of hundreds of MiB. Each is a verdict on that mirror, read no further than needed;
// the healthy mirror next to it carries the job.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Mirror } from '../support/goproxy-server.js';
import { expectSuccess, goBuild, Scenario } from '../support/scenario.js';

const MiB = 1024 * 1024;
let s: Scenario;
let healthy: Mirror;

beforeAll(async () => {
  s = Scenario.withModules(3);
  healthy = await s.mirror();
});

afterAll(() => s?.close());

/** The summary's row for a mirror. */
function rowOf(summary: string, display: string): string {
  const row = summary.split('\n').find((l) => l.startsWith(`| ${display} |`));
  if (!row) throw new Error(`no row for ${display} in the summary:\n${summary}`);
  return row;
}

const probeRequests = (m: Mirror) => m.requests.filter((r) => r.userAgent === 'go-resilient-setup');

test('a mirror redirecting to ftp:// is erroring, and the healthy one carries the job', async () => {
  const redirecting = await s.mirror({
    fault: 'redirect',
    redirectTo: 'ftp://mirror-bot:Ftp5ecretPw@127.0.0.1:2121/goproxy',
  });
  const job = s.job();
  const main = await job.runMain({
    mirrors: `${redirecting.url}\n${healthy.url}`,
    'working-directory': 'app',
    'probe-timeout': '5',
  });
  expectSuccess(main);
  const row = rowOf(main.summary, redirecting.url);
  expect(row).toContain('erroring');
  expect(row).toContain(
    'redirected to ftp://***:***@127.0.0.1:2121/goproxy, which is not http or https',
  );
  expect(main.summary).not.toContain('Ftp5ecretPw');
  expect(main.stdout).not.toContain('Ftp5ecretPw');
  expect(job.env.GOPROXY).toBe(healthy.url);
  expectSuccess(await goBuild(job));
});

test('a mirror redirecting from https down to http is erroring, and its credentials never go there', async () => {
  const credentials = { user: 'ci-bot', password: 'Dwn9Grade7Pw' };
  // Takes the same credentials, so it would record them if they came.
  const plain = await s.mirror({ basicAuth: credentials });
  const corp = await s.mirror({
    tls: true,
    basicAuth: credentials,
    fault: 'redirect',
    redirectTo: plain.url,
  });
  const job = s.job({ env: { SSL_CERT_FILE: corp.caFile!, NODE_EXTRA_CA_CERTS: corp.caFile! } });
  const main = await job.runMain({
    mirrors: `${corp.authUrl}\n${healthy.url}`,
    'working-directory': 'app',
    'probe-timeout': '5',
  });
  expectSuccess(main);
  const row = rowOf(main.summary, corp.url.replace('https://', 'https://***:***@'));
  expect(row).toContain('erroring');
  expect(row).toContain(`redirected from https to ${plain.url}/`);
  expect(row).toContain('which Go refuses');
  expect(probeRequests(corp).length).toBeGreaterThan(0);
  expect(probeRequests(plain)).toEqual([]);
  expect(job.env.GOPROXY).toBe(healthy.url);
  expectSuccess(await goBuild(job));
});

test('a mirror answering 500 with a 400 MiB body: a few KiB are read, and the job goes on', async () => {
  const huge = await s.mirror({ fault: 'hugeError' });
  const job = s.job();
  const main = await job.runMain({
    mirrors: `${huge.url}\n${healthy.url}`,
    'working-directory': 'app',
    'probe-timeout': '5',
  });
  expectSuccess(main);
  // Each answer stopped once the action had its few KiB: the mirror wrote no more than the
  // sockets' buffers hold, nowhere near the 400 MiB it offered.
  const probes = probeRequests(huge);
  expect(probes.length).toBeGreaterThan(0);
  for (const r of probes) expect(r.bodyBytes ?? 0).toBeLessThan(32 * MiB);
  const row = rowOf(main.summary, huge.url);
  expect(row).toContain('erroring');
  expect(row).toMatch(/HTTP 500: "internal error: x+…"/);
  expect(row.length).toBeLessThan(1024);
  expect(main.summary.length).toBeLessThan(16 * 1024);
  expect(job.env.GOPROXY).toBe(healthy.url);
  expect(main.durationMs).toBeLessThan(30_000);
  expectSuccess(await goBuild(job));
});
