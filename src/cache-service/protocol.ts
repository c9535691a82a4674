import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';

/** How the runner's cache service is reached: v2 (github.com) or v1 (GHES, act, Gitea). */
export type CacheProtocol = 'v1' | 'v2';

/** What @actions/cache compresses archives with on this machine: zstd when a zstd program runs. */
export type CacheCompression = 'gzip' | 'zstd-without-long';

/** The protocol @actions/cache picks: GHES is always v1, elsewhere the runner's flag decides. */
export function cacheProtocol(env: NodeJS.ProcessEnv = process.env): CacheProtocol {
  const host = new URL(env.GITHUB_SERVER_URL || 'https://github.com').hostname.toUpperCase();
  const ghes = host !== 'GITHUB.COM' && !host.endsWith('.GHE.COM') && !host.endsWith('.LOCALHOST');
  if (ghes) return 'v1';
  return env.ACTIONS_CACHE_SERVICE_V2 ? 'v2' : 'v1';
}

/** The base URL of the service for a protocol, or undefined when the runner provides none. */
export function cacheServiceUrl(
  protocol: CacheProtocol,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const url =
    protocol === 'v2' ? env.ACTIONS_RESULTS_URL : env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL;
  return url || undefined;
}

let compression: CacheCompression | undefined;

/**
 * The compression @actions/cache uses here, which is part of an entry's version: it asks
 * `zstd --quiet --version` and takes gzip when that prints nothing (no zstd on PATH).
 */
export function cacheCompression(): CacheCompression {
  if (compression) return compression;
  const out = spawnSync('zstd', ['--quiet', '--version'], { encoding: 'utf8', timeout: 10_000 });
  const printed = `${out.stdout ?? ''}${out.stderr ?? ''}`.trim();
  compression = !out.error && printed !== '' ? 'zstd-without-long' : 'gzip';
  return compression;
}

/**
 * An entry's version as @actions/cache computes it, so that entries it saved are found: the
 * path strings as given, the compression, a marker on Windows, and the toolkit's salt.
 */
export function cacheVersion(
  paths: readonly string[],
  method: CacheCompression,
  platform: NodeJS.Platform = process.platform,
): string {
  const parts = [...paths, method];
  if (platform === 'win32') parts.push('windows-only');
  parts.push('1.0');
  return createHash('sha256').update(parts.join('|')).digest('hex');
}
