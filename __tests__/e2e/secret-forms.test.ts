// A credential in a mirror URL takes several forms on its way to a log: as the user wrote it,
// re-encoded by the URL serialiser (what GOPROXY carries), decoded (what is sent), and escaped
// by Go's net/url (how Go prints a URL whose user name is the token). Once the runner applies
// the masks the action registered, none of them may show: not in the main step, not in a
// later `go env GOPROXY`, not in Go's own errors about the mirror.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Job } from '../support/runner.js';
import { shownByRunner } from '../support/runner-masks.js';
import { errorsOf, expectSuccess, Scenario } from '../support/scenario.js';

let s: Scenario;

beforeAll(() => {
  s = Scenario.withModules(2);
});

afterAll(() => s?.close());

interface Case {
  name: string;
  /** The userinfo as written in the input. */
  written: string;
  /** What the mirror must receive as Basic auth. */
  user: string;
  password: string;
  /** The form GOPROXY carries. */
  exported: string;
  /** Every form of the secret: none may show. */
  forms: string[];
  /** Where the URL comes from: the `mirrors` input, or a GOPROXY the job set. */
  via?: 'GOPROXY';
}

const CASES: Case[] = [
  {
    name: 'a password with "+" and "="',
    written: 'ci-bot:Hq7+Zt=Ux9',
    user: 'ci-bot',
    password: 'Hq7+Zt=Ux9',
    exported: 'ci-bot:Hq7+Zt%3DUx9',
    forms: ['Hq7+Zt=Ux9', 'Hq7+Zt%3DUx9'],
  },
  {
    name: 'a password with "+" and "=" in the job’s GOPROXY',
    written: 'ci-bot:Jc2+Vd=Ye5',
    user: 'ci-bot',
    password: 'Jc2+Vd=Ye5',
    exported: 'ci-bot:Jc2+Vd%3DYe5',
    forms: ['Jc2+Vd=Ye5', 'Jc2+Vd%3DYe5'],
    via: 'GOPROXY',
  },
  {
    name: 'a password with "!" and ";"',
    written: 'ci-bot:Rk4!Vw8;Jn2',
    user: 'ci-bot',
    password: 'Rk4!Vw8;Jn2',
    exported: 'ci-bot:Rk4!Vw8%3BJn2',
    forms: ['Rk4!Vw8;Jn2', 'Rk4!Vw8%3BJn2', 'Rk4%21Vw8;Jn2'],
  },
  {
    name: 'a password with "%" written as %25',
    written: 'ci-bot:Mb5%25Xc6',
    user: 'ci-bot',
    password: 'Mb5%Xc6',
    exported: 'ci-bot:Mb5%25Xc6',
    forms: ['Mb5%25Xc6', 'Mb5%Xc6'],
  },
  {
    name: 'a password with an escape that decodes (%41 is A)',
    written: 'ci-bot:Pd3%41Lq7',
    user: 'ci-bot',
    password: 'Pd3ALq7',
    exported: 'ci-bot:Pd3%41Lq7',
    forms: ['Pd3%41Lq7', 'Pd3ALq7'],
  },
  {
    name: 'a password with a space, written as %20',
    written: 'ci-bot:Ws2%20Yf5',
    user: 'ci-bot',
    password: 'Ws2 Yf5',
    exported: 'ci-bot:Ws2%20Yf5',
    forms: ['Ws2%20Yf5', 'Ws2 Yf5'],
  },
  {
    name: 'a password with "@", written as %40',
    written: 'ci-bot:Gn8%40Tb1',
    user: 'ci-bot',
    password: 'Gn8@Tb1',
    exported: 'ci-bot:Gn8%40Tb1',
    forms: ['Gn8%40Tb1', 'Gn8@Tb1'],
  },
  {
    name: 'a token as the user name, with "!", "=" and "+"',
    written: 'tKn9!Qe=Zr+4',
    user: 'tKn9!Qe=Zr+4',
    password: '',
    exported: 'tKn9!Qe%3DZr+4',
    forms: ['tKn9!Qe=Zr+4', 'tKn9!Qe%3DZr+4', 'tKn9%21Qe=Zr+4'],
  },
  {
    name: 'a token as the user name, with a space written as %20',
    written: 'tKs7%20Wq5*x',
    user: 'tKs7 Wq5*x',
    password: '',
    exported: 'tKs7%20Wq5*x',
    forms: ['tKs7%20Wq5*x', 'tKs7 Wq5*x', 'tKs7%20Wq5%2Ax'],
  },
];

/** Each text a person can read of the job that still holds one of the forms. */
function leaks(job: Job, forms: readonly string[]): string[] {
  return shownByRunner(job).flatMap(({ where, text }) =>
    forms.filter((f) => text.includes(f)).map((f) => `${where} shows ${JSON.stringify(f)}`),
  );
}

describe('every form of a credential is masked', () => {
  test.each(CASES)('$name', async (c) => {
    const corp = await s.mirror({
      tls: true,
      basicAuth: { user: c.user, password: c.password },
    });
    const url = corp.url.replace('https://', `https://${c.written}@`);
    const exportedUrl = corp.url.replace('https://', `https://${c.exported}@`);
    const trust = { SSL_CERT_FILE: corp.caFile!, NODE_EXTRA_CA_CERTS: corp.caFile! };
    const job = s.job({ env: c.via === 'GOPROXY' ? { ...trust, GOPROXY: url } : trust });
    const main = await job.runMain({
      ...(c.via === 'GOPROXY' ? {} : { mirrors: url }),
      'working-directory': 'app',
      'probe-timeout': '5',
      prefetch: 'false',
    });
    expectSuccess(main);
    expect(job.env.GOPROXY).toBe(exportedUrl);

    // A later step prints GOPROXY as exported...
    const goenv = await job.run('go env GOPROXY', { cwd: 'app' });
    expectSuccess(goenv);
    expect(goenv.stdout).toContain(exportedUrl);
    // ...the credentials work for go...
    const download = await job.run('GOMODCACHE="$RUNNER_TEMP/modcache-ok" go mod download -x', {
      cwd: 'app',
      timeoutMs: 60_000,
    });
    expectSuccess(download);
    const fromGo = corp.requests.filter((r) => r.fromGo);
    expect(fromGo.some((r) => r.auth && r.status === 200)).toBe(true);
    // ...and when the mirror fails, go's errors name it.
    corp.setFault('status502');
    const failing = await job.run(
      'GOPROXY="${GOPROXY%%,*}" GOMODCACHE="$RUNNER_TEMP/modcache-502" go mod download -x',
      { cwd: 'app', timeoutMs: 60_000 },
    );
    expect(failing.exitCode).not.toBe(0);
    expect(failing.stderr).toMatch(new RegExp(`https://[^ ]*@127\\.0\\.0\\.1:${corp.port}/`));

    expect(leaks(job, c.forms)).toEqual([]);
  });
});

describe('credentials no URL parser takes', () => {
  test.each([
    ['mirrors', 'ci-bot:Qz7Kx/Wv3Rt', 'https://***:***@127.0.0.1:9'],
    ['private-mirrors', 'Tm4Hb/Ls8Dp', 'https://***@127.0.0.1:9'],
    ['tool-mirrors', 'ci-bot:Fy6Nc/Kw2Gz', 'https://***:***@127.0.0.1:9'],
  ])(
    'a raw "/" in %s fails the step, naming the input and the masked value',
    async (input, written, display) => {
      const job = s.job();
      const main = await job.runMain({
        [input]: `https://${written}@127.0.0.1:9`,
        'working-directory': 'app',
      });
      expect(main.exitCode).not.toBe(0);
      expect(errorsOf(main)).toContain(`${input}: "${display}" has "/"`);
      const parts = written.replace(/^ci-bot:/, '').split('/');
      expect(leaks(job, [...parts, written])).toEqual([]);
    },
  );
});
