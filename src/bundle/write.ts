import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { compressInto, compressionFor } from '../tar/compression.js';
import { BUNDLE_FORMAT, MANIFEST_NAME, type BundleFile, type Manifest } from './manifest.js';
import { entryHeader, entryPadding, TAR_END } from './tar.js';

export type ManifestFields = Omit<Manifest, 'format' | 'files'>;

/** Every file under `dir`, relative with `/`, sorted: the order a bundle lists and holds them. */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const d of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) walk(child);
      else if (d.isFile()) out.push(child);
      else throw new Error(`${child}: not a regular file; a bundle holds only files`);
    }
  };
  walk('');
  return out.sort();
}

async function digest(file: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

function write(stream: Writable, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.write(chunk)) resolve();
    else {
      stream.once('drain', resolve);
      stream.once('error', reject);
    }
  });
}

/**
 * Writes the files under `stagingDir` and their manifest into the bundle `out`, compressed as
 * its name says. The archive is written under a temporary name beside `out` and renamed when
 * complete, so a failure never leaves a half-written bundle. Returns the manifest and the
 * archive's size and sha256.
 */
export async function writeBundle(
  out: string,
  stagingDir: string,
  fields: ManifestFields,
): Promise<{ manifest: Manifest; bytes: number; sha256: string }> {
  const compression = compressionFor(out);
  if (!compression) {
    throw new Error(
      `--out: "${out}" must end in .tar.zst or .tar.gz, which say how to compress it`,
    );
  }
  const files: BundleFile[] = [];
  for (const rel of listFiles(stagingDir)) {
    files.push({ path: rel, ...(await digest(path.join(stagingDir, rel))) });
  }
  const manifest: Manifest = { format: BUNDLE_FORMAT, ...fields, files };
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);

  const partial = `${out}.partial-${process.pid}`;
  try {
    const sink = fs.createWriteStream(partial);
    const { input, done } = compressInto(compression, sink);
    await write(
      input,
      entryHeader({ path: MANIFEST_NAME, size: manifestBytes.length, type: 'file' }),
    );
    await write(input, manifestBytes);
    await write(input, entryPadding(manifestBytes.length));
    for (const f of files) {
      await write(input, entryHeader({ path: f.path, size: f.size, type: 'file' }));
      let size = 0;
      for await (const chunk of fs.createReadStream(path.join(stagingDir, f.path))) {
        size += (chunk as Buffer).length;
        await write(input, chunk as Buffer);
      }
      if (size !== f.size) throw new Error(`${f.path} changed while the bundle was written`);
      await write(input, entryPadding(f.size));
    }
    await write(input, TAR_END);
    input.end();
    await done;
    const { size, sha256 } = await digest(partial);
    fs.renameSync(partial, out);
    return { manifest, bytes: size, sha256 };
  } finally {
    fs.rmSync(partial, { force: true });
  }
}
