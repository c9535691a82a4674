// Reading a .tar.gz bundle into its entries and packing entries back, so that tests can tamper
// with one file and leave the rest as the bundle command wrote it; and bundles that inflate far
// beyond their size on disk.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { BUNDLE_FORMAT, type BundleFile } from '../../src/bundle/manifest.js';
import { entryHeader, entryPadding, TAR_END } from '../../src/bundle/tar.js';

const MiB = 1024 ** 2;

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

/** A manifest.json that lists `files` and holds no module or tool. */
export function bundleManifest(files: BundleFile[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      format: BUNDLE_FORMAT,
      createdAt: '2026-11-23T00:00:00Z',
      createdBy: 'test',
      files,
      modules: [],
      tools: [],
    }),
  );
}

/** What the manifest lists for `size` zeros at `path`, sha256 included. */
export function listZeros(path: string, size: number): BundleFile {
  const hash = createHash('sha256');
  const mib = Buffer.alloc(MiB);
  for (let left = size; left > 0; left -= MiB) hash.update(mib.subarray(0, Math.min(left, MiB)));
  return { path, size, sha256: hash.digest('hex') };
}

/**
 * A .tar.gz whose manifest lists `listed` and whose one entry after it is `entry`, holding
 * `zeros` bytes of zeros (a whole number of MiB). It is made of gzip members that each inflate
 * a MiB: about a KiB on disk per MiB unpacked, written without ever holding the zeros.
 */
export function packZeros(file: string, listed: BundleFile[], entry: string, zeros: number): void {
  const out = fs.openSync(file, 'w');
  const mib = zlib.gzipSync(Buffer.alloc(MiB));
  const manifest = bundleManifest(listed);
  try {
    const head = Buffer.concat([
      entryHeader({ path: 'manifest.json', size: manifest.length, type: 'file' }),
      manifest,
      entryPadding(manifest.length),
      entryHeader({ path: entry, size: zeros, type: 'file' }),
    ]);
    fs.writeSync(out, zlib.gzipSync(head));
    for (let i = 0; i < zeros / MiB; i++) fs.writeSync(out, mib);
    fs.writeSync(out, zlib.gzipSync(Buffer.concat([entryPadding(zeros), TAR_END])));
  } finally {
    fs.closeSync(out);
  }
}
