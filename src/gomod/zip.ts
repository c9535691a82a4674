// A minimal in-memory zip reader, modelled on Go's archive/zip so that what it accepts and the
// bytes it yields match what the go command sees when it opens a module zip.
import { constants as bufferConstants } from 'node:buffer';
import zlib, { inflateRawSync, type ZlibOptions } from 'node:zlib';

/** One entry of a zip archive. */
export interface ZipEntry {
  /** Name as stored, decoded as UTF-8; directory entries end in '/'. */
  name: string;
  /** Uncompressed content; stored entries share memory with the input buffer. */
  data: Buffer;
}

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_LENGTH = 22;
const MAX_COMMENT_LENGTH = 0xffff;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_LENGTH = 20;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const ZIP64_EOCD_LENGTH = 56;
const ZIP64_EXTRA_ID = 0x0001;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const CENTRAL_HEADER_LENGTH = 46;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_LENGTH = 30;
const DATA_DESCRIPTOR_SIGNATURE = 0x08074b50;
const FLAG_DATA_DESCRIPTOR = 0x8;
const METHOD_STORE = 0;
const METHOD_DEFLATE = 8;
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;

interface DirectoryEnd {
  /** Where the (ZIP64) end record starts; recorded offsets are relative to the archive start. */
  offset: number;
  records: number;
  directorySize: number;
  directoryOffset: number;
}

/** An entry as the central directory records it. */
export interface CentralHeader {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Absolute position in the buffer. */
  localHeaderOffset: number;
}

/**
 * Reads every entry of a zip archive held in memory, decompressing stored and deflated entries
 * and verifying their sizes and CRC-32 checksums. Throws `zip: ...` Errors for anything that is
 * not a well-formed zip (for example an HTML error page served in place of a module zip).
 */
export function readZip(buf: Buffer): ZipEntry[] {
  return listZip(buf).map((header) => ({
    name: header.name,
    data: readEntryData(buf, header),
  }));
}

/**
 * Reads the central directory of a zip archive held in memory, without touching entry data.
 * Taken with locateEntry, decompress and checkLength for each entry, it accepts and rejects
 * what readZip does except for CRC-32 mismatches, for callers that prove the content by a
 * stronger hash; the decompressing may happen elsewhere (on a worker thread).
 */
export function listZip(buf: Buffer): CentralHeader[] {
  const end = readDirectoryEnd(buf);
  const baseOffset = findBaseOffset(buf, end);
  return readCentralDirectory(buf, end, baseOffset);
}

/** Computes the CRC-32 (IEEE 802.3, as used by zip and gzip) of `buf`. */
export const crc32: (buf: Buffer) => number =
  // zlib.crc32 (Node 20.15 and later) is native and runs at gigabytes a second.
  typeof zlib.crc32 === 'function' ? (buf) => zlib.crc32(buf) >>> 0 : crc32Js;

/** The table-driven CRC-32, for Node releases without zlib.crc32. */
export function crc32Js(buf: Buffer): number {
  let crc = U32_MAX;
  for (let i = 0; i < buf.length; i++) {
    crc = CRC_TABLE[(crc ^ buf[i]) & 0xff] ^ (crc >>> 8);
  }
  return (crc ^ U32_MAX) >>> 0;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function notZip(detail?: string): Error {
  return new Error(detail ? `zip: not a valid zip file: ${detail}` : 'zip: not a valid zip file');
}

function readDirectoryEnd(buf: Buffer): DirectoryEnd {
  const offset = findDirectoryEnd(buf);
  const end: DirectoryEnd = {
    offset,
    records: buf.readUInt16LE(offset + 10),
    directorySize: buf.readUInt32LE(offset + 12),
    directoryOffset: buf.readUInt32LE(offset + 16),
  };
  // Saturated fields mean the real values may live in a ZIP64 end record. Like Go, consult it
  // only when a locator is present, so a small archive that merely looks saturated still opens.
  if (end.records === U16_MAX || end.directorySize === U32_MAX || end.directoryOffset === U32_MAX) {
    const zip64Offset = findZip64DirectoryEnd(buf, offset);
    if (zip64Offset >= 0) readZip64DirectoryEnd(buf, zip64Offset, end);
  }
  return end;
}

function findDirectoryEnd(buf: Buffer): number {
  const lowest = Math.max(0, buf.length - EOCD_LENGTH - MAX_COMMENT_LENGTH);
  for (let i = buf.length - EOCD_LENGTH; i >= lowest; i--) {
    if (buf.readUInt32LE(i) !== EOCD_SIGNATURE) continue;
    // The comment may itself contain the signature bytes; a candidate whose comment would run
    // past the end of the file is not the real record, so keep looking further back.
    if (i + EOCD_LENGTH + buf.readUInt16LE(i + 20) <= buf.length) return i;
  }
  throw notZip();
}

function findZip64DirectoryEnd(buf: Buffer, eocdOffset: number): number {
  const at = eocdOffset - ZIP64_LOCATOR_LENGTH;
  if (at < 0 || buf.readUInt32LE(at) !== ZIP64_LOCATOR_SIGNATURE) return -1;
  // Multi-disk archives are not something a module proxy serves.
  if (buf.readUInt32LE(at + 4) !== 0 || buf.readUInt32LE(at + 16) !== 1) return -1;
  return readU64(buf, at + 8);
}

function readZip64DirectoryEnd(buf: Buffer, at: number, end: DirectoryEnd): void {
  if (at + ZIP64_EOCD_LENGTH > buf.length || buf.readUInt32LE(at) !== ZIP64_EOCD_SIGNATURE) {
    throw notZip('bad ZIP64 end of central directory record');
  }
  end.offset = at;
  end.records = readU64(buf, at + 32);
  end.directorySize = readU64(buf, at + 40);
  end.directoryOffset = readU64(buf, at + 48);
}

// Bytes prepended to the archive (self-extracting stubs, for instance) shift every offset the
// archive records; the central directory's known position relative to the end record reveals by
// how much.
function findBaseOffset(buf: Buffer, end: DirectoryEnd): number {
  const baseOffset = end.offset - end.directorySize - end.directoryOffset;
  const directoryStart = baseOffset + end.directoryOffset;
  if (directoryStart < 0 || directoryStart >= buf.length) {
    throw notZip('central directory offset out of range');
  }
  // Some writers record a wrong directory size; trust the offset as written if it points at a
  // central directory header, as Go does.
  if (baseOffset > 0 && signatureAt(buf, end.directoryOffset, CENTRAL_HEADER_SIGNATURE)) return 0;
  return baseOffset;
}

function readCentralDirectory(buf: Buffer, end: DirectoryEnd, baseOffset: number): CentralHeader[] {
  const headers: CentralHeader[] = [];
  let at = baseOffset + end.directoryOffset;
  // Like Go, read headers until the signature stops matching rather than trusting the count:
  // the 16-bit count field wraps for archives with more than 65535 entries.
  while (
    at + CENTRAL_HEADER_LENGTH <= buf.length &&
    signatureAt(buf, at, CENTRAL_HEADER_SIGNATURE)
  ) {
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const nameStart = at + CENTRAL_HEADER_LENGTH;
    const extraStart = nameStart + nameLength;
    const next = extraStart + extraLength + commentLength;
    if (next > buf.length) throw notZip('truncated central directory');
    const header: CentralHeader = {
      name: decodeName(buf.subarray(nameStart, extraStart)),
      flags: buf.readUInt16LE(at + 8),
      method: buf.readUInt16LE(at + 10),
      crc: buf.readUInt32LE(at + 16),
      compressedSize: buf.readUInt32LE(at + 20),
      uncompressedSize: buf.readUInt32LE(at + 24),
      localHeaderOffset: buf.readUInt32LE(at + 42),
    };
    applyZip64Extra(header, buf.subarray(extraStart, extraStart + extraLength));
    header.localHeaderOffset += baseOffset;
    headers.push(header);
    at = next;
  }
  if ((headers.length & U16_MAX) !== end.records % (U16_MAX + 1)) {
    throw notZip(`central directory has ${headers.length} entries, expected ${end.records}`);
  }
  return headers;
}

// Fields saturated at 0xFFFFFFFF hold their real value in the ZIP64 extra field, which lists only
// the saturated ones, in this fixed order.
function applyZip64Extra(header: CentralHeader, extra: Buffer): void {
  let needUncompressed = header.uncompressedSize === U32_MAX;
  let needCompressed = header.compressedSize === U32_MAX;
  let needOffset = header.localHeaderOffset === U32_MAX;
  let at = 0;
  while (at + 4 <= extra.length) {
    const id = extra.readUInt16LE(at);
    const size = extra.readUInt16LE(at + 2);
    const start = at + 4;
    const stop = start + size;
    if (stop > extra.length) break;
    at = stop;
    if (id !== ZIP64_EXTRA_ID) continue;
    let field = start;
    const next = (): number => {
      if (field + 8 > stop) throw notZip(`short ZIP64 extra field for ${header.name}`);
      const value = readU64(extra, field);
      field += 8;
      return value;
    };
    if (needUncompressed) {
      header.uncompressedSize = next();
      needUncompressed = false;
    }
    if (needCompressed) {
      header.compressedSize = next();
      needCompressed = false;
    }
    if (needOffset) {
      header.localHeaderOffset = next();
      needOffset = false;
    }
  }
  // An uncompressed size of exactly 0xFFFFFFFF is legal without ZIP64 (Go accepts it too); the
  // other two are not plausible and would send us to the wrong bytes.
  if (needCompressed || needOffset) {
    throw notZip(`ZIP64 sizes for ${header.name} are missing their extra field`);
  }
}

function readEntryData(buf: Buffer, header: CentralHeader): Buffer {
  const located = locateEntry(buf, header);
  if (!located) return Buffer.alloc(0);
  const data = decompress(located.raw, header);
  checkLength(header, data.length);
  checkChecksum(buf, header, located, crc32(data));
  return data;
}

/** Where an entry's stored bytes lie in the archive. */
export interface EntryLocation {
  /** Absolute position of the entry's bytes as stored (compressed or not). */
  start: number;
  /** Absolute position just past them, where a data descriptor would start. */
  end: number;
  /** The bytes from start to end; shares memory with the archive. */
  raw: Buffer;
}

/**
 * Checks an entry's local header and finds its stored bytes. Returns undefined for a directory
 * entry, whose content is empty.
 */
export function locateEntry(buf: Buffer, header: CentralHeader): EntryLocation | undefined {
  const { name } = header;
  const at = header.localHeaderOffset;
  if (at + LOCAL_HEADER_LENGTH > buf.length || !signatureAt(buf, at, LOCAL_HEADER_SIGNATURE)) {
    throw notZip(`bad local header for ${name}`);
  }
  // The local header's own name and extra lengths locate the data; they may legitimately differ
  // from the central directory's (extra fields often do).
  const dataStart =
    at + LOCAL_HEADER_LENGTH + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  if (name.endsWith('/')) {
    // Go tolerates compressed bytes on a directory (the jar tool writes them) but not content.
    if (header.uncompressedSize !== 0) throw new Error(`zip: directory entry ${name} has content`);
    return undefined;
  }
  const dataEnd = dataStart + header.compressedSize;
  if (dataEnd > buf.length) throw notZip(`data for ${name} runs past the end of the file`);
  return { start: dataStart, end: dataEnd, raw: buf.subarray(dataStart, dataEnd) };
}

/**
 * How to inflate an entry with zlib's inflateRaw, or undefined for a stored entry. Throws for a
 * compression method Go does not read.
 */
export function inflateOptions(header: CentralHeader): ZlibOptions | undefined {
  switch (header.method) {
    case METHOD_STORE:
      return undefined;
    case METHOD_DEFLATE:
      return {
        // Capping the output just past the declared size stops a zip bomb early instead of
        // after it has filled memory.
        maxOutputLength: Math.min(header.uncompressedSize + 1, bufferConstants.MAX_LENGTH),
        // An output chunk of the declared size (plus the byte that reveals a longer entry)
        // inflates in one call without concatenation; the cap keeps a lying size from
        // reserving memory up front.
        chunkSize: Math.min(Math.max(header.uncompressedSize + 1, MIN_CHUNK), MAX_CHUNK),
      };
    default:
      throw new Error(`zip: unsupported compression method ${header.method} in ${header.name}`);
  }
}

const MIN_CHUNK = 64; // zlib.constants.Z_MIN_CHUNK
const MAX_CHUNK = 1 << 20;

/** Decompresses an entry's stored bytes. */
export function decompress(raw: Buffer, header: CentralHeader): Buffer {
  const options = inflateOptions(header);
  if (!options) return raw;
  try {
    return inflateRawSync(raw, options);
  } catch (err) {
    throw inflateError(err, header);
  }
}

/** The zip error for an entry that zlib failed to inflate with `err`. */
export function inflateError(err: unknown, header: CentralHeader): Error {
  if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
    return new Error(`zip: ${header.name} inflates past its declared size`, { cause: err });
  }
  // Not `instanceof Error`: zlib's errors come from another realm under Jest and from a worker.
  const message = (err as { message?: unknown }).message;
  const reason = typeof message === 'string' ? message : String(err);
  return new Error(`zip: corrupt deflate data in ${header.name}: ${reason}`, { cause: err });
}

/** Checks an entry's decompressed length against the size the archive records for it. */
export function checkLength(header: CentralHeader, length: number): void {
  if (length !== header.uncompressedSize) {
    const { name, uncompressedSize: expected } = header;
    throw new Error(`zip: size mismatch in ${name}: got ${length} bytes, expected ${expected}`);
  }
}

// Compares the content's CRC-32 with the one recorded for it, including the copy in a data
// descriptor after the stored bytes.
function checkChecksum(
  buf: Buffer,
  header: CentralHeader,
  located: EntryLocation,
  crc: number,
): void {
  const { name } = header;
  if (header.flags & FLAG_DATA_DESCRIPTOR) {
    // Streaming writers repeat the CRC after the data, optionally behind a signature.
    let at = located.end;
    if (at + 4 <= buf.length && buf.readUInt32LE(at) === DATA_DESCRIPTOR_SIGNATURE) at += 4;
    if (at + 4 > buf.length) throw notZip(`truncated data descriptor for ${name}`);
    if (buf.readUInt32LE(at) !== header.crc || crc !== header.crc) {
      throw new Error(`zip: checksum error in ${name}`);
    }
    return;
  }
  // Go skips the comparison when no CRC was recorded; some writers leave it zero.
  if (header.crc !== 0 && crc !== header.crc) {
    throw new Error(`zip: checksum error in ${name}`);
  }
}

function decodeName(raw: Buffer): string {
  const name = raw.toString('utf8');
  // Hashes are computed over the exact name bytes; a lossy decode would silently change them.
  if (!Buffer.from(name, 'utf8').equals(raw)) {
    throw new Error(`zip: file name ${JSON.stringify(name)} is not valid UTF-8`);
  }
  return name;
}

function signatureAt(buf: Buffer, at: number, signature: number): boolean {
  return at >= 0 && at + 4 <= buf.length && buf.readUInt32LE(at) === signature;
}

function readU64(buf: Buffer, at: number): number {
  const value = buf.readBigUInt64LE(at);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw notZip('64-bit offset out of range');
  return Number(value);
}
