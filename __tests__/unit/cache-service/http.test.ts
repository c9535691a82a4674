// The cache client's own watchdog, against a loopback server that trickles, stalls, floods
// and fails.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { callService, openDownload, ServiceFailure } from '../../../src/cache-service/http.js';

type Handler = (res: http.ServerResponse) => void;
const handlers = new Map<string, Handler>();
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => handlers.get(req.url ?? '')?.(res));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Sends `chunks` pieces of `size` bytes, `gapMs` apart, then ends (or hangs with `hang`). */
function trickle(chunks: number, size: number, gapMs: number, hang = false): Handler {
  return (res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    let sent = 0;
    const next = () => {
      if (res.destroyed) return;
      if (sent === chunks) return void (hang || res.end());
      sent++;
      res.write(Buffer.alloc(size, 1));
      setTimeout(next, gapMs);
    };
    next();
  };
}

async function readAll(
  path: string,
  opts = { stallMs: 400, budgetMs: 10_000, maxBytes: 1 << 30 },
  pauseMs = 0,
): Promise<number> {
  const { body } = await openDownload(new URL(path, base), opts);
  let bytes = 0;
  for await (const chunk of body) {
    bytes += (chunk as Buffer).length;
    if (pauseMs) await sleep(pauseMs);
  }
  return bytes;
}

describe('openDownload', () => {
  it('keeps a download that takes longer than the stall limit while bytes keep coming', async () => {
    handlers.set('/trickle', trickle(12, 1000, 100));
    expect(await readAll('/trickle')).toBe(12_000);
  });

  it('abandons a body that stops, as a failing service', async () => {
    handlers.set('/stall', trickle(1, 1000, 50, true));
    const started = Date.now();
    const err = await readAll('/stall').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceFailure);
    expect((err as Error).message).toMatch(/sent nothing for 0s \(GET 127\.0\.0\.1:\d+\/stall\)/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('does not call a reader that is busy writing a stall', async () => {
    handlers.set('/flood', trickle(64, 64 * 1024, 0));
    // The reader takes a second per chunk for the first ones; the server has long sent all.
    let slow = 3;
    const { body } = await openDownload(new URL('/flood', base), {
      stallMs: 400,
      budgetMs: 20_000,
      maxBytes: 1 << 30,
    });
    let bytes = 0;
    for await (const chunk of body) {
      bytes += (chunk as Buffer).length;
      if (slow-- > 0) await sleep(600);
    }
    expect(bytes).toBe(64 * 64 * 1024);
  });

  it('stops reading past its byte cap', async () => {
    handlers.set('/big', trickle(100, 64 * 1024, 5, true));
    await expect(
      readAll('/big', { stallMs: 5_000, budgetMs: 10_000, maxBytes: 256 * 1024 }),
    ).rejects.toThrow(/more than 262144 bytes; abandoned/);
  });

  it('tells a failing service (5xx, 429) from an entry that is not there', async () => {
    handlers.set('/500', (res) => res.writeHead(500).end('no'));
    handlers.set('/404', (res) => res.writeHead(404).end('no'));
    const failing = await readAll('/500').catch((e: unknown) => e);
    expect(failing).toBeInstanceOf(ServiceFailure);
    const missing = await readAll('/404').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Error);
    expect(missing).not.toBeInstanceOf(ServiceFailure);
    expect((missing as Error).message).toMatch(/answered HTTP 404/);
  });
});

describe('callService', () => {
  it('reads at most 64 KiB of an answer', async () => {
    handlers.set('/long', (res) => res.writeHead(200).end(Buffer.alloc(1024 * 1024, 97)));
    const res = await callService('GET', new URL('/long', base), { headers: {}, timeoutMs: 5_000 });
    expect(res.status).toBe(200);
    expect(res.body.length).toBeLessThanOrEqual(64 * 1024);
  });

  it('fails, as a failing service, on a 5xx and on no answer in time', async () => {
    handlers.set('/503', (res) => res.writeHead(503).end('busy'));
    handlers.set('/hang', () => undefined);
    await expect(
      callService('POST', new URL('/503', base), { headers: {}, timeoutMs: 5_000 }),
    ).rejects.toThrow(ServiceFailure);
    await expect(
      callService('GET', new URL('/hang', base), { headers: {}, timeoutMs: 300 }),
    ).rejects.toThrow(/no answer within 0s/);
  });
});
