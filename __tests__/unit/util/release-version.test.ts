import { describe, expect, it } from '@jest/globals';
import { compareReleases, goRelease, normaliseRelease } from '../../../src/util/release-version.js';

describe('release versions', () => {
  it('normalises v-prefixed and plain versions and rejects the rest', () => {
    expect(normaliseRelease('v2.4.0')).toBe('2.4.0');
    expect(normaliseRelease(' 1.64.06 ')).toBe('1.64.6');
    for (const bad of ['latest', 'v2', '2.4', 'v2.4.0-rc.1', '^2.4.0', '']) {
      expect(normaliseRelease(bad)).toBeUndefined();
    }
  });

  it('compares numerically', () => {
    expect(['2.10.1', '2.4.0', '1.64.6', '2.9.0'].sort(compareReleases)).toEqual([
      '1.64.6',
      '2.4.0',
      '2.9.0',
      '2.10.1',
    ]);
  });

  it('reads the release of a Go toolchain', () => {
    expect(goRelease('go1.23.5')).toBe('1.23.5');
    expect(goRelease('go1.22')).toBe('1.22.0');
    expect(goRelease('go1.25rc1')).toBe('1.25.0');
    expect(goRelease('devel go1.26-abc')).toBeUndefined();
  });
});
