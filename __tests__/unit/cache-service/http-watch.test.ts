import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { watchHttp } from '../../../src/cache-service/http-watch.js';
import { OWN_USER_AGENT } from '../../../src/util/user-agent.js';

let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((_req, res) => {
    res.statusCode = 502;
    res.end('bad gateway');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function get(userAgent: string): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'user-agent': userAgent } }, (res) => {
        res.resume();
        res.on('end', resolve);
      })
      .on('error', reject);
  });
}

describe('watchHttp', () => {
  it("ignores the action's own requests, such as a probe of a failing mirror", async () => {
    const watch = watchHttp();
    try {
      await get(OWN_USER_AGENT);
      expect(watch.failure()).toBeUndefined();
    } finally {
      watch.stop();
    }
  });

  it('takes a 5xx of the cache traffic as a failing service', async () => {
    const watch = watchHttp();
    try {
      await get('actions/cache');
      expect(watch.failure()).toMatch(/GET 127\.0\.0\.1\/x answered HTTP 502/);
    } finally {
      watch.stop();
    }
  });
});
