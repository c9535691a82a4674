// A zip writer for the zip reader's and hashers' tests, able to write the odd archives real
// writers produce (data descriptors, ZIP64, prepended bytes, comments) and broken ones.
import { deflateRawSync } from 'node:zlib';
import { crc32 } from '../../../src/gomod/zip.js';

export interface TestEntry {
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
  /** Override the recorded CRC-32. */
  crc?: number;
}

export interface ZipOptions {
  comment?: string;
  /** Bytes before the archive whose offsets do not account for them, like a self-extractor. */
  prefix?: Buffer;
  zip64End?: boolean;
}

// Just enough of a zip writer to build the archives these tests need, including odd ones.
export function writeZip(entries: TestEntry[], options: ZipOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = Buffer.from(entry.data ?? '');
    const method = entry.method ?? 0;
    const compressed = entry.raw ?? (method === 8 ? deflateRawSync(data) : data);
    const name = Buffer.from(entry.name);
    const crc = entry.crc ?? crc32(data);
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

const METHOD_DEFLATE = 8;
const MIB = 1024 * 1024;

/** Go-like text of exactly `length` bytes, the same every time for the same seed. */
export function goText(length: number, seed = 1): Buffer {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < length; i++) {
    const n = (i * 7919 + seed * 104729) % 9973;
    const line = `\tif err := step${n % 97}(ctx, buf[${n}:]); err != nil { return fmt.Errorf("step ${n}: %w", err) }\n`;
    lines.push(line);
    size += line.length;
  }
  return Buffer.from(lines.join('').slice(0, length));
}

/**
 * Well-formed archives of every shape the hashers must agree on, each with its `h1:` hash pinned
 * (the hasher tests check the pins against dirhash.HashZip from golang.org/x/mod).
 */
export function acceptedZips(): { name: string; zip: Buffer; h1: string }[] {
  const deflate = (name: string, data: Buffer | string): TestEntry => ({
    name,
    data,
    method: METHOD_DEFLATE,
  });
  return [
    {
      name: 'stored files',
      zip: writeZip([
        { name: 'm@v1.0.0/go.mod', data: 'module m\n' },
        { name: 'm@v1.0.0/m.go', data: goText(5000) },
      ]),
      h1: 'h1:Y+7B+kF+6cOuRdWwkWJXH/ci80658jj+rVkQUfT48G0=',
    },
    {
      name: 'deflated files',
      zip: writeZip([
        deflate('m@v1.0.0/go.mod', 'module m\n'),
        deflate('m@v1.0.0/m.go', goText(5000)),
        deflate('m@v1.0.0/big/table.go', goText(300_000, 2)),
      ]),
      h1: 'h1:nUN2nyopmNrLY2uZYj0sb3ALMUfUdqph+VOZb7RTS88=',
    },
    {
      name: 'an empty archive',
      zip: writeZip([]),
      h1: 'h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
    },
    {
      name: 'empty files, stored and deflated',
      zip: writeZip([{ name: 'm@v1/a' }, deflate('m@v1/b', ''), { name: 'm@v1/c', data: 'c' }]),
      h1: 'h1:FLpBLKOjfXdlCzM+xMBD4TLCZMoqqvOLUrvXATsYPAs=',
    },
    {
      name: 'a duplicated name',
      zip: writeZip([
        { name: 'm@v1/dup.go', data: 'first' },
        deflate('m@v1/x.go', 'x'),
        deflate('m@v1/dup.go', 'second'),
      ]),
      h1: 'h1:5I948y24t3rN7OC/depOw14cWhLEnzuWkpRYgZYJ0fE=',
    },
    {
      name: 'directory entries',
      zip: writeZip([
        { name: 'm@v1/' },
        { name: 'm@v1/dir/' },
        deflate('m@v1/dir/a.go', 'package dir\n'),
        // Go tolerates compressed bytes on a directory entry as long as it has no content.
        { name: 'm@v1/jar/', raw: Buffer.from([0x03, 0x00]), method: METHOD_DEFLATE, size: 0 },
      ]),
      h1: 'h1:2HkINSpnU4aSL2O9EFbG3lAWmPQUtjH4qcU/s8b1Z7w=',
    },
    {
      // Orders that differ between UTF-16 code units and UTF-8 bytes.
      name: 'non-ASCII names',
      zip: writeZip([
        deflate('m@v1/\uff01.txt', 'fullwidth'),
        deflate('m@v1/\u{1f600}.txt', 'emoji'),
        { name: 'm@v1/caf\u00e9/a.go', data: 'cafe' },
        { name: 'm@v1/a-b.go', data: 'a-b' },
        { name: 'm@v1/a/b.go', data: 'a/b' },
      ]),
      h1: 'h1:Q3HnvjZdripfpNLVXygV2iTUBepthtfnGQLZ4itvUjE=',
    },
    {
      // Orders that agree between UTF-16 code units and UTF-8 bytes, though not ASCII.
      name: 'non-ASCII names below U+D800',
      zip: writeZip([
        deflate('m@v1/\u00fcber.go', 'uber'),
        { name: 'm@v1/\u03a9/omega.go', data: 'omega' },
        { name: 'm@v1/caf\u00e9.go', data: 'cafe' },
        { name: 'm@v1/cafe.go', data: 'cafe' },
        { name: 'm@v1/\u4e2d\u6587.go', data: 'zhongwen' },
      ]),
      h1: 'h1:B0Icai3i1TagokU0FxKhGBr1y+fBOX6bH/jhgVUksMM=',
    },
    {
      name: 'data descriptors, signed and not',
      zip: writeZip([
        { ...deflate('m@v1/a.go', goText(20_000)), dataDescriptor: 'signed' },
        { name: 'm@v1/b.go', data: 'bee', dataDescriptor: 'unsigned' },
      ]),
      h1: 'h1:O5lVerY6fIL1UnuWbZyQ+EO8fnZSakTvtan463FLc7g=',
    },
    {
      name: 'ZIP64 records',
      zip: writeZip(
        [
          { name: 'm@v1/a.go', data: 'first', zip64: true },
          { ...deflate('m@v1/b.go', goText(70_000, 3)), zip64: true },
        ],
        { zip64End: true },
      ),
      h1: 'h1:LLtAFA8x6t18Zz9INaczCRpBhzEXjG3OQLeJBN1dug4=',
    },
    {
      name: 'prepended bytes and a comment',
      zip: writeZip([deflate('m@v1/a.go', goText(9000, 8))], {
        prefix: Buffer.from('#!/bin/sh\nexit 0\n'),
        comment: 'a comment',
      }),
      h1: 'h1:kmMoqeAyXUSH2+/Uy5xUWor7rYybP/i805mcgJKWBWk=',
    },
    {
      // Go skips the CRC comparison when none was recorded.
      name: 'no recorded CRC',
      zip: writeZip([{ ...deflate('m@v1/a.go', 'package a\n'), crc: 0 }]),
      h1: 'h1:p1GCxKgcfzkbCBrYMDlCER76gFZysNQ8suHhsO4yeWY=',
    },
    {
      // zlib hands inflated output over in chunks of at most 1 MiB.
      name: 'entries around 1 MiB',
      zip: writeZip([
        deflate('m@v1/below', goText(MIB - 1, 4)),
        deflate('m@v1/exact', goText(MIB, 5)),
        deflate('m@v1/above', goText(MIB + 1, 6)),
        deflate('m@v1/large', goText(3 * MIB, 7)),
      ]),
      h1: 'h1:ZBOVO49QYSJOxKYrRYDsaHG/gBk5n4fG6szOzcn0bJU=',
    },
    {
      name: 'many small files',
      zip: writeZip(
        Array.from({ length: 600 }, (_, i) =>
          i % 3 === 0
            ? { name: `m@v1/p${i % 7}/f${i}.go`, data: goText(i * 3, i) }
            : deflate(`m@v1/p${i % 7}/f${i}.go`, goText(i * 11, i)),
        ),
      ),
      h1: 'h1:8qcanVukNJ4ldy67DfBG4vBqJmXoFwCQcGvZrgF2vs4=',
    },
  ];
}

/**
 * Archives whose structure is broken, which every reader must refuse (never hash, hang or
 * crash on), each for one reason.
 */
export function rejectedZips(): { name: string; zip: Buffer }[] {
  const text = goText(40_000);
  const good = writeZip([{ name: 'm@v1/a.go', data: text, method: METHOD_DEFLATE }]);
  const badLocal = writeZip([{ name: 'm@v1/a.go', data: 'A' }]);
  badLocal.writeUInt32LE(0, 0);
  return [
    { name: 'an HTML page', zip: Buffer.from('<!DOCTYPE html><html><body>502</body></html>\n') },
    { name: 'an empty file', zip: Buffer.alloc(0) },
    { name: 'a truncated zip', zip: good.subarray(0, good.length - 30) },
    { name: 'a zip cut in its data', zip: good.subarray(0, 500) },
    { name: 'a zip cut after its first bytes', zip: good.subarray(0, 40) },
    {
      name: 'a corrupt deflate stream',
      zip: writeZip([{ name: 'm@v1/a.go', data: text, method: 8, raw: Buffer.from([7, 0]) }]),
    },
    {
      name: 'truncated deflate data',
      zip: writeZip([
        { name: 'm@v1/a.go', data: text, method: 8, raw: deflateRawSync(text).subarray(0, 99) },
      ]),
    },
    {
      name: 'an entry inflating past its size',
      zip: writeZip([{ name: 'm@v1/a.go', data: text, method: 8, size: 100 }]),
    },
    {
      name: 'an entry shorter than its size',
      zip: writeZip([{ name: 'm@v1/a.go', data: text, method: 8, size: text.length + 1 }]),
    },
    {
      name: 'an unsupported method',
      zip: writeZip([{ name: 'm@v1/a.bz2', data: 'x', method: 12 }]),
    },
    { name: 'a directory with content', zip: writeZip([{ name: 'm@v1/dir/', data: 'x' }]) },
    { name: 'a newline in a name', zip: writeZip([{ name: 'm@v1/a\nb.go', data: 'x' }]) },
    { name: 'a bad local header', zip: badLocal },
  ];
}

/**
 * Archives with one byte of content altered after they were written, with the `h1:` hash of the
 * content as written. The zip reader refuses them by their CRC-32; a hasher that leaves the CRC
 * to the `h1:` comparison either refuses them or hashes them to something else.
 */
export function alteredZips(): { name: string; zip: Buffer; h1: string }[] {
  const text = goText(40_000);
  const deflated = writeZip([{ name: 'm@v1/a.go', data: text, method: METHOD_DEFLATE }]);
  const stored = writeZip([{ name: 'm@v1/a.go', data: text }]);
  const dataStart = 30 + 'm@v1/a.go'.length;
  const flip = (zip: Buffer, at: number): Buffer => {
    const altered = Buffer.from(zip);
    altered[at] ^= 0x01;
    return altered;
  };
  const written = 'h1:MrSncK8eS7hlLGwgNndoDPyhLyCooG7hmIW8kTdHCwU=';
  return [
    {
      name: 'a flipped byte early in deflated data',
      zip: flip(deflated, dataStart + 200),
      h1: written,
    },
    {
      name: 'a flipped byte late in deflated data',
      zip: flip(deflated, dataStart + (deflated.length - dataStart) / 2 + 1000),
      h1: written,
    },
    { name: 'a flipped byte in stored data', zip: flip(stored, dataStart + 12_345), h1: written },
  ];
}

/**
 * Archives whose content is as written but whose recorded CRC-32 is wrong, with the `h1:` hash
 * of that content and the same archive with the right CRC-32. The go command refuses them; a
 * hasher whose result is compared with go.sum may hash them, since a matching `h1:` proves the
 * content.
 */
export function crcOnlyZips(): { name: string; zip: Buffer; repaired: Buffer; h1: string }[] {
  const cases: { name: string; entry: TestEntry; h1: string }[] = [
    {
      name: 'a wrong CRC with the right content',
      entry: { name: 'm@v1/a.go', data: goText(40_000), method: METHOD_DEFLATE },
      h1: 'h1:MrSncK8eS7hlLGwgNndoDPyhLyCooG7hmIW8kTdHCwU=',
    },
    {
      name: 'a wrong CRC in a data descriptor',
      entry: { name: 'm@v1/a.go', data: 'a', dataDescriptor: 'signed' },
      h1: 'h1:zNV75wlOKLZAITmiHOTBzbC7FJAFlTVDiWU8SrLbTqM=',
    },
  ];
  return cases.map(({ name, entry, h1 }) => ({
    name,
    zip: writeZip([{ ...entry, crc: 12345 }]),
    repaired: writeZip([entry]),
    h1,
  }));
}
