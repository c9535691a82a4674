// What a server can do to a request of the action: answer with an endless body, or redirect
// somewhere no client should go. Every request ends with an observation, read only up to its
// cap, and never with an exception.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ERROR_BODY_BYTES, observe } from '../../../src/proxy/fetch.js';
import {
  closedByClient,
  endless,
  forget,
  redirect,
  routes,
  seen,
  startHostileServers,
  type HostileServers,
} from '../../support/hostile-server.js';

const MiB = 1024 * 1024;
const BODY = Buffer.alloc(200_000, 7);

let servers: HostileServers;
let base: string;
let secureBase: string;

beforeAll(async () => {
  servers = await startHostileServers();
  ({ base, secureBase } = servers);
});

afterEach(forget);

afterAll(() => servers.close());

describe('byte caps', () => {
  it('reads an error body only up to a few KiB, then closes the request', async () => {
    routes.set('/huge-500', endless(500));
    const o = await observe(`${base}/huge-500`, { timeoutMs: 10_000, maxBytes: 64 * MiB });
    expect(o).toMatchObject({ kind: 'response', status: 500, complete: false });
    if (o.kind !== 'response') throw new Error('unreachable');
    expect(o.body.length).toBe(ERROR_BODY_BYTES);
    // An error body is no answer too big: it was only cut short.
    expect(o.overCap).toBeUndefined();
    await closedByClient();
    // What the server got rid of: the socket buffers' worth, not the endless body.
    expect(seen[0].written).toBeLessThan(32 * MiB);
  });

  it('stops a 2xx body at its cap and says so, with the bytes seen', async () => {
    routes.set('/huge-200', endless(200));
    const o = await observe(`${base}/huge-200`, { timeoutMs: 10_000, maxBytes: MiB });
    expect(o).toMatchObject({ kind: 'response', status: 200, complete: false });
    if (o.kind !== 'response') throw new Error('unreachable');
    expect(o.body.length).toBe(MiB);
    expect(o.overCap?.maxBytes).toBe(MiB);
    expect(o.overCap?.seenBytes).toBeGreaterThan(MiB);
    await closedByClient();
    expect(seen[0].written).toBeLessThan(32 * MiB);
  });

  it('reads a local file only up to its cap', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fetch-cap-'));
    try {
      const file = path.join(dir, 'big.zip');
      fs.writeFileSync(file, Buffer.alloc(3000, 1));
      const url = pathToFileURL(file).href;
      const capped = await observe(url, { timeoutMs: 1000, maxBytes: 1000 });
      expect(capped).toMatchObject({
        kind: 'response',
        status: 200,
        complete: false,
        overCap: { maxBytes: 1000, seenBytes: 3000 },
      });
      if (capped.kind === 'response') expect(capped.body.length).toBe(1000);
      expect(await observe(url, { timeoutMs: 1000, maxBytes: 3000 })).toMatchObject({
        complete: true,
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('redirects', () => {
  it.each([
    [
      'another scheme',
      'ftp://ci:Hunter2pw@files.example/x.zip',
      /redirected to ftp:\/\/\*\*\*:\*\*\*@files\.example\/x\.zip, which is not http or https/,
    ],
    ['no URL at all', 'http://[::1', /redirected to "http:\/\/\[::1", which is not a URL/],
  ])('to %s: a verdict, never an exception', async (_what, location, message) => {
    for (const status of [301, 302, 307, 308]) {
      routes.set(`/to-${status}`, redirect(location, status));
      const o = await observe(`${base}/to-${status}`, { timeoutMs: 5000, maxBytes: MiB });
      expect(o).toMatchObject({ kind: 'error', code: 'redirect' });
      if (o.kind === 'error') {
        expect(o.message).toMatch(message);
        expect(o.message).not.toContain('Hunter2pw');
      }
    }
  });

  it('from https down to http: refused as Go refuses it, so the credentials never go there', async () => {
    routes.set('/down', redirect(`${base}/landing`));
    const o = await observe(`${secureBase}/down`, {
      timeoutMs: 5000,
      maxBytes: MiB,
      authorization: 'Basic Y2k6c2VjcmV0',
    });
    expect(o).toMatchObject({ kind: 'error', code: 'redirect' });
    if (o.kind === 'error') expect(o.message).toMatch(/redirected from https to http:\/\/127/);
    expect(seen.map((r) => r.path)).toEqual(['/down']);
  });

  it('to another origin: followed, without the credentials', async () => {
    routes.set('/away', redirect(`${base.replace('127.0.0.1', 'localhost')}/landing`));
    routes.set('/home', redirect('/landing'));
    const auth = { timeoutMs: 5000, maxBytes: MiB, authorization: 'Basic Y2k6c2VjcmV0' };
    expect(await observe(`${base}/away`, auth)).toMatchObject({ kind: 'response', status: 200 });
    expect(await observe(`${base}/home`, auth)).toMatchObject({ kind: 'response', status: 200 });
    expect(seen.map((r) => [r.path, r.authorization])).toEqual([
      ['/away', auth.authorization],
      ['/landing', undefined],
      ['/home', auth.authorization],
      ['/landing', auth.authorization],
    ]);
  });

  it('in a loop: given up after 10', async () => {
    routes.set('/loop', redirect('/loop'));
    const o = await observe(`${base}/loop`, { timeoutMs: 5000, maxBytes: MiB });
    expect(o).toMatchObject({ kind: 'error', code: 'redirect', message: 'more than 10 redirects' });
    expect(seen).toHaveLength(11);
  });
});

describe('observe with a streaming sink', () => {
  beforeEach(() => {
    routes.set('/whole', (_req, res) => {
      res.setHeader('content-length', String(BODY.length));
      // Everything at once: the response ends while the sink is still writing the first chunk.
      res.end(BODY);
    });
  });

  it('settles only after the slow sink has taken every byte', async () => {
    let taken = 0;
    const o = await observe(`${base}/whole`, {
      timeoutMs: 10_000,
      onChunk: (chunk) =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            taken += chunk.length;
            resolve();
          }, 30),
        ),
    });
    expect(o).toMatchObject({ kind: 'response', status: 200, complete: true });
    expect(taken).toBe(BODY.length);
  });

  it('reports a sink that cannot write as an error, not a complete response', async () => {
    const o = await observe(`${base}/whole`, {
      timeoutMs: 10_000,
      onChunk: () => Promise.reject(new Error('ENOSPC: no space left on device')),
    });
    expect(o).toMatchObject({ kind: 'error', message: expect.stringContaining('ENOSPC') });
  });
});
