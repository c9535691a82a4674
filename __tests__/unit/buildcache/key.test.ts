import { describe, expect, it } from '@jest/globals';
import { buildCacheKeys, sameGoSums, savedKey } from '../../../src/buildcache/key.js';

const parts = {
  os: 'Linux',
  arch: 'X64',
  goversion: 'go1.26.0',
  job: 'test',
  suffix: '',
  goSums: 'a'.repeat(16) + 'b'.repeat(48),
};

describe('build-cache keys', () => {
  it('asks for the same go.sum first, then anything of the same job and Go', () => {
    const keys = buildCacheKeys(parts);
    expect(keys.primary).toBe('go-build-Linux-x64-go1.26.0-test+-aaaaaaaaaaaaaaaa');
    expect(keys.restoreKeys).toEqual([
      'go-build-Linux-x64-go1.26.0-test+-aaaaaaaaaaaaaaaa-',
      'go-build-Linux-x64-go1.26.0-test+-',
    ]);
  });

  it('saves under the same-go.sum prefix and a digest of the entries, in any order', () => {
    const keys = buildCacheKeys(parts);
    const one = savedKey(keys, ['go-build/aa/aa1-a', 'go-build/bb/bb2-d']);
    expect(one).toMatch(/^go-build-Linux-x64-go1\.26\.0-test\+-a{16}-[0-9a-f]{16}$/);
    expect(savedKey(keys, ['go-build/bb/bb2-d', 'go-build/aa/aa1-a'])).toBe(one);
    expect(savedKey(keys, ['go-build/aa/aa1-a'])).not.toBe(one);
    // The primary key is never saved under, so a restore always reaches the newest entry.
    expect(one).not.toBe(keys.primary);
    expect(sameGoSums(keys, one)).toBe(true);
  });

  it('tells a fallback from a same-go.sum restore', () => {
    const keys = buildCacheKeys(parts);
    const other = savedKey(buildCacheKeys({ ...parts, goSums: 'c'.repeat(64) }), ['x']);
    expect(sameGoSums(keys, other)).toBe(false);
    expect(sameGoSums(keys, undefined)).toBe(false);
  });

  it("keeps one job's prefix from matching another job's keys", () => {
    const test = buildCacheKeys(parts).restoreKeys[1];
    const race = savedKey(buildCacheKeys({ ...parts, job: 'test-race' }), ['x']);
    expect(race.startsWith(test)).toBe(false);
    const a = buildCacheKeys({ ...parts, suffix: 'a' }).restoreKeys[1];
    const ab = savedKey(buildCacheKeys({ ...parts, suffix: 'a.b' }), ['x']);
    expect(ab.startsWith(a)).toBe(false);
  });

  it('hashes parts a key cannot hold, and keeps them apart', () => {
    const matrix = '{"go":"1.26","tags":"a,b"}';
    const keys = buildCacheKeys({ ...parts, suffix: matrix });
    expect(keys.primary).toMatch(/^go-build-Linux-x64-go1\.26\.0-test\+h[0-9a-f]{12}-a{16}$/);
    expect(keys.primary).not.toContain(',');
    const other = buildCacheKeys({ ...parts, suffix: '{"go":"1.25","tags":"a,b"}' });
    expect(other.primary).not.toBe(keys.primary);
    const oddJob = buildCacheKeys({ ...parts, job: 'build (linux)' });
    expect(oddJob.primary).toMatch(/^go-build-Linux-x64-go1\.26\.0-h[0-9a-f]{12}\+-/);
  });
});
