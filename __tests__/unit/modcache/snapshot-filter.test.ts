import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { versionFile } from '../../../src/modcache/layout.js';
import { SKIPPED, snapshotFilter } from '../../../src/modcache/snapshot-filter.js';

describe('snapshotFilter', () => {
  const wanted = snapshotFilter([
    { module: 'golang.org/x/mod', version: 'v0.20.0', zipHash: 'h1:z=', modHash: 'h1:m=' },
    { module: 'github.com/BurntSushi/toml', version: 'v1.0.0', zipHash: 'h1:z=', modHash: 'h1:m=' },
    { module: 'example.com/modonly', version: 'v1.0.0', modHash: 'h1:m=' },
  ]);

  it.each([
    'golang.org/x/mod/@v/v0.20.0.zip',
    'golang.org/x/mod/@v/v0.20.0.mod',
    'golang.org/x/mod/@v/v0.20.0.info',
    'github.com/!burnt!sushi/toml/@v/v1.0.0.zip',
    'example.com/modonly/@v/v1.0.0.mod',
  ])('unpacks %s', (rel) => expect(wanted(rel)).toBeUndefined());

  it.each([
    ['golang.org/x/vuln/@v/v1.1.4.zip', SKIPPED.otherVersion],
    ['golang.org/x/mod/@v/v0.19.0.zip', SKIPPED.otherVersion],
    ['golang.org/x/mod/@v/v0.20.0.ziphash', SKIPPED.ziphash],
    ['golang.org/x/mod/@v/v0.20.0.lock', SKIPPED.lock],
    ['golang.org/x/mod/@v/v0.20.0.partial', SKIPPED.lock],
    ['golang.org/x/mod/@v/list', SKIPPED.list],
    ['golang.org/toolchain/@v/v0.0.1-go1.27.0.linux-amd64.zip', SKIPPED.toolchain],
    ['sumdb/sum.golang.org/tile/8/0/000', SKIPPED.sumdb],
    ['example.com/modonly/@v/v1.0.0.zip', SKIPPED.unhashed],
    ['github.com/BurntSushi/toml/@v/v1.0.0.zip', SKIPPED.unknown],
    ['golang.org/x/mod/@v/v0.20.0.zip.evil', SKIPPED.unknown],
    ['README', SKIPPED.unknown],
  ])('leaves out %s', (rel, why) => expect(wanted(rel)).toBe(why));
});

describe('versionFile', () => {
  it('refuses a module or version that would name a file outside the download directory', () => {
    expect(versionFile('/c', 'golang.org/x/mod', 'v1.0.0', '.zip')).toBe(
      path.join('/c', 'golang.org/x/mod/@v/v1.0.0.zip'),
    );
    expect(() => versionFile('/c', '../../../outside', '../victim', '.mod')).toThrow(
      /not a path inside the module cache/,
    );
  });

  it('joins with backslashes under a Windows module cache', () => {
    const dir = 'C:\\Users\\runneradmin\\go\\pkg\\mod\\cache\\download';
    expect(versionFile(dir, 'github.com/BurntSushi/toml', 'v1.0.0', '.zip', path.win32)).toBe(
      `${dir}\\github.com\\!burnt!sushi\\toml\\@v\\v1.0.0.zip`,
    );
  });

  it.each([
    ['a part that resolves to another module', 'example.com/../golang.org/x/mod', path.posix],
    ['a "." part', 'example.com/./x', path.posix],
    ['a backslash, a separator on Windows', 'example.com\\..\\golang.org/x/mod', path.win32],
    ['a climb spelled with backslashes', 'example.com\\..\\..\\..\\x', path.win32],
    ['a drive letter', 'example.com/C:/x', path.win32],
    ['an alternate data stream', 'example.com/x:stream', path.win32],
  ])('refuses %s, inside the cache or not', (_, module, paths) => {
    expect(() => versionFile('/c', module, 'v1.0.0', '.zip', paths)).toThrow(
      `${module}@v1.0.0: not a path inside the module cache`,
    );
  });

  it('takes a backslash as a plain character where it is one', () => {
    expect(versionFile('/c', 'example.com/a\\b', 'v1.0.0', '.mod', path.posix)).toBe(
      '/c/example.com/a\\b/@v/v1.0.0.mod',
    );
  });
});
