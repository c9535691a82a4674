import { describe, expect, it } from '@jest/globals';
import { buildCacheRoots, golangciLintCacheDir } from '../../../src/buildcache/roots.js';

describe('buildCacheRoots', () => {
  it('holds GOCACHE, as a home-relative path so runners with other homes share it', () => {
    const roots = buildCacheRoots(
      '/home/runner/.cache/go-build',
      false,
      {},
      'linux',
      '/home/runner',
    );
    expect(roots).toEqual([
      { label: 'go-build', dir: '/home/runner/.cache/go-build', archivePath: '~/.cache/go-build' },
    ]);
  });

  it("adds golangci-lint's cache when the action installs golangci-lint", () => {
    const roots = buildCacheRoots('/tmp/gocache', true, {}, 'linux', '/home/runner');
    expect(roots.map((r) => [r.label, r.archivePath])).toEqual([
      ['go-build', '/tmp/gocache'],
      ['golangci-lint', '~/.cache/golangci-lint'],
    ]);
  });

  it("finds golangci-lint's cache where golangci-lint does", () => {
    expect(golangciLintCacheDir({ GOLANGCI_LINT_CACHE: '/x/lint' }, 'linux', '/h')).toBe('/x/lint');
    expect(golangciLintCacheDir({ XDG_CACHE_HOME: '/xdg' }, 'linux', '/h')).toBe(
      '/xdg/golangci-lint',
    );
    // A relative XDG_CACHE_HOME is ignored, as Go ignores it.
    expect(golangciLintCacheDir({ XDG_CACHE_HOME: 'rel' }, 'linux', '/h')).toBe(
      '/h/.cache/golangci-lint',
    );
    expect(golangciLintCacheDir({}, 'darwin', '/Users/u')).toBe(
      '/Users/u/Library/Caches/golangci-lint',
    );
  });
});
