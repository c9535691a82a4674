// Just enough zip reading to rewrite fixture zips (the 'wrongZip' fault); reads the central
// directory, so it handles the zips writeZip produces and ordinary ones alike.
import { inflateRawSync } from 'node:zlib';

export function readZip(zip: Buffer): { name: string; data: Buffer }[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('readZip: no end of central directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let pos = zip.readUInt32LE(eocd + 16);
  const entries: { name: string; data: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(pos) !== 0x02014b50) throw new Error('readZip: bad central header');
    const method = zip.readUInt16LE(pos + 10);
    const compressedSize = zip.readUInt32LE(pos + 20);
    const nameLen = zip.readUInt16LE(pos + 28);
    const extraLen = zip.readUInt16LE(pos + 30);
    const commentLen = zip.readUInt16LE(pos + 32);
    const localOffset = zip.readUInt32LE(pos + 42);
    const name = zip.subarray(pos + 46, pos + 46 + nameLen).toString('utf8');
    const localNameLen = zip.readUInt16LE(localOffset + 26);
    const localExtraLen = zip.readUInt16LE(localOffset + 28);
    const start = localOffset + 30 + localNameLen + localExtraLen;
    const body = zip.subarray(start, start + compressedSize);
    if (method !== 0 && method !== 8) throw new Error(`readZip: unsupported method ${method}`);
    entries.push({ name, data: method === 8 ? inflateRawSync(body) : Buffer.from(body) });
    pos += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}
