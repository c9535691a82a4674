import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { downloadBundle } from '../../../src/bundle/download-bundle.js';
import { startBodyServer, type BodyServer } from '../../support/body-server.js';

const BODY = Buffer.alloc(200_000, 7);
const MiB = 1024 ** 2;
const HUGE = 256 * MiB;
let server: http.Server;
let base: string;
let huge: BodyServer;
let redirects = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    res.setHeader('content-length', String(BODY.length));
    // Everything at once: the response ends while the sink is still writing the first chunk.
    if (req.url === '/whole') return res.end(BODY);
    if (req.url === '/to-ftp') {
      redirects++;
      res.writeHead(302, { location: 'ftp://files.corp.example/bundle.tar.zst' });
      return res.end();
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  huge = await startBodyServer({
    '/huge-length': { zeros: HUGE, contentLength: true },
    '/huge-chunked': { zeros: HUGE, contentLength: false },
  });
});

afterAll(async () => {
  await huge.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('downloadBundle', () => {
  it('leaves the whole file, byte for byte, when the server sends it in one piece', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-dl-'));
    try {
      const file = path.join(dir, 'bundle');
      const url = `${base}/whole`;
      const got = await downloadBundle(
        { url, display: url, requestUrl: url, private: false },
        file,
        { bytes: BODY.length, setting: 'offline-bundle-max-size' },
        () => {},
      );
      expect(got.bytes).toBe(BODY.length);
      expect(fs.readFileSync(file).equals(BODY)).toBe(true);
      expect(fs.existsSync(`${file}.partial`)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['/huge-length', `its Content-Length is ${HUGE} bytes`],
    ['/huge-chunked', `more than ${MiB} bytes arrived`],
  ])(
    'stops %s at the cap, at once and for good, naming the URL, the cap and the input',
    async (route, why) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-dl-'));
      try {
        const file = path.join(dir, 'bundle');
        const url = `${huge.url}${route}`;
        const display = `${huge.url.replace('//', '//***@')}${route}`;
        const err = await downloadBundle(
          { url, display, requestUrl: url, private: false },
          file,
          { bytes: MiB, setting: 'offline-bundle-max-size' },
          () => {},
        ).catch((e: unknown) => e as Error);
        expect(err).toBeInstanceOf(Error);
        expect((err as Error).message).toBe(
          `offline-bundle: could not download ${display}: ${why}, over the cap of 1 MiB; raise offline-bundle-max-size if the bundle is meant to be this large; nothing from it was used`,
        );
        expect(fs.readdirSync(dir)).toEqual([]);
        // No retry, and the server was left long before the end: sockets buffer a few MiB.
        expect(huge.requests.filter((r) => r.path === route)).toHaveLength(1);
        expect(await huge.sent(route)).toBeLessThan(HUGE / 8);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('fails at once on a redirect it cannot follow: no retry asks again', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-dl-'));
    try {
      const url = `${base}/to-ftp`;
      const err = await downloadBundle(
        { url, display: url, requestUrl: url, private: false },
        path.join(dir, 'bundle'),
        { bytes: MiB, setting: 'offline-bundle-max-size' },
        () => {},
        { attempts: 3, backoffMs: 10, timeoutMs: 5_000, idleMs: 5_000 },
      ).catch((e: unknown) => e as Error);
      expect((err as Error).message).toMatch(/attempt 1: redirect: .*ftp:\/\/files\.corp\.example/);
      expect(redirects).toBe(1);
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
