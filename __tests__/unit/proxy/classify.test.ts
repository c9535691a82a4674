import { describe, expect, it } from '@jest/globals';
import {
  classifyMirror,
  isTreeHead,
  type MirrorObservations,
} from '../../../src/proxy/classify.js';
import type { Observation } from '../../../src/proxy/fetch.js';
import { hashGoMod, hashZip } from '../../../src/gomod/dirhash.js';
import { writeZip } from '../../support/zipwriter.js';

const goMod = 'module example.com/dep\n\ngo 1.21\n';
const zip = writeZip([
  { name: 'example.com/dep@v1.0.0/go.mod', data: goMod },
  { name: 'example.com/dep@v1.0.0/dep.go', data: 'package dep\n' },
]);
const target = {
  module: 'example.com/dep',
  version: 'v1.0.0',
  zipHash: hashZip(zip),
  modHash: hashGoMod(goMod),
};
const TREE_HEAD = 'go.sum database tree\n42\nAbCd+/=\n\n— sum.golang.org Az3grnmrxa\n';

function ok(
  body: string | Buffer,
  extra: Partial<Extract<Observation, { kind: 'response' }>> = {},
): Observation {
  const b = Buffer.from(body);
  return {
    kind: 'response',
    status: 200,
    contentType: '',
    body: b,
    complete: true,
    headersMs: 5,
    totalMs: 8,
    lastByteMs: 8,
    ...extra,
  };
}
function status(code: number): Observation {
  return ok('', { status: code });
}
function fail(code: 'refused' | 'dns' | 'timeout' | 'reset'): Observation {
  return { kind: 'error', code, message: code, elapsedMs: 3 };
}

function mirrorWith(parts: {
  info?: Observation;
  mod?: Observation;
  zip?: Observation;
  supported?: Observation;
  latest?: Observation;
}): MirrorObservations {
  return {
    targets: [
      {
        target,
        info: parts.info ?? ok('{"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}'),
        mod: parts.mod ?? ok(goMod),
        zip: parts.zip ?? ok(zip),
      },
    ],
    supported: parts.supported ?? status(404),
    latest: parts.latest,
  };
}

describe('classifyMirror', () => {
  const cases: [string, Parameters<typeof mirrorWith>[0], string, RegExp][] = [
    ['a good mirror', {}, 'healthy', /^$/],
    [
      '404 on the probe module',
      { info: status(404), mod: status(404), zip: status(404) },
      'not-found',
      /HTTP 404/,
    ],
    ['410 on the probe module', { info: status(410) }, 'not-found', /HTTP 410/],
    ['502', { info: status(502) }, 'erroring', /\.info: HTTP 502/],
    ['403', { info: status(403) }, 'erroring', /credentials/],
    ['refused', { info: fail('refused') }, 'refused', /connection refused/],
    ['DNS failure', { info: fail('dns') }, 'dns', /did not resolve/],
    ['no answer', { info: fail('timeout') }, 'timeout', /no answer within 5s/],
    ['reset', { info: fail('reset') }, 'erroring', /reset/],
    [
      'headers then a stalled body',
      { zip: ok(zip.subarray(0, 10), { complete: false, lastByteMs: 10, totalMs: 5000 }) },
      'stalled',
      /body stalled after 10 bytes/,
    ],
    [
      'HTML 200 (captive portal)',
      { info: ok('<html>Sign in</html>', { contentType: 'text/html' }) },
      'wrong-content',
      /not JSON .*captive portal/,
    ],
    [
      'wrong version',
      { info: ok('{"Version":"v9.9.9"}') },
      'wrong-content',
      /names version "v9.9.9"/,
    ],
    [
      'a go.mod that go.sum does not pin',
      { mod: ok('module evil\n') },
      'wrong-content',
      /\.mod hashes to h1:/,
    ],
    [
      'a corrupt zip',
      { zip: ok(Buffer.from('PK\x03\x04garbage')) },
      'wrong-content',
      /\.zip is corrupt/,
    ],
    [
      'a valid zip with other content',
      {
        zip: ok(
          writeZip([
            { name: 'example.com/dep@v1.0.0/go.mod', data: goMod },
            { name: 'example.com/dep@v1.0.0/dep.go', data: 'package dep // changed\n' },
          ]),
        ),
      },
      'wrong-content',
      /\.zip hashes to h1:.*go\.sum has h1:/,
    ],
    [
      'a redirect no client follows',
      {
        info: {
          kind: 'error',
          code: 'redirect',
          message: 'redirected to ftp://***@files.example/x, which is not http or https',
          elapsedMs: 3,
        },
      },
      'erroring',
      /\.info: redirected to ftp:\/\/\*\*\*@files\.example\/x, which is not http or https/,
    ],
    [
      'a 500 that says why, quoted short',
      { info: ok(`upstream timed out ${'x'.repeat(4000)}\nmore`, { status: 500 }) },
      'erroring',
      /^example\.com\/dep@v1\.0\.0 \.info: HTTP 500: "upstream timed out x{141}…"$/,
    ],
    [
      'an .info over its cap',
      {
        info: ok('{"Version":"v1.0.0"', {
          complete: false,
          overCap: { maxBytes: 1024 * 1024, seenBytes: 1_114_112 },
        }),
      },
      'wrong-content',
      /\.info: larger than the 1\.0 MiB cap \(1114112 bytes seen/,
    ],
    [
      'a .zip over its cap, still arriving: measured, not verified',
      {
        zip: ok(zip.subarray(0, 10), { complete: false, overCap: { maxBytes: 10, seenBytes: 11 } }),
      },
      'healthy',
      /^$/,
    ],
    ['502 on /sumdb/', { supported: status(502) }, 'sumdb-broken', /Go pins the first mirror/],
    [
      'sumdb supported but /latest broken',
      { supported: ok(''), latest: status(500) },
      'sumdb-broken',
      /latest: HTTP 500/,
    ],
    [
      'sumdb supported but /latest is not a tree head',
      { supported: ok(''), latest: ok('<html>') },
      'sumdb-broken',
      /not a signed tree head/,
    ],
  ];
  it.each(cases)('%s', (_name, parts, verdict, reason) => {
    const h = classifyMirror(mirrorWith(parts), 5000);
    expect(h.verdict).toBe(verdict);
    expect(h.reason).toMatch(reason);
  });

  it('reports latency, throughput and sumdb proxying for a healthy mirror', () => {
    const h = classifyMirror(mirrorWith({ supported: ok(''), latest: ok(TREE_HEAD) }), 5000);
    expect(h).toMatchObject({ verdict: 'healthy', latencyMs: 5, proxiesSumdb: true, scoreMs: 8 });
    expect(h.throughputBps).toBeGreaterThan(0);
  });

  it('accepts a large zip still flowing at the deadline, scored as slow as the timeout', () => {
    const h = classifyMirror(
      mirrorWith({
        zip: ok(zip.subarray(0, 10), { complete: false, lastByteMs: 4900, totalMs: 5000 }),
      }),
      5000,
    );
    expect(h.verdict).toBe('healthy');
    expect(h.scoreMs).toBe(5000);
  });

  it('prefers a real failure over a 404 when several targets are probed', () => {
    const obs = mirrorWith({ info: status(404) });
    obs.targets.push({ target, info: status(502) });
    expect(classifyMirror(obs, 5000).verdict).toBe('erroring');
  });

  it('marks a mirror unprobed when the project has no dependencies', () => {
    expect(classifyMirror({ targets: [], supported: status(404) }, 5000).verdict).toBe('unprobed');
  });
});

describe('isTreeHead', () => {
  it('accepts a signed note and rejects other text', () => {
    expect(isTreeHead(TREE_HEAD)).toBe(true);
    expect(isTreeHead('<html></html>')).toBe(false);
    expect(isTreeHead('go.sum database tree\nabc\n')).toBe(false);
  });
});
