// Hostile cache archives, made as someone who can write the repository's cache entries would
// make them: a real entry's archive with members of their choosing added at the end.
import { spawnSync } from 'node:child_process';
import { memberHeaders, padding } from '../../src/tar/header.js';

const BLOCK = 512;

/** A tar member: its headers (a pax header for a long name) and padded content. */
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
  return Buffer.concat([
    memberHeaders({
      name,
      size: body.length,
      flag,
      linkName: opts.link,
      mode: opts.mode,
      mtime: Math.floor(Date.now() / 1000),
    }),
    body,
    padding(body.length),
  ]);
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
