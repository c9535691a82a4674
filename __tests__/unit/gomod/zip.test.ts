import { describe, it, expect } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { crc32, readZip } from '../../../src/gomod/zip.js';

const GO = process.env.GO_BIN ?? '/usr/lib/go-1.23/bin/go';

interface TestEntry {
  name: string;
  data?: Buffer | string;
  method?: number;
  /** Write sizes and CRC after the data instead of in the local header. */
  dataDescriptor?: 'signed' | 'unsigned';
  /** Saturate sizes and offset and put the real ones in a ZIP64 extra field. */
  zip64?: boolean;
  /** Override the compressed bytes (for corrupt or unsupported data). */
  raw?: Buffer;
  /** Override the recorded uncompressed size. */
  size?: number;
}

interface ZipOptions {
  comment?: string;
  /** Bytes before the archive whose offsets do not account for them, like a self-extractor. */
  prefix?: Buffer;
  zip64End?: boolean;
}

// Just enough of a zip writer to build the archives these tests need, including odd ones.
function writeZip(entries: TestEntry[], options: ZipOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = Buffer.from(entry.data ?? '');
    const method = entry.method ?? 0;
    const compressed = entry.raw ?? (method === 8 ? deflateRawSync(data) : data);
    const name = Buffer.from(entry.name);
    const crc = crc32(data);
    const size = entry.size ?? data.length;
    const flags = entry.dataDescriptor ? 0x8 : 0;
    const sat = (n: number): number => (entry.zip64 ? 0xffffffff : n);
    const zip64Extra = (...values: number[]): Buffer => {
      if (!entry.zip64) return Buffer.alloc(0);
      const b = Buffer.alloc(4 + 8 * values.length);
      b.writeUInt16LE(1, 0);
      b.writeUInt16LE(8 * values.length, 2);
      values.forEach((v, i) => b.writeBigUInt64LE(BigInt(v), 4 + 8 * i));
      return b;
    };

    const localExtra = zip64Extra(size, compressed.length);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0x21, 12);
    if (!entry.dataDescriptor) {
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(sat(compressed.length), 18);
      local.writeUInt32LE(sat(size), 22);
    }
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(localExtra.length, 28);
    const parts = [local, name, localExtra, compressed];
    if (entry.dataDescriptor) {
      const descriptor = Buffer.alloc(16);
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc, 4);
      descriptor.writeUInt32LE(compressed.length, 8);
      descriptor.writeUInt32LE(size, 12);
      parts.push(entry.dataDescriptor === 'signed' ? descriptor : descriptor.subarray(4));
    }
    const localRecord = Buffer.concat(parts);

    const centralExtra = zip64Extra(size, compressed.length, offset);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(sat(compressed.length), 20);
    central.writeUInt32LE(sat(size), 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(centralExtra.length, 30);
    central.writeUInt32LE(sat(offset), 42);
    centrals.push(Buffer.concat([central, name, centralExtra]));
    locals.push(localRecord);
    offset += localRecord.length;
  }
  const directory = Buffer.concat(centrals);
  const comment = Buffer.from(options.comment ?? '');
  const tail: Buffer[] = [];
  if (options.zip64End) {
    const end64 = Buffer.alloc(56);
    end64.writeUInt32LE(0x06064b50, 0);
    end64.writeBigUInt64LE(44n, 4);
    end64.writeUInt16LE(45, 12);
    end64.writeUInt16LE(45, 14);
    end64.writeBigUInt64LE(BigInt(entries.length), 24);
    end64.writeBigUInt64LE(BigInt(entries.length), 32);
    end64.writeBigUInt64LE(BigInt(directory.length), 40);
    end64.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + directory.length), 8);
    locator.writeUInt32LE(1, 16);
    tail.push(end64, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(options.zip64End ? 0xffff : entries.length, 8);
  end.writeUInt16LE(options.zip64End ? 0xffff : entries.length, 10);
  end.writeUInt32LE(options.zip64End ? 0xffffffff : directory.length, 12);
  end.writeUInt32LE(options.zip64End ? 0xffffffff : offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([
    options.prefix ?? Buffer.alloc(0),
    ...locals,
    directory,
    ...tail,
    end,
    comment,
  ]);
}

const asText = (entries: { name: string; data: Buffer }[]): [string, string][] =>
  entries.map((e) => [e.name, e.data.toString('utf8')]);

const longText = Array.from({ length: 5000 }, (_, i) => `line ${i} ${i % 7}`).join('\n');

describe('crc32', () => {
  it.each([
    ['', 0],
    ['123456789', 0xcbf43926],
    ['The quick brown fox jumps over the lazy dog', 0x414fa339],
  ])('crc32(%j)', (input, expected) => {
    expect(crc32(Buffer.from(input))).toBe(expected);
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
