import { describe, expect, it } from '@jest/globals';
import { describeOverCap, describeStatus } from '../../../src/proxy/answer.js';
import type { ResponseObservation } from '../../../src/proxy/fetch.js';

const answer = (status: number, body: string, contentType = 'text/plain'): ResponseObservation => ({
  kind: 'response',
  status,
  contentType,
  body: Buffer.from(body),
  complete: true,
  headersMs: 1,
  totalMs: 2,
  lastByteMs: 2,
});

describe('describeStatus', () => {
  it('quotes the first non-blank line of what the server said', () => {
    expect(describeStatus(answer(502, '\n  upstream timed out \nmore\n'))).toBe(
      'HTTP 502: "upstream timed out"',
    );
  });

  it('leaves out an HTML page, and a body that starts as markup', () => {
    expect(describeStatus(answer(403, 'Forbidden', 'text/html; charset=utf-8'))).toBe('HTTP 403');
    expect(describeStatus(answer(403, '<?xml version="1.0"?><Error/>'))).toBe('HTTP 403');
    expect(describeStatus(answer(404, ''))).toBe('HTTP 404');
  });

  it('keeps the quote on one line and short', () => {
    expect(describeStatus(answer(500, 'a\tb\u0007c'))).toBe('HTTP 500: "a b c"');
    const long = describeStatus(answer(500, 'x'.repeat(500)));
    expect(long).toBe(`HTTP 500: "${'x'.repeat(160)}…"`);
  });
});

describe('describeOverCap', () => {
  it('names the cap as a person reads it and the bytes seen', () => {
    expect(describeOverCap({ maxBytes: 1024 * 1024, seenBytes: 1_100_000 })).toBe(
      'larger than the 1.0 MiB cap (1100000 bytes seen before the request was closed)',
    );
  });
});
