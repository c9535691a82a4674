import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { hashGoMod, hashZip } from '../../../src/gomod/dirhash.js';
import { escapeModulePath, escapeVersion } from '../../../src/gomod/escape.js';
import { crc32 } from '../../../src/gomod/zip.js';
import { GO, runGoOracle } from './go-oracle.js';

interface TestFile {
  name: string;
  data: string;
  deflate?: boolean;
}

// A tiny zip writer: local headers with sizes up front, no extras, no comment.
function writeZip(files: TestFile[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const data = Buffer.from(file.data);
    const body = file.deflate ? deflateRawSync(data) : data;
    const name = Buffer.from(file.name);
    const fields = (header: Buffer, at: number): void => {
      header.writeUInt16LE(20, at);
      header.writeUInt16LE(file.deflate ? 8 : 0, at + 4);
      header.writeUInt16LE(0x21, at + 8);
      header.writeUInt32LE(crc32(data), at + 10);
      header.writeUInt32LE(body.length, at + 14);
      header.writeUInt32LE(data.length, at + 18);
      header.writeUInt16LE(name.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    fields(local, 4);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    fields(central, 6);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
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
    const paths = zips.map((zip, i) => {
      const path = join(work, `unusual-${i}.zip`);
      writeFileSync(path, zip);
      return path;
    });
    const expected = runHashZipOracle(paths);
    expect(zips.map((zip) => hashZip(zip))).toEqual(expected);
  }, 120_000);
});

// Runs golang.org/x/mod/sumdb/dirhash.HashZip on each zip file.
function runHashZipOracle(paths: string[]): string[] {
  return runGoOracle<string[]>(
    `package main

import (
	"encoding/json"
	"os"

	"golang.org/x/mod/sumdb/dirhash"
)

func main() {
	var sums []string
	for _, path := range os.Args[1:] {
		sum, err := dirhash.HashZip(path, dirhash.Hash1)
		if err != nil {
			panic(err)
		}
		sums = append(sums, sum)
	}
	json.NewEncoder(os.Stdout).Encode(sums)
}
`,
    { args: paths },
  );
}
