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

  it("finds golangci-lint's cache on Windows in %LocalAppData%, whatever the name's case", () => {
    const home = 'C:\\Users\\runneradmin';
    const local = 'C:\\Users\\runneradmin\\AppData\\Local';
    expect(golangciLintCacheDir({ LOCALAPPDATA: local }, 'win32', home)).toBe(
      `${local}\\golangci-lint`,
    );
    expect(golangciLintCacheDir({ LocalAppData: 'E:\\cache' }, 'win32', home)).toBe(
      'E:\\cache\\golangci-lint',
    );
    expect(golangciLintCacheDir({}, 'win32', home)).toBe(`${local}\\golangci-lint`);
    expect(golangciLintCacheDir({ GOLANGCI_LINT_CACHE: 'D:\\lint' }, 'win32', home)).toBe(
      'D:\\lint',
    );
  });
});

describe('buildCacheRoots on Windows and macOS runners', () => {
  it('hands the toolkit ~/ paths written with /, on Windows too', () => {
    const home = 'C:\\Users\\runneradmin';
    const roots = buildCacheRoots(
      `${home}\\AppData\\Local\\go-build`,
      true,
      { LOCALAPPDATA: `${home}\\AppData\\Local` },
      'win32',
      home,
    );
    expect(roots).toEqual([
      {
        label: 'go-build',
        dir: 'C:\\Users\\runneradmin\\AppData\\Local\\go-build',
        archivePath: '~/AppData/Local/go-build',
      },
      {
        label: 'golangci-lint',
        dir: 'C:\\Users\\runneradmin\\AppData\\Local\\golangci-lint',
        archivePath: '~/AppData/Local/golangci-lint',
      },
    ]);
  });

  it('keeps a GOCACHE on another Windows drive as its own path', () => {
    const [root] = buildCacheRoots('D:\\gocache', false, {}, 'win32', 'C:\\Users\\r');
    expect(root.archivePath).toBe('D:\\gocache');
  });

  it('puts golangci-lint under ~/Library/Caches on macOS', () => {
    const roots = buildCacheRoots(
      '/Users/runner/Library/Caches/go-build',
      true,
      { XDG_CACHE_HOME: '/ignored/on/macos' },
      'darwin',
      '/Users/runner',
    );
    expect(roots.map((r) => r.archivePath)).toEqual([
      '~/Library/Caches/go-build',
      '~/Library/Caches/golangci-lint',
    ]);
  });
});
