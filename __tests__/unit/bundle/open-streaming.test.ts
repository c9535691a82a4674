// Opening a bundle holds every entry to the manifest as it streams, and the whole archive to
// its cap: what a hostile archive carries is refused before it reaches the disk.
import { afterAll, afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { BundleCap } from '../../../src/bundle/cap.js';
import { compressInto } from '../../../src/tar/compression.js';
import { BundleError, type BundleFile } from '../../../src/bundle/manifest.js';
import { openBundle } from '../../../src/bundle/open.js';
import { entryHeader, entryPadding, TAR_END } from '../../../src/bundle/tar.js';
import { bundleManifest, packZeros } from '../../support/bundle-files.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-stream-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const MiB = 1024 ** 2;
const CAP: BundleCap = { bytes: 64 * MiB, setting: '--max-size' };
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

const listing = (p: string, body: string): BundleFile => ({
  path: p,
  size: Buffer.byteLength(body),
  sha256: sha(body),
});

const fileEntry = (p: string, body: Buffer | string): Buffer => {
  const b = Buffer.from(body);
  return Buffer.concat([
    entryHeader({ path: p, size: b.length, type: 'file' }),
    b,
    entryPadding(b.length),
  ]);
};
const dirEntry = (p: string): Buffer => entryHeader({ path: p, size: 0, type: 'directory' });

function gz(name: string, ...entries: Buffer[]): string {
  const file = path.join(root, `${name}-${Math.random().toString(36).slice(2)}.tar.gz`);
  fs.writeFileSync(file, zlib.gzipSync(Buffer.concat([...entries, TAR_END])));
  return file;
}

function bomb(name: string, listed: BundleFile[], entry: string, zeros: number): string {
  const file = path.join(root, `${name}.tar.gz`);
  packZeros(file, listed, entry, zeros);
  return file;
}

/** Every path the code under test opened, read from a spy that lets each open through. */
let opens: jest.SpiedFunction<typeof fs.promises.open>;
beforeEach(() => {
  opens = jest.spyOn(fs.promises, 'open');
});
afterEach(() => opens.mockRestore());
const opened = (dest: string) =>
  opens.mock.calls.map((c) => path.relative(dest, String(c[0]))).filter((p) => !p.startsWith('..'));

async function refused(
  file: string,
  cap = CAP,
): Promise<{ message: string; dest: string; ms: number }> {
  const dest = path.join(root, `open-${Math.random().toString(36).slice(2)}`);
  const started = Date.now();
  try {
    await openBundle(file, dest, { cap });
  } catch (err) {
    expect(err).toBeInstanceOf(BundleError);
    expect(fs.existsSync(dest)).toBe(false);
    return { message: (err as Error).message, dest, ms: Date.now() - started };
  }
  throw new Error('expected the bundle to be refused');
}

describe('opening a bundle as it streams', () => {
  const a = listing('notes/a.txt', 'first file\n');
  const b = listing('notes/b.txt', 'second file\n');

  it('unpacks what the manifest lists, with the directories they are in', async () => {
    const file = gz(
      'good',
      fileEntry('manifest.json', bundleManifest([a, b])),
      dirEntry('notes'),
      fileEntry('notes/a.txt', 'first file\n'),
      fileEntry('notes/b.txt', 'second file\n'),
    );
    const dest = path.join(root, 'open-good');
    const got = await openBundle(file, dest, { cap: CAP });
    expect(got.bytes).toBe(a.size + b.size);
    expect(fs.readFileSync(path.join(dest, 'notes', 'b.txt'), 'utf8')).toBe('second file\n');
    expect(opened(dest)).toEqual(['notes/a.txt', 'notes/b.txt']);
  });

  it('refuses an archive whose first entry is not manifest.json, writing nothing', async () => {
    const file = gz(
      'late-manifest',
      fileEntry('notes/a.txt', 'first file\n'),
      fileEntry('manifest.json', bundleManifest([a])),
    );
    const { message, dest } = await refused(file);
    expect(message).toContain(
      `${file}: notes/a.txt: the archive's first entry; manifest.json must come first`,
    );
    expect(opened(dest)).toEqual([]);
  });

  it('refuses an entry the manifest does not list before any of its bytes are written', async () => {
    const file = gz(
      'unlisted',
      fileEntry('manifest.json', bundleManifest([a])),
      fileEntry('notes/a.txt', 'first file\n'),
      fileEntry('notes/evil.sh', 'rm -rf ~\n'),
    );
    const { message, dest } = await refused(file);
    expect(message).toBe(
      `${file} does not match its manifest:\n  - notes/evil.sh: in the bundle but not listed in manifest.json`,
    );
    // The listed file before it went through the same open: the spy sees writes.
    expect(opened(dest)).toEqual(['notes/a.txt']);
  });

  it('refuses a directory that holds no listed file', async () => {
    const file = gz('stray-dir', fileEntry('manifest.json', bundleManifest([a])), dirEntry('bin'));
    expect((await refused(file)).message).toContain(
      '  - bin/: a directory that holds no file listed in manifest.json',
    );
  });

  it('refuses an entry of another size than listed before any of its bytes are written', async () => {
    const file = gz(
      'resized',
      fileEntry('manifest.json', bundleManifest([a])),
      fileEntry('notes/a.txt', 'first file, longer\n'),
    );
    const { message, dest } = await refused(file);
    expect(message).toContain(`  - notes/a.txt: 19 bytes, the manifest says ${a.size}`);
    expect(opened(dest)).toEqual([]);
  });

  it('refuses an entry of another sha256 as soon as it ends, and keeps none of it', async () => {
    const file = gz(
      'changed',
      fileEntry('manifest.json', bundleManifest([a, b])),
      fileEntry('notes/a.txt', 'first filE\n'),
      fileEntry('notes/b.txt', 'second file\n'),
    );
    const { message, dest } = await refused(file);
    expect(message).toContain(
      `  - notes/a.txt: sha256 is ${sha('first filE\n')}, the manifest says ${a.sha256}`,
    );
    // It stopped there: the next entry was never opened.
    expect(opened(dest)).toEqual(['notes/a.txt']);
  });

  it('stops a zstd bundle at a refusal as it stops a gzip one', async () => {
    const zeros = Buffer.alloc(64 * MiB);
    const tar = Buffer.concat([
      fileEntry('manifest.json', bundleManifest([a])),
      fileEntry('notes/evil.sh', 'rm -rf ~\n'),
      fileEntry('zeros', zeros),
      TAR_END,
    ]);
    const file = path.join(root, 'unlisted.tar.zst');
    const { input, done } = compressInto('zstd', fs.createWriteStream(file));
    input.end(tar);
    await done;
    const { message, dest } = await refused(file);
    expect(message).toContain('  - notes/evil.sh: in the bundle but not listed in manifest.json');
    expect(opened(dest)).toEqual([]);
  });

  it('refuses a listed file the archive lacks, after reading it all', async () => {
    const file = gz(
      'missing',
      fileEntry('manifest.json', bundleManifest([a, b])),
      fileEntry('notes/a.txt', 'first file\n'),
    );
    expect((await refused(file)).message).toContain(
      '  - notes/b.txt: listed in manifest.json but not in the bundle',
    );
  });
});

describe('the cap on a bundle', () => {
  it('refuses a file larger than the cap before opening it', async () => {
    const a = listing('a', 'x'.repeat(4096));
    const file = gz(
      'large',
      fileEntry('manifest.json', bundleManifest([a])),
      fileEntry('a', 'x'.repeat(4096)),
    );
    const size = fs.statSync(file).size;
    const { message, dest } = await refused(file, { bytes: size - 1, setting: '--max-size' });
    expect(message).toBe(
      `${file} is ${size} bytes, over the cap of ${size - 1} bytes; raise --max-size if the bundle is meant to be this large`,
    );
    expect(opened(dest)).toEqual([]);
  });

  it('refuses a manifest that lists more than the cap, before anything is inflated', async () => {
    const zeros = 1024 * MiB;
    const listed = { path: 'zeros', size: zeros, sha256: sha('') };
    const file = bomb('honest-bomb', [listed], 'zeros', zeros);
    // A GiB unpacked, about a MiB on disk.
    expect(fs.statSync(file).size).toBeLessThan(2 * MiB);
    const { message, dest, ms } = await refused(file, { bytes: 16 * MiB, setting: '--max-size' });
    expect(message).toMatch(
      /manifest\.json: its files and itself come to \d+ bytes, over the cap of 16 MiB; raise --max-size if the bundle is meant to be this large/,
    );
    expect(opened(dest)).toEqual([]);
    expect(ms).toBeLessThan(2000);
  });

  it('refuses an entry that inflates past the cap at its header, whatever the manifest says', async () => {
    const zeros = 1024 * MiB;
    const small = { path: 'zeros', size: 10, sha256: sha('') };
    const file = bomb('lying-bomb', [small], 'zeros', zeros);
    const capped = await refused(file, { bytes: 16 * MiB, setting: '--max-size' });
    expect(capped.message).toContain('more than 16777216 bytes (at zeros), over the cap of 16 MiB');
    expect(capped.message).toContain('raise --max-size');
    expect(opened(capped.dest)).toEqual([]);
    expect(capped.ms).toBeLessThan(2000);
    // Under a cap it fits, the manifest's size refuses it just as early.
    const listedSize = await refused(file, { bytes: 4 * zeros, setting: '--max-size' });
    expect(listedSize.message).toContain(`  - zeros: ${zeros} bytes, the manifest says 10`);
    expect(opened(listedSize.dest)).toEqual([]);
    expect(listedSize.ms).toBeLessThan(2000);
  });
});
