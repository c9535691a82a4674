// A tool archive from a server that misbehaves: an answer no retry changes fails at once.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { ArchiveDownloadError, downloadVerified } from '../../../src/tools/download.js';
import {
  closedByClient,
  endless,
  forget,
  redirect,
  routes,
  startHostileServers,
  type HostileServers,
} from '../../support/hostile-server.js';

const MiB = 1024 * 1024;

let servers: HostileServers;
let base: string;

beforeAll(async () => {
  servers = await startHostileServers();
  ({ base } = servers);
});

afterEach(forget);

afterAll(() => servers.close());

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
