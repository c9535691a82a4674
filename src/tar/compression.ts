// The two compressions a bundle may use. gzip is in every Node. zstd is in Node's zlib from
// Node 22.15 (runners run Node 24); on an older Node the `zstd` program does the work.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { pipeline, type Readable, type Writable } from 'node:stream';
import zlib from 'node:zlib';

export type Compression = 'gzip' | 'zstd';

/** Which compression a bundle's file name asks for, or undefined for a name that says neither. */
export function compressionFor(name: string): Compression | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz')) return 'gzip';
  if (lower.endsWith('.tar.zst') || lower.endsWith('.tar.zstd') || lower.endsWith('.tzst')) {
    return 'zstd';
  }
  return undefined;
}

/** Which compression a bundle's first bytes show: gzip's and zstd's magic numbers. */
export function sniffCompression(head: Buffer): Compression | undefined {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return undefined;
}

type ZlibWithZstd = typeof zlib & {
  createZstdCompress?: (opts?: object) => zlib.Gzip;
  createZstdDecompress?: () => zlib.Gunzip;
};

/** A stream that compresses what is written to it into `out`. Resolves when `out` is flushed. */
export function compressInto(
  compression: Compression,
  out: Writable,
): { input: Writable; done: Promise<void> } {
  if (compression === 'gzip') return through(zlib.createGzip({ level: 6 }), out);
  const z = zlib as ZlibWithZstd;
  if (z.createZstdCompress) return through(z.createZstdCompress(), out);
  return throughProgram(['-q', '-c', '-T0', '-'], out, 'compress');
}

/**
 * The decompressed bytes of `file`. A reader that stops early destroys the stream, and that
 * closes the file and stops the decompression: a refused bundle is never inflated further.
 */
export function decompressFile(compression: Compression, file: string): Readable {
  return decompressStream(compression, createReadStream(file), file);
}

/**
 * The decompressed bytes of `input`. An error of the input (a download that stalls, say) or of
 * the decompression ends the output with that error; a reader that stops early destroys the
 * output, which stops the decompression and closes the input.
 */
export function decompressStream(
  compression: Compression,
  input: Readable,
  name = 'the archive',
): Readable {
  const z = zlib as ZlibWithZstd;
  if (compression === 'gzip' || z.createZstdDecompress) {
    const inflate = compression === 'gzip' ? zlib.createGunzip() : z.createZstdDecompress!();
    // The reader of the output sees every error; the callback has nothing to add.
    return pipeline(input, inflate, () => undefined);
  }
  const child = spawn('zstd', ['-d', '-q', '-c', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  pipeline(input, child.stdin, (err) => {
    if (err && !isBrokenPipe(err)) child.stdout.destroy(err);
  });
  child.stdout.on('close', () => {
    if (child.stdout.readableEnded) return;
    // The reader stopped early: the rest is not wanted.
    input.destroy();
    child.kill();
  });
  child.on('error', (err) => child.stdout.destroy(missingZstd(err, name)));
  child.on('close', (code) => {
    if (code !== 0 && code !== null) {
      child.stdout.destroy(
        new Error(`zstd could not decompress ${name}: ${stderr.trim() || `exit ${code}`}`),
      );
    }
  });
  return child.stdout;
}

// zstd exits as soon as it sees bad input; what is still being written to it then fails.
function isBrokenPipe(err: NodeJS.ErrnoException): boolean {
  return err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED';
}

function through(
  stream: NodeJS.ReadWriteStream & Writable,
  out: Writable,
): { input: Writable; done: Promise<void> } {
  const done = new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    out.on('error', reject);
    out.on('finish', resolve);
  });
  stream.pipe(out);
  return { input: stream, done };
}

function throughProgram(
  args: string[],
  out: Writable,
  what: string,
): { input: Writable; done: Promise<void> } {
  const child = spawn('zstd', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (err) => reject(missingZstd(err)));
    out.on('error', reject);
    let exited: number | null | undefined;
    let finished = false;
    const settle = () => {
      if (exited === undefined || !finished) return;
      if (exited === 0) resolve();
      else reject(new Error(`zstd could not ${what}: ${stderr.trim() || `exit ${exited}`}`));
    };
    child.on('close', (code) => {
      exited = code;
      settle();
    });
    out.on('finish', () => {
      finished = true;
      settle();
    });
  });
  child.stdout.pipe(out);
  child.stdin.on('error', () => undefined);
  return { input: child.stdin, done };
}

function missingZstd(err: NodeJS.ErrnoException, file?: string): Error {
  if (err.code === 'ENOENT') {
    return new Error(
      `${file ? `${file} is zstd-compressed, and ` : ''}this Node (${process.version}) has no zstd and there is no zstd program on PATH: install zstd, run on Node 22.15 or newer, or use a .tar.gz bundle`,
    );
  }
  return err;
}
