import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashGoMod, hashZip } from '../../../src/gomod/dirhash.js';
import { escapeModulePath, escapeVersion } from '../../../src/gomod/escape.js';
import { GO, runHashZipOracle } from './go-oracle.js';
import { writeZip as writeSharedZip } from './zip-fixtures.js';

interface TestFile {
  name: string;
  data: string;
  deflate?: boolean;
}

// The shared fixture writer, with `deflate` for the method.
function writeZip(files: TestFile[]): Buffer {
  return writeSharedZip(
    files.map(({ name, data, deflate }) => ({ name, data, method: deflate ? 8 : 0 })),
  );
}

function moduleZip(module: string, version: string, files: TestFile[]): Buffer {
  return writeZip(files.map((f) => ({ ...f, name: `${module}@${version}/${f.name}` })));
}

let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'gomod-dirhash-'));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('hashGoMod', () => {
  it('matches the empty go.mod hash cmd/go knows', () => {
    expect(hashGoMod('')).toBe('h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=');
  });

  it('hashes strings and buffers alike', () => {
    const text = 'module example.com/m\n\ngo 1.21\n';
    expect(hashGoMod(text)).toBe(hashGoMod(Buffer.from(text)));
    expect(hashGoMod(text)).not.toBe(hashGoMod(text + '\n'));
  });
});

describe('hashZip', () => {
  it('does not depend on compression or entry order', () => {
    const files = [
      { name: 'm@v1/b.go', data: 'package b\n' },
      { name: 'm@v1/a.go', data: 'package a\n'.repeat(100) },
    ];
    const stored = hashZip(writeZip(files));
    expect(hashZip(writeZip(files.map((f) => ({ ...f, deflate: true }))))).toBe(stored);
    expect(hashZip(writeZip([...files].reverse()))).toBe(stored);
    expect(stored).toMatch(/^h1:[A-Za-z0-9+/]{43}=$/);
  });

  it('rejects names containing a newline', () => {
    expect(() => hashZip(writeZip([{ name: 'm@v1/a\nb.go', data: '' }]))).toThrow(
      'dirhash: filenames with newlines are not supported',
    );
  });

  it('rejects input that is not a zip', () => {
    expect(() => hashZip(Buffer.from('<html>rate limited</html>'))).toThrow(
      'zip: not a valid zip file',
    );
  });

  // The proof: the go command itself computes go.sum lines for zips we wrote.
  it.each([
    {
      module: 'example.com/hashcheck',
      files: [
        { name: 'go.mod', data: 'module example.com/hashcheck\n\ngo 1.21\n' },
        { name: 'hashcheck.go', data: 'package hashcheck\n\nconst Answer = 42\n' },
        { name: 'LICENSE', data: 'Public domain.\n'.repeat(50), deflate: true },
        { name: 'internal/x/x.go', data: 'package x\n', deflate: true },
        { name: 'hashcheck_test.go', data: 'package hashcheck\n' },
      ],
    },
    {
      // An uppercase path also checks the proxy layout escapeModulePath produces.
      module: 'example.com/HashCheck',
      files: [
        { name: 'go.mod', data: 'module example.com/HashCheck\n' },
        { name: 'a.go', data: 'package HashCheck\n', deflate: true },
        { name: 'a/b.go', data: 'package b\n' },
        { name: 'README.md', data: '# HashCheck\n' },
      ],
    },
  ])(
    'agrees with go mod download for $module',
    ({ module, files }) => {
      const version = 'v1.0.0';
      const goMod = files.find((f) => f.name === 'go.mod')!.data;
      const zip = moduleZip(module, version, files);

      const proxy = join(work, 'proxy');
      const versionDir = join(proxy, escapeModulePath(module), '@v');
      mkdirSync(versionDir, { recursive: true });
      const base = join(versionDir, escapeVersion(version));
      writeFileSync(join(versionDir, 'list'), `${version}\n`);
      writeFileSync(
        `${base}.info`,
        JSON.stringify({ Version: version, Time: '2024-01-01T00:00:00Z' }),
      );
      writeFileSync(`${base}.mod`, goMod);
      writeFileSync(`${base}.zip`, zip);

      const gopath = mkdtempSync(join(work, 'gopath-'));
      const output = execFileSync(GO, ['mod', 'download', '-json', `${module}@${version}`], {
        cwd: work,
        encoding: 'utf8',
        env: {
          ...process.env,
          GO111MODULE: 'on',
          GOFLAGS: '-modcacherw',
          GOPROXY: `file://${proxy}`,
          GOSUMDB: 'off',
          GONOSUMDB: '*',
          GOPRIVATE: '',
          GONOPROXY: '',
          GOMODCACHE: join(gopath, 'pkg', 'mod'),
          GOPATH: gopath,
          GOTOOLCHAIN: 'local',
          GOENV: 'off',
        },
      });
      const result = JSON.parse(output) as { Sum: string; GoModSum: string; Error?: string };
      expect(result.Error).toBeUndefined();
      expect(hashZip(zip)).toBe(result.Sum);
      expect(hashGoMod(goMod)).toBe(result.GoModSum);
    },
    120_000,
  );

  // Shapes go mod download refuses (directories, names outside a module prefix, names whose UTF-8
  // and UTF-16 orders differ) still have to hash as dirhash.HashZip hashes them.
  it('agrees with dirhash.HashZip on unusual archives', () => {
    const zips = [
      writeZip([
        { name: 'dir/', data: '' },
        { name: 'dir/a', data: 'a' },
        { name: 'dir/sub/', data: '' },
      ]),
      writeZip([
        { name: '\uff01.txt', data: 'fullwidth' },
        { name: '\u{1f600}.txt', data: 'emoji' },
        { name: 'a.go', data: 'a' },
        { name: 'a/b.go', data: 'b' },
        { name: 'a-b.go', data: 'c' },
      ]),
      writeZip([
        { name: 'dup', data: 'first' },
        { name: 'dup', data: 'second' },
      ]),
      writeZip([]),
    ];
    const expected = runHashZipOracle(zips);
    expect(zips.map((zip) => ({ sum: hashZip(zip) }))).toEqual(expected);
  }, 120_000);
});
