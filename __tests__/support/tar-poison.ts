// Hostile cache archives, made as someone who can write the repository's cache entries would
// make them: a real entry's archive with members of their choosing added at the end.
import { spawnSync } from 'node:child_process';

const BLOCK = 512;

/** A tar member: header (with a pax header for a long name) and padded content. */
export function member(
  name: string,
  opts: {
    body?: string | Buffer;
    type?: 'file' | 'dir' | 'symlink' | 'hardlink';
    link?: string;
    mode?: number;
  } = {},
): Buffer {
  const body = Buffer.from(opts.body ?? '');
  const flag = { file: '0', dir: '5', symlink: '2', hardlink: '1' }[opts.type ?? 'file'];
  const parts: Buffer[] = [];
  if (Buffer.byteLength(name) > 100) {
    const record = (len: number) => `${len} path=${name}\n`;
    let len = Buffer.byteLength(record(0));
    while (Buffer.byteLength(record(len)) !== len) len = Buffer.byteLength(record(len));
    const pax = Buffer.from(record(len));
    parts.push(header('PaxHeader', pax.length, 'x', '', 0o644), pad(pax));
  }
  parts.push(header(name.slice(-100), body.length, flag, opts.link ?? '', opts.mode ?? 0o644));
  parts.push(pad(body));
  return Buffer.concat(parts);
}

function header(name: string, size: number, flag: string, link: string, mode: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  const octal = (n: number, width: number) => n.toString(8).padStart(width - 1, '0') + '\0';
  h.write(name, 0, 'utf8');
  h.write(octal(mode, 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  h.write(octal(size, 12), 124);
  h.write(octal(Math.floor(Date.now() / 1000), 12), 136);
  h.write('        ', 148);
  h.write(flag, 156);
  h.write(link, 157, 'utf8');
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7), 148);
  return h;
}

function pad(body: Buffer): Buffer {
  const rest = body.length % BLOCK;
  return rest === 0 ? body : Buffer.concat([body, Buffer.alloc(BLOCK - rest)]);
}

function zstd(args: string[], input: Buffer): Buffer {
  const out = spawnSync('zstd', [...args, '-q', '-c'], { input, maxBuffer: 1 << 30 });
  if (out.status !== 0) throw new Error(`zstd ${args.join(' ')} failed: ${out.stderr}`);
  return out.stdout;
}

/** The members of an uncompressed tar, without its end marker. */
function members(tar: Buffer): Buffer {
  let at = 0;
  while (at + BLOCK <= tar.length) {
    const h = tar.subarray(at, at + BLOCK);
    if (h.every((b) => b === 0)) break;
    const size = parseInt(
      h.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0',
      8,
    );
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return tar.subarray(0, at);
}

/**
 * A zstd archive as @actions/cache makes it (what the cache service stand-in stores) with
 * `extra` members after the real ones; `first` puts them before the real ones instead.
 */
export function poisoned(
  archive: Buffer,
  extra: Buffer[],
  where: 'first' | 'last' = 'last',
): Buffer {
  const real = members(zstd(['-d'], archive));
  const tar = where === 'first' ? [...extra, real] : [real, ...extra];
  return zstd([], Buffer.concat([...tar, Buffer.alloc(2 * BLOCK)]));
}

/** A zstd archive of just these members. */
export function archiveOf(extra: Buffer[]): Buffer {
  return zstd([], Buffer.concat([...extra, Buffer.alloc(2 * BLOCK)]));
}
