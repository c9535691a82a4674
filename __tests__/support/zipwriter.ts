// Minimal zip writer for fixture module zips. Hand-rolled because the tests may depend only
// on Node built-ins; the CRC-32 comes from the action's own zip code.
import { deflateRawSync } from 'node:zlib';
import { crc32 } from '../../src/gomod/zip.js';

export { crc32 };

export interface ZipEntry {
  name: string;
  data: Buffer | string;
}

// A fixed DOS timestamp (2024-01-01 00:00) keeps fixture zips byte-for-byte reproducible.
const DOS_TIME = 0;
const DOS_DATE = ((2024 - 1980) << 9) | (1 << 5) | 1;

/**
 * Writes only file entries, never directory entries: Go hashes the zip's entry list for
 * the h1: sum, and a zip with directory entries would hash differently from the tree
 * `go mod download` extracts.
 */
export function writeZip(files: ZipEntry[], opts: { deflate?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    if (file.name.endsWith('/'))
      throw new Error(`writeZip: directory entry not allowed: ${file.name}`);
    const name = Buffer.from(file.name, 'utf8');
    const raw = typeof file.data === 'string' ? Buffer.from(file.data, 'utf8') : file.data;
    const method = opts.deflate ? 8 : 0;
    const body = opts.deflate ? deflateRawSync(raw) : raw;
    const crc = crc32(raw);

    // The local and central headers share this run of fields, 2 bytes later in the central one.
    const writeFields = (header: Buffer, at: number): void => {
      header.writeUInt16LE(20, at); // version needed
      header.writeUInt16LE(0x0800, at + 2); // flags: names are UTF-8
      header.writeUInt16LE(method, at + 4);
      header.writeUInt16LE(DOS_TIME, at + 6);
      header.writeUInt16LE(DOS_DATE, at + 8);
      header.writeUInt32LE(crc, at + 10);
      header.writeUInt32LE(body.length, at + 14);
      header.writeUInt32LE(raw.length, at + 18);
      header.writeUInt16LE(name.length, at + 22);
      // extra length: zero
    };

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeFields(local, 4);
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    writeFields(central, 6);
    // comment length, disk start, internal attrs: all zero
    central.writeUInt32LE(0, 38); // external attrs
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + body.length;
  }
  const centralDir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralDir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDir, end]);
}
