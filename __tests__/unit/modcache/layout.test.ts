import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { parseVersionPath, snapshotPath } from '../../../src/modcache/layout.js';

describe('parseVersionPath', () => {
  it.each([
    ['example.com/a/@v/v1.0.0.zip', { module: 'example.com/a', version: 'v1.0.0', suffix: '.zip' }],
    [
      'github.com/!azure/sdk/@v/v1.0.0-!r!c1.mod',
      { module: 'github.com/Azure/sdk', version: 'v1.0.0-RC1', suffix: '.mod' },
    ],
    [
      'example.com/a/@v/v1.0.0.ziphash',
      { module: 'example.com/a', version: 'v1.0.0', suffix: '.ziphash' },
    ],
    ['example.com/a/@v/list', undefined],
    ['sumdb/sum.golang.org/lookup/example.com/a@v1.0.0', undefined],
  ])('%s', (rel, expected) => {
    expect(parseVersionPath(rel)).toEqual(expected);
  });
});

describe('snapshotPath', () => {
  it('writes a module cache under HOME with ~, so runners with other homes share snapshots', () => {
    expect(snapshotPath('/home/runner/go/pkg/mod', '/home/runner')).toBe(
      '~/go/pkg/mod/cache/download',
    );
    expect(snapshotPath('/srv/gomod', '/home/runner')).toBe('/srv/gomod/cache/download');
  });

  it('is the same ~/ string on Windows and macOS runners, written with /', () => {
    const windows = snapshotPath(
      'C:\\Users\\runneradmin\\go\\pkg\\mod',
      'C:\\Users\\runneradmin',
      path.win32,
    );
    expect(windows).toBe('~/go/pkg/mod/cache/download');
    expect(snapshotPath('/Users/runner/go/pkg/mod', '/Users/runner', path.posix)).toBe(windows);
  });

  it('keeps a Windows module cache outside HOME as its own path, drive and all', () => {
    expect(snapshotPath('D:\\gomod', 'C:\\Users\\runneradmin', path.win32)).toBe(
      'D:\\gomod\\cache\\download',
    );
  });
});
