// Finding an entry as @actions/cache finds it: the version it computes, the protocol it picks,
// and what each answer of the service means.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServiceFailure } from '../../../src/cache-service/http.js';
import { lookupEntry, type LookupRequest } from '../../../src/cache-service/lookup.js';
import { cacheProtocol, cacheVersion } from '../../../src/cache-service/protocol.js';

describe('cacheVersion and cacheProtocol', () => {
  it("hash the paths, the compression, Windows' marker and the toolkit's salt", () => {
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    const paths = ['~/go/pkg/mod/cache/download'];
    expect(cacheVersion(paths, 'zstd-without-long', 'linux')).toBe(
      sha('~/go/pkg/mod/cache/download|zstd-without-long|1.0'),
    );
    expect(cacheVersion(paths, 'gzip', 'win32')).toBe(
      sha('~/go/pkg/mod/cache/download|gzip|windows-only|1.0'),
    );
  });

  it('take v1 on GHES whatever the runner says, v2 on github.com when the runner says so', () => {
    expect(cacheProtocol({ ACTIONS_CACHE_SERVICE_V2: 'True' })).toBe('v2');
    expect(cacheProtocol({})).toBe('v1');
    expect(
      cacheProtocol({ ACTIONS_CACHE_SERVICE_V2: 'True', GITHUB_SERVER_URL: 'https://ghe.corp' }),
    ).toBe('v1');
    expect(
      cacheProtocol({ ACTIONS_CACHE_SERVICE_V2: '1', GITHUB_SERVER_URL: 'https://x.ghe.com' }),
    ).toBe('v2');
  });
});

describe('lookupEntry', () => {
  let answer: (req: http.IncomingMessage, body: string) => [number, string];
  const seen: { method?: string; url?: string; auth?: string; body?: string }[] = [];
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
        const [status, text] = answer(req, body);
        res.writeHead(status, { 'content-type': 'application/json' }).end(text);
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(() => new Promise((done) => server.close(done)));

  const request = (protocol: 'v1' | 'v2'): LookupRequest => ({
    protocol,
    baseUrl: base,
    token: 'tok',
    keys: ['go-mod-Linux-x64-abc', 'go-mod-Linux-x64-'],
    version: 'v123',
    timeoutMs: 2_000,
  });

  it('asks v2 over Twirp with the keys and version, and reads a hit', async () => {
    answer = () => [
      200,
      JSON.stringify({
        ok: true,
        matched_key: 'go-mod-Linux-x64-old',
        signed_download_url: 'https://blob/x?sig=s',
      }),
    ];
    const found = await lookupEntry(request('v2'));
    expect(found).toEqual({
      found: { key: 'go-mod-Linux-x64-old', archiveUrl: new URL('https://blob/x?sig=s') },
    });
    const last = seen[seen.length - 1];
    expect(last.url).toBe(
      '/twirp/github.actions.results.api.v1.CacheService/GetCacheEntryDownloadURL',
    );
    expect(last.auth).toBe('Bearer tok');
    expect(JSON.parse(last.body!)).toEqual({
      key: 'go-mod-Linux-x64-abc',
      restore_keys: ['go-mod-Linux-x64-'],
      version: 'v123',
    });
  });

  it('asks v1 over REST, and reads 204 as a miss', async () => {
    answer = () => [204, ''];
    expect(await lookupEntry(request('v1'))).toEqual({ miss: true });
    expect(seen[seen.length - 1].url).toBe(
      '/_apis/artifactcache/cache?keys=go-mod-Linux-x64-abc%2Cgo-mod-Linux-x64-&version=v123',
    );
  });

  it('reads a denied read as a problem, and a 5xx as a failing service', async () => {
    answer = () => [
      403,
      JSON.stringify({ code: 'permission_denied', msg: 'cache read denied: no' }),
    ];
    expect(await lookupEntry(request('v2'))).toEqual({
      problem: 'the cache service refused the lookup (HTTP 403: cache read denied: no)',
    });
    answer = () => [500, '{}'];
    await expect(lookupEntry(request('v1'))).rejects.toThrow(ServiceFailure);
  });

  it('takes no archive location but an http(s) URL', async () => {
    answer = () => [200, JSON.stringify({ cacheKey: 'k', archiveLocation: 'file:///etc/passwd' })];
    expect(await lookupEntry(request('v1'))).toEqual({
      problem: 'the service answered an archive location that is not an http(s) URL',
    });
  });
});
