// Private module paths must never reach a public mirror, and credentials in mirror URLs must
// never appear in clear in logs, the summary or outputs.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Mirror } from '../support/goproxy-server.js';
import {
  privateModuleScenario,
  privateRequests,
  PRIVATE_MODULE,
} from '../support/private-project.js';
import { errorsOf, expectSuccess, goBuild, Scenario } from '../support/scenario.js';

const PRIVATE = PRIVATE_MODULE;
let s: Scenario;
let publicMirror: Mirror;

beforeAll(async () => {
  s = privateModuleScenario();
  // The public mirror's tree holds the private module too, so a leak would not even fail.
  publicMirror = await s.mirror();
});

afterAll(() => s?.close());

describe('private modules', () => {
  const inputs = (privateMirror: Mirror) => ({
    'private-mirrors': privateMirror.url,
    mirrors: publicMirror.url,
    private: 'corp.example/*',
    'working-directory': 'app',
    'probe-timeout': '2',
  });

  test('a healthy private mirror serves them, and the public mirror never sees their paths', async () => {
    const before = privateRequests(publicMirror).length;
    const corp = await s.mirror();
    const job = s.job();
    const main = await job.runMain(inputs(corp));
    expectSuccess(main);
    expect(job.env.GOPROXY).toBe(`${corp.url},${publicMirror.url}`);
    expect(job.env.GONOPROXY).toBe('none');
    expect(job.env.GOPRIVATE).toBe('corp.example/*');
    expectSuccess(await goBuild(job));
    expect(privateRequests(corp).length).toBeGreaterThan(0);
    expect(privateRequests(publicMirror).length).toBe(before);
  });

  test.each([
    ['erroring (502)', 'status502'],
    ['dead (refused)', 'refused'],
    ['answering 404 for private paths', 'notfound'],
  ] as const)('a private mirror %s: the public mirror still never sees them', async (_n, fault) => {
    const before = privateRequests(publicMirror).length;
    const corp = await s.mirror({
      fault,
      faultWhen: fault === 'notfound' ? (path) => path.includes('corp.example') : undefined,
    });
    const job = s.job();
    const main = await job.runMain(inputs(corp));
    // The private module cannot be had from anywhere allowed: the step fails, clearly.
    expect(main.exitCode).not.toBe(0);
    expect(errorsOf(main)).toContain(PRIVATE);
    // A later step that tries anyway does not leak either.
    await job.run('go mod download', { cwd: 'app', timeoutMs: 60_000 });
    expect(privateRequests(publicMirror).length).toBe(before);
  });
});

describe('credentials in mirror URLs', () => {
  const USER = 'ci-bot';
  const PASSWORD = 'sUp3r-s3cret-t0ken';

  test('are sent to the mirror, used by go, and never shown in clear', async () => {
    const corp = await s.mirror({ tls: true, basicAuth: { user: USER, password: PASSWORD } });
    const job = s.job({ env: { SSL_CERT_FILE: corp.caFile!, NODE_EXTRA_CA_CERTS: corp.caFile! } });
    const main = await job.runMain({
      mirrors: `${corp.authUrl}\n${publicMirror.url}`,
      'working-directory': 'app',
      'probe-timeout': '2',
      prefetch: 'false',
    });
    expectSuccess(main);
    // Go needs the credentials, so GITHUB_ENV carries them…
    expect(job.env.GOPROXY).toBe(`${corp.authUrl}|${publicMirror.url}`);
    // …but what people see has them masked.
    const maskedUrl = corp.authUrl.replace(`${USER}:${PASSWORD}@`, '***:***@');
    expect(main.outputs.goproxy).toBe(`${maskedUrl}|${publicMirror.url}`);
    expect(main.outputs['healthy-mirrors']).toContain(maskedUrl);
    expect(main.summary).toContain(maskedUrl);
    const visible = main.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    for (const text of [visible, main.stderr, main.summary, JSON.stringify(main.outputs)]) {
      expect(text).not.toContain(PASSWORD);
    }
    // The runner was told to mask the secret before anything else was printed.
    const firstLine = main.stdout.split('\n')[0];
    expect(firstLine.startsWith('::add-mask::')).toBe(true);
    expect(main.commands.filter((c) => c.command === 'add-mask').map((c) => c.message)).toContain(
      PASSWORD,
    );

    // The probe authenticated, and so does go in the later step.
    const probeAuth = corp.requests.filter((r) => r.userAgent === 'go-resilient-setup');
    expect(probeAuth.length).toBeGreaterThan(0);
    expect(probeAuth.every((r) => r.auth)).toBe(true);
    expectSuccess(await goBuild(job));
    const goRequests = corp.requests.filter((r) => r.fromGo);
    expect(goRequests.some((r) => r.auth && r.status === 200)).toBe(true);
  });

  // Go 1.24 added GOAUTH, whose default reads .netrc. Credentials in the URL are still what Go
  // sends for that mirror, in the action's own download and in later steps, on every Go.
  test.each(['netrc', 'off'])(
    "with GOAUTH=%s in the job, go uses them for the action's download and the build",
    async (goauth) => {
      const corp = await s.mirror({ tls: true, basicAuth: { user: USER, password: PASSWORD } });
      const job = s.job({
        env: { SSL_CERT_FILE: corp.caFile!, NODE_EXTRA_CA_CERTS: corp.caFile!, GOAUTH: goauth },
      });
      const main = await job.runMain({
        mirrors: corp.authUrl,
        'working-directory': 'app',
        'probe-timeout': '2',
      });
      expectSuccess(main);
      expect(main.summary).toMatch(/### Prefetch[\s\S]*\| 1 \|[^\n]*\| ok \|/);
      const prefetched = corp.requests.filter((r) => r.fromGo);
      expect(prefetched.some((r) => r.path.endsWith('.zip') && r.status === 200)).toBe(true);
      expectSuccess(await goBuild(job));
      const goRequests = corp.requests.filter((r) => r.fromGo);
      expect(goRequests.length).toBeGreaterThan(0);
      expect(goRequests.every((r) => r.auth && r.status === 200)).toBe(true);
    },
  );

  test('stay masked in the error when every mirror is rejected', async () => {
    const corp = await s.mirror({ tls: true, basicAuth: { user: USER, password: 'wrong' } });
    const job = s.job({ env: { SSL_CERT_FILE: corp.caFile!, NODE_EXTRA_CA_CERTS: corp.caFile! } });
    const authUrl = corp.authUrl.replace(':wrong@', `:${PASSWORD}@`);
    const main = await job.runMain({ mirrors: authUrl, 'working-directory': 'app' });
    expect(main.exitCode).not.toBe(0);
    expect(errorsOf(main)).toContain('HTTP 401 (check the credentials)');
    const visible = main.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    expect(visible).not.toContain(PASSWORD);
    expect(main.summary).toContain('***:***@');
    expect(main.summary).not.toContain(PASSWORD);
  });
});
