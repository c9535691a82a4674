import { createHash } from 'node:crypto';

/** What a build-cache key is made of. */
export interface BuildCacheKeyParts {
  os: string;
  arch: string;
  /** `go env GOVERSION`: entries of one Go release are useless to another. */
  goversion: string;
  /** GITHUB_JOB: a lint job and a test job must not shrink each other's caches. */
  job: string;
  /** `build-cache-key-suffix`, any text. */
  suffix: string;
  /** Digest of the go.sum files (hex). */
  goSums: string;
}

export interface BuildCacheKeys {
  /** Requested first; never saved under, so a restore always goes on to the prefixes. */
  primary: string;
  /** Newest entry of the same go.sum first, then the newest of this job and Go at all. */
  restoreKeys: [string, string];
}

/**
 * `go-build-<os>-<arch>-<go>-<job>+<suffix>-<go.sum>-` and then a digest of the entries
 * saved. Every part but the job is free of `-`, and the job ends at `+`, so one job's prefix
 * never matches another job's keys (`test` against `test-race`, suffix `a` against `a.b`).
 */
export function buildCacheKeys(p: BuildCacheKeyParts): BuildCacheKeys {
  const job = /^[A-Za-z0-9_-]{1,100}$/.test(p.job) ? p.job : hashed(p.job || 'job');
  const base = [
    'go-build',
    keyPart(p.os),
    keyPart(p.arch.toLowerCase()),
    keyPart(p.goversion),
    `${job}+${p.suffix === '' ? '' : keyPart(p.suffix)}`,
  ].join('-');
  const sameGoSum = `${base}-${p.goSums.slice(0, 16)}-`;
  return { primary: sameGoSum.slice(0, -1), restoreKeys: [sameGoSum, `${base}-`] };
}

/** The key a save uses: the same-go.sum prefix and a digest of what it holds. */
export function savedKey(keys: BuildCacheKeys, entries: readonly string[]): string {
  return `${keys.restoreKeys[0]}${digestNames(entries)}`;
}

/** Whether a restored key was saved for the same go.sum files. */
export function sameGoSums(keys: BuildCacheKeys, matchedKey: string | undefined): boolean {
  return matchedKey !== undefined && matchedKey.startsWith(keys.restoreKeys[0]);
}

function digestNames(names: readonly string[]): string {
  return createHash('sha256')
    .update([...names].sort().join('\n'))
    .digest('hex')
    .slice(0, 16);
}

/** The text itself when it is short and holds no `-`, `+` or `,`; else a digest of it. */
function keyPart(text: string): string {
  return /^[A-Za-z0-9._]{1,64}$/.test(text) ? text : hashed(text);
}

function hashed(text: string): string {
  return `h${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
}
