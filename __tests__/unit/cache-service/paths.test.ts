// The `~/…` paths handed to @actions/cache, under each platform's path rules: the toolkit
// hashes the string into the entry's version, so runners of one platform with different homes
// must get the same string, and a restore must expand it back to the directory that was saved.
import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { expandHome, homeRelative } from '../../../src/cache-service/paths.js';

describe('homeRelative', () => {
  it('writes a Windows directory under HOME as ~/ with /, as the toolkit expects', () => {
    expect(
      homeRelative(
        'C:\\Users\\runneradmin\\go\\pkg\\mod\\cache\\download',
        'C:\\Users\\runneradmin',
        path.win32,
      ),
    ).toBe('~/go/pkg/mod/cache/download');
  });

  it('compares Windows paths without case, as Windows does', () => {
    expect(homeRelative('c:\\users\\RUNNERADMIN\\go', 'C:\\Users\\runneradmin', path.win32)).toBe(
      '~/go',
    );
  });

  it('keeps a directory outside HOME as it is: another drive, or above HOME', () => {
    expect(homeRelative('D:\\a\\go', 'C:\\Users\\runneradmin', path.win32)).toBe('D:\\a\\go');
    expect(homeRelative('C:\\go', 'C:\\Users\\runneradmin', path.win32)).toBe('C:\\go');
    expect(homeRelative('/Users/other/go', '/Users/runner', path.posix)).toBe('/Users/other/go');
  });

  it('takes a name that merely starts with .. as under HOME', () => {
    expect(homeRelative('/home/r/..cache/go', '/home/r', path.posix)).toBe('~/..cache/go');
    expect(homeRelative('C:\\Users\\r\\..cache', 'C:\\Users\\r', path.win32)).toBe('~/..cache');
  });

  it('leaves the directory alone when there is no HOME', () => {
    expect(homeRelative('/srv/go', '', path.posix)).toBe('/srv/go');
  });
});

describe('expandHome', () => {
  it.each([
    ['Windows', path.win32, 'C:\\Users\\runneradmin', 'C:\\Users\\runneradmin\\go\\pkg\\mod'],
    ['Windows, another drive', path.win32, 'C:\\Users\\runneradmin', 'D:\\gomod'],
    ['macOS', path.posix, '/Users/runner', '/Users/runner/Library/Caches/go-build'],
    ['Linux', path.posix, '/home/runner', '/home/runner/.cache/go-build'],
  ])('gives back the directory homeRelative wrote (%s)', (_, paths, home, dir) => {
    expect(expandHome(homeRelative(dir, home, paths), home, paths)).toBe(dir);
  });
});
