import { describe, it, expect } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { crc32, crc32Js, readZip } from '../../../src/gomod/zip.js';
import { GO_BIN as GO } from '../../support/go-bin.js';
import { writeZip } from './zip-fixtures.js';

const asText = (entries: { name: string; data: Buffer }[]): [string, string][] =>
  entries.map((e) => [e.name, e.data.toString('utf8')]);

const longText = Array.from({ length: 5000 }, (_, i) => `line ${i} ${i % 7}`).join('\n');

describe.each([
  ['crc32', crc32],
  ['crc32Js', crc32Js],
])('%s', (_, crc) => {
  it.each([
    ['', 0],
    ['123456789', 0xcbf43926],
    ['The quick brown fox jumps over the lazy dog', 0x414fa339],
  ])('of %j', (input, expected) => {
    expect(crc(Buffer.from(input))).toBe(expected);
  });

  it('agrees with the other implementation on every byte value and a sub-buffer', () => {
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919 + 13) % 256));
    for (const data of [bytes, bytes.subarray(1, 65_537)]) {
      expect(crc(data)).toBe(crc === crc32 ? crc32Js(data) : crc32(data));
    }
  });
});

describe('readZip', () => {
  it('reads stored and deflated entries, directories and empty files', () => {
    const zip = writeZip([
      { name: 'm@v1.0.0/' },
      { name: 'm@v1.0.0/go.mod', data: 'module m\n' },
      { name: 'm@v1.0.0/big.txt', data: longText, method: 8 },
      { name: 'm@v1.0.0/empty.go', data: '', method: 8 },
      { name: 'm@v1.0.0/caf\u00e9/\u{1f600}.txt', data: 'unicode' },
    ]);
    expect(asText(readZip(zip))).toEqual([
      ['m@v1.0.0/', ''],
      ['m@v1.0.0/go.mod', 'module m\n'],
      ['m@v1.0.0/big.txt', longText],
      ['m@v1.0.0/empty.go', ''],
      ['m@v1.0.0/caf\u00e9/\u{1f600}.txt', 'unicode'],
    ]);
  });

  it('reads an empty archive', () => {
    expect(readZip(writeZip([]))).toEqual([]);
  });

  it('finds the end record behind a trailing comment', () => {
    const zip = writeZip([{ name: 'a', data: 'A' }], { comment: 'x'.repeat(1000) });
    expect(asText(readZip(zip))).toEqual([['a', 'A']]);
  });

  it('skips a fake end record inside the comment whose comment would overrun the file', () => {
    const fake = Buffer.alloc(22);
    fake.writeUInt32LE(0x06054b50, 0);
    fake.writeUInt16LE(500, 20);
    const zip = writeZip([{ name: 'a', data: 'A' }], { comment: fake.toString('latin1') });
    expect(asText(readZip(zip))).toEqual([['a', 'A']]);
  });

  it('reads entries with data descriptors, signed or not', () => {
    const zip = writeZip([
      { name: 'a', data: longText, method: 8, dataDescriptor: 'signed' },
      { name: 'b', data: 'bee', dataDescriptor: 'unsigned' },
    ]);
    expect(asText(readZip(zip))).toEqual([
      ['a', longText],
      ['b', 'bee'],
    ]);
  });

  it('reads archives with bytes prepended', () => {
    const zip = writeZip([{ name: 'a', data: 'A', method: 8 }], {
      prefix: Buffer.from('#!/bin/sh\nexit 0\n'),
    });
    expect(asText(readZip(zip))).toEqual([['a', 'A']]);
  });

  it('reads ZIP64 extra fields and end records', () => {
    const zip = writeZip(
      [
        { name: 'a', data: 'first', zip64: true },
        { name: 'b', data: longText, method: 8, zip64: true },
      ],
      { zip64End: true },
    );
    expect(asText(readZip(zip))).toEqual([
      ['a', 'first'],
      ['b', longText],
    ]);
  });

  it('rejects saturated sizes without a ZIP64 extra field', () => {
    const zip = writeZip([{ name: 'a', data: 'A', zip64: true }]);
    const extraLengthAt = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 30;
    zip.writeUInt16LE(0, extraLengthAt); // the extra field now reads as part of the next record
    expect(() => readZip(zip)).toThrow(/ZIP64/);
  });

  it.each([
    ['an HTML page', Buffer.from('<!DOCTYPE html><html><body>404 Not Found</body></html>\n')],
    ['an empty file', Buffer.alloc(0)],
    ['random bytes', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251))],
    ['a truncated zip', writeZip([{ name: 'a', data: 'A' }]).subarray(0, 40)],
  ])('rejects %s', (_, input) => {
    expect(() => readZip(input)).toThrow('zip: not a valid zip file');
  });

  it('rejects a central directory pointing past the local headers', () => {
    const zip = writeZip([{ name: 'a', data: 'A' }]);
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE(9999, central + 42);
    expect(() => readZip(zip)).toThrow('zip: not a valid zip file: bad local header for a');
  });

  it('rejects a corrupted stored entry by its checksum', () => {
    const zip = writeZip([{ name: 'pkg/a.go', data: 'package a\n' }]);
    zip[zip.indexOf('package a')] ^= 0x01;
    expect(() => readZip(zip)).toThrow('zip: checksum error in pkg/a.go');
  });

  it('rejects a corrupted deflated entry', () => {
    const zip = writeZip([{ name: 'big.txt', data: longText, method: 8 }]);
    const dataStart = 30 + 'big.txt'.length;
    for (const at of [dataStart + 10, dataStart + 100, dataStart + 500]) {
      const corrupt = Buffer.from(zip);
      corrupt[at] ^= 0x10;
      expect(() => readZip(corrupt)).toThrow(/^zip: (checksum error|corrupt deflate data|size)/);
    }
  });

  it('rejects a checksum mismatch recorded in a data descriptor', () => {
    const zip = writeZip([{ name: 'a', data: 'abc', dataDescriptor: 'signed' }]);
    zip.writeUInt32LE(0x12345678, 30 + 1 + 3 + 4);
    expect(() => readZip(zip)).toThrow('zip: checksum error in a');
  });

  it('rejects entries larger or smaller than recorded', () => {
    const bigger = writeZip([{ name: 'a', data: longText, method: 8, size: 10 }]);
    expect(() => readZip(bigger)).toThrow('zip: a inflates past its declared size');
    const smaller = writeZip([{ name: 'a', data: 'abc', method: 8, size: 10 }]);
    expect(() => readZip(smaller)).toThrow('zip: size mismatch in a');
  });

  it('rejects truncated deflate data', () => {
    const raw = deflateRawSync(Buffer.from(longText));
    const zip = writeZip([{ name: 'a', data: longText, method: 8, raw: raw.subarray(0, 50) }]);
    expect(() => readZip(zip)).toThrow('zip: corrupt deflate data in a');
  });

  it('rejects unsupported compression methods', () => {
    const zip = writeZip([{ name: 'a.bz2', data: 'x', method: 12 }]);
    expect(() => readZip(zip)).toThrow('zip: unsupported compression method 12 in a.bz2');
  });

  it('rejects a directory entry with content', () => {
    const zip = writeZip([{ name: 'dir/', data: 'not empty' }]);
    expect(() => readZip(zip)).toThrow('zip: directory entry dir/ has content');
  });

  it('rejects names that are not UTF-8', () => {
    const zip = writeZip([{ name: 'ab', data: 'x' }]);
    zip[30] = 0xff;
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip[central + 46] = 0xff;
    expect(() => readZip(zip)).toThrow(/not valid UTF-8/);
  });

  it('reads archives written by Go archive/zip', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gomod-zip-'));
    try {
      writeFileSync(
        join(dir, 'main.go'),
        `package main

import (
	"archive/zip"
	"os"
	"strings"
)

func main() {
	out, _ := os.Create(os.Args[1])
	w := zip.NewWriter(out)
	w.SetComment("written by Go")
	w.Create("m@v1.0.0/dir/")
	f, _ := w.Create("m@v1.0.0/big.txt") // deflate, with a data descriptor
	f.Write([]byte(strings.Repeat("go go gadget\\n", 20000)))
	s, _ := w.CreateHeader(&zip.FileHeader{Name: "m@v1.0.0/go.mod", Method: zip.Store})
	s.Write([]byte("module m\\n"))
	if err := w.Close(); err != nil {
		panic(err)
	}
	out.Close()
}
`,
      );
      const zipPath = join(dir, 'out.zip');
      execFileSync(GO, ['run', 'main.go', zipPath], {
        cwd: dir,
        env: { ...process.env, GO111MODULE: 'off', GOTOOLCHAIN: 'local', GOFLAGS: '' },
      });
      expect(asText(readZip(readFileSync(zipPath)))).toEqual([
        ['m@v1.0.0/dir/', ''],
        ['m@v1.0.0/big.txt', 'go go gadget\n'.repeat(20000)],
        ['m@v1.0.0/go.mod', 'module m\n'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
