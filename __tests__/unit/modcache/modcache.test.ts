import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { keyForGoSums, snapshotKey } from '../../../src/modcache/key.js';
import { parseVersionPath, snapshotPath } from '../../../src/modcache/layout.js';
import { planTrim } from '../../../src/modcache/trim.js';

describe('keyForGoSums', () => {
  it('is another key when the action vouches for more sums, and the same for the same ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'key-'));
    try {
      writeFileSync(join(dir, 'go.sum'), 'a v1.0.0 h1:x=\n');
      const files = [join(dir, 'go.sum')];
      const plain = keyForGoSums('go-mod', dir, files).key;
      const pinned = keyForGoSums('go-mod', dir, files, ['golang.org/x/vuln v1.1.4 h1:v=']).key;
      expect(pinned).not.toBe(plain);
      expect(keyForGoSums('go-mod', dir, files, ['golang.org/x/vuln v1.1.4 h1:v=']).key).toBe(
        pinned,
      );
      expect(keyForGoSums('go-mod', dir, files, []).key).toBe(plain);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('snapshotKey', () => {
  const sums = [
    { path: 'go.sum', content: 'a v1.0.0 h1:x=\n' },
    { path: 'tools/go.sum', content: 'b v1.0.0 h1:y=\n' },
  ];

  it('is <prefix>-<os>-<arch>-<sha256>, with a restore prefix for fallbacks', () => {
    const k = snapshotKey('go-mod', 'Linux', 'X64', sums);
    expect(k.key).toMatch(/^go-mod-Linux-x64-[0-9a-f]{64}$/);
    expect(k.restorePrefix).toBe('go-mod-Linux-x64-');
    expect(k.key.startsWith(k.restorePrefix)).toBe(true);
  });

  it('does not depend on the order the files were found in', () => {
    expect(snapshotKey('p', 'Linux', 'x64', sums).key).toBe(
      snapshotKey('p', 'Linux', 'x64', [...sums].reverse()).key,
    );
  });

  it('changes with any go.sum content, path, OS or arch', () => {
    const base = snapshotKey('p', 'Linux', 'x64', sums).key;
    const edited = [{ ...sums[0], content: 'a v1.0.1 h1:z=\n' }, sums[1]];
    const moved = [{ ...sums[0], path: 'other/go.sum' }, sums[1]];
    expect(snapshotKey('p', 'Linux', 'x64', edited).key).not.toBe(base);
    expect(snapshotKey('p', 'Linux', 'x64', moved).key).not.toBe(base);
    expect(snapshotKey('p', 'macOS', 'x64', sums).key).not.toBe(base);
    expect(snapshotKey('p', 'Linux', 'arm64', sums).key).not.toBe(base);
  });
});

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

describe('planTrim', () => {
  const files = [
    'example.com/a/@v/list',
    'example.com/a/@v/v1.0.0.info',
    'example.com/a/@v/v1.0.0.mod',
    'example.com/a/@v/v1.0.0.zip',
    'example.com/a/@v/v1.0.0.ziphash',
    'example.com/a/@v/v0.9.0.mod',
    'example.com/a/@v/v0.9.0.zip',
    'example.com/gone/@v/list',
    'example.com/gone/@v/v1.0.0.zip',
    'example.com/modonly/@v/v1.0.0.mod',
    'golang.org/toolchain/@v/v0.0.1-go1.23.5.linux-amd64.zip',
    'golang.org/toolchain/@v/list',
    'sumdb/sum.golang.org/latest',
  ];
  const keep = [
    { module: 'example.com/a', version: 'v1.0.0', zipHash: 'h1:a', modHash: 'h1:b' },
    { module: 'example.com/modonly', version: 'v1.0.0', modHash: 'h1:c' },
    // Even if go.sum named a toolchain, it stays out of the snapshot.
    { module: 'golang.org/toolchain', version: 'v0.0.1-go1.23.5.linux-amd64', zipHash: 'h1:d' },
  ];

  it('moves out versions no go.sum names, emptied modules, toolchains and sumdb files, and keeps the rest', () => {
    const plan = planTrim(files, keep);
    expect(plan.moves).toEqual([
      'example.com/a/@v/v0.9.0.mod',
      'example.com/a/@v/v0.9.0.zip',
      'example.com/gone/@v/list',
      'example.com/gone/@v/v1.0.0.zip',
      'golang.org/toolchain/@v/list',
      'golang.org/toolchain/@v/v0.0.1-go1.23.5.linux-amd64.zip',
      'sumdb/sum.golang.org/latest',
    ]);
    expect(plan.versions).toBe(3);
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
