// Reading a .tar.gz bundle into its entries and packing entries back, so that tests can tamper
// with one file and leave the rest as the bundle command wrote it.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { entryHeader, entryPadding, TAR_END } from '../../src/bundle/tar.js';

export function bundleEntries(file: string): Map<string, Buffer> {
  const tar = zlib.gunzipSync(fs.readFileSync(file));
  const out = new Map<string, Buffer>();
  let at = 0;
  let longName: string | undefined;
  while (at + 512 <= tar.length) {
    const h = tar.subarray(at, at + 512);
    if (h.every((b) => b === 0)) break;
    const size = parseInt(h.subarray(124, 136).toString('latin1').replace(/\0.*$/s, ''), 8);
    const type = String.fromCharCode(h[156]);
    const body = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      longName = /path=(.*)\n/.exec(body.toString())?.[1];
      continue;
    }
    const name = longName ?? h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    longName = undefined;
    out.set(name, Buffer.from(body));
  }
  return out;
}

export function packBundle(file: string, entries: Map<string, Buffer>): void {
  const parts: Buffer[] = [];
  for (const [p, body] of entries) {
    parts.push(
      entryHeader({ path: p, size: body.length, type: 'file' }),
      body,
      entryPadding(body.length),
    );
  }
  parts.push(TAR_END);
  fs.writeFileSync(file, zlib.gzipSync(Buffer.concat(parts)));
}
