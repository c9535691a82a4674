// What a server can do to a request of the action: answer with an endless body, or redirect
// somewhere no client should go. Every request ends with an observation, read only up to its
// cap, and never with an exception.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ERROR_BODY_BYTES, observe } from '../../../src/proxy/fetch.js';
import { redirectTarget } from '../../../src/proxy/redirect.js';
import { ArchiveDownloadError, downloadVerified } from '../../../src/tools/download.js';
import { selfSignedCert } from '../../support/tls-cert.js';

const CHUNK = Buffer.alloc(64 * 1024, 'x');
const MiB = 1024 * 1024;

/** One request as the server saw it. */
interface Seen {
  path: string;
  authorization?: string;
  /** Body bytes the server managed to hand to the socket. */
  written: number;
  /** The client went away (closed the connection). */
  closed: boolean;
}

let seen: Seen[] = [];
type Route = (req: http.IncomingMessage, res: http.ServerResponse, rec: Seen) => void;
const routes = new Map<string, Route>();

/** Writes `CHUNK`s for as long as the client reads, forever: only the client can end it. */
function endless(status: number): Route {
  return (_req, res, rec) => {
    res.writeHead(status, { 'content-type': 'text/plain' });
    const pump = (): void => {
      while (!res.destroyed) {
        rec.written += CHUNK.length;
        if (!res.write(CHUNK)) return void res.once('drain', pump);
      }
    };
    pump();
  };
}

function redirect(location: string, status = 302): Route {
  return (_req, res) => {
    res.writeHead(status, { location });
    res.end();
  };
}

function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  const rec: Seen = {
    path: req.url ?? '',
    authorization: req.headers.authorization,
    written: 0,
    closed: false,
  };
  seen.push(rec);
  res.on('close', () => (rec.closed = true));
  const route = routes.get(rec.path);
  if (route) return route(req, res, rec);
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok\n');
}

let plain: http.Server;
let secure: https.Server;
let base: string;
let secureBase: string;
const listen = async (server: http.Server | https.Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

beforeAll(async () => {
  const cert = selfSignedCert();
  plain = http.createServer(handler);
  secure = https.createServer({ key: cert.key, cert: cert.cert }, handler);
  base = `http://127.0.0.1:${await listen(plain)}`;
  secureBase = `https://127.0.0.1:${await listen(secure)}`;
  // Requests without a proxy go through the global agent: it trusts the test certificate.
  https.globalAgent.options.ca = [cert.cert];
});

afterEach(() => {
  seen = [];
  routes.clear();
});

afterAll(async () => {
  delete https.globalAgent.options.ca;
  for (const server of [plain, secure]) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** Waits until the server has seen the client close each request. */
async function closedByClient(): Promise<void> {
  for (let i = 0; i < 100 && seen.some((r) => !r.closed); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(seen.map((r) => r.closed)).toEqual(seen.map(() => true));
}

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

describe('redirectTarget', () => {
  const from = new URL('https://mirror.example/goproxy/x.info');
  it.each([
    ['/other/y.info', 'https://mirror.example/other/y.info'],
    ['z.info', 'https://mirror.example/goproxy/z.info'],
    ['https://cdn.example/blob', 'https://cdn.example/blob'],
  ])('follows %s to %s', (location, href) => {
    expect(redirectTarget(location, from, from)).toEqual({ url: new URL(href) });
  });

  it.each([
    ['file:///etc/passwd', 'redirected to file:///etc/passwd, which is not http or https'],
    [
      'http://mirror.example/x',
      'redirected from https to http://mirror.example/x, which Go refuses',
    ],
    ['https://u:pw@[bad', 'redirected to "https://***:***@[bad", which is not a URL'],
  ])('refuses %s', (location, problem) => {
    expect(redirectTarget(location, from, from)).toEqual({ problem });
  });

  it('lets an http mirror redirect to http, and up to https', () => {
    const http1 = new URL('http://mirror.example/x');
    expect(redirectTarget('http://other.example/y', http1, http1)).toHaveProperty('url');
    expect(redirectTarget('https://other.example/y', http1, http1)).toHaveProperty('url');
  });
});

describe('the tool download', () => {
  const policy = { attempts: 3, backoffMs: 1, timeoutMs: 10_000, idleMs: 5000, maxBytes: MiB };
  const failureOf = async (url: string): Promise<string> => {
    const log: string[] = [];
    const err = await downloadVerified(
      'golangci-lint.tar.gz',
      [{ url, display: url }],
      'a'.repeat(64),
      (line) => log.push(line),
      policy,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveDownloadError);
    // Neither answer changes on a retry.
    expect(log).toHaveLength(1);
    return (err as ArchiveDownloadError).failures[0].reason;
  };

  it('names the cap and the bytes seen for an archive over it, and does not retry', async () => {
    routes.set('/endless.tar.gz', endless(200));
    expect(await failureOf(`${base}/endless.tar.gz`)).toMatch(
      /^larger than the 1\.0 MiB cap \(\d+ bytes seen before the request was closed\)$/,
    );
    await closedByClient();
  });

  it('names where a redirect to another scheme led, and does not retry', async () => {
    routes.set('/moved.tar.gz', redirect('ftp://files.example/golangci-lint.tar.gz'));
    expect(await failureOf(`${base}/moved.tar.gz`)).toBe(
      'redirect: redirected to ftp://files.example/golangci-lint.tar.gz, which is not http or https',
    );
  });
});
