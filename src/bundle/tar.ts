// A small tar (POSIX ustar with pax headers for long paths) writer and reader: regular files and
// directories only, which is all a bundle holds. The reader refuses anything that could land
// outside the directory it extracts into.
import path from 'node:path';
import { readTarMembers, type MemberSink, type TarLimits } from '../tar/members.js';
import { MAX_BUNDLE_ENTRIES, MAX_BUNDLE_HEADER_BYTES } from './cap.js';

const BLOCK = 512;

export interface TarEntryHeader {
  path: string;
  size: number;
  type: 'file' | 'directory';
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, size: number, type: '0' | '5' | 'x'): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name.slice(0, 100), 0, 'utf8');
  h.write(octal(type === '5' ? 0o755 : 0o644, 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  h.write(octal(size, 12), 124);
  h.write(octal(0, 12), 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7), 148);
  return h;
}

function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return rest === 0 ? Buffer.alloc(0) : Buffer.alloc(BLOCK - rest);
}

/** The header blocks of one entry: a pax header first when the path needs more than ustar has. */
export function entryHeader(entry: TarEntryHeader): Buffer {
  const type = entry.type === 'directory' ? '5' : '0';
  const name = entry.type === 'directory' ? `${entry.path}/` : entry.path;
  if (Buffer.byteLength(name) <= 100) return header(name, entry.size, type);
  // "<len> path=<value>\n", where <len> counts itself.
  const body = (len: number) => `${len} path=${name}\n`;
  let len = Buffer.byteLength(body(0));
  while (Buffer.byteLength(body(len)) !== len) len = Buffer.byteLength(body(len));
  const pax = Buffer.from(body(len));
  return Buffer.concat([
    header('PaxHeader', pax.length, 'x'),
    pax,
    padding(pax.length),
    header(name.slice(-100), entry.size, type),
  ]);
}

/** What follows a file's content: zeros up to the next block. */
export function entryPadding(size: number): Buffer {
  return padding(size);
}

/** The end of an archive: two zero blocks. */
export const TAR_END = Buffer.alloc(2 * BLOCK);

/** A path a bundle may hold: relative, `/`-separated, no `.` or `..` part, nothing odd. */
export function safeEntryPath(p: string): string | undefined {
  const trimmed = p.replace(/\/+$/, '');
  if (!trimmed || trimmed.startsWith('/') || /^[A-Za-z]:/.test(trimmed)) return undefined;
  if (trimmed.includes('\\') || trimmed.includes('\0')) return undefined;
  const parts = trimmed.split('/');
  if (parts.some((s) => s === '' || s === '.' || s === '..')) return undefined;
  return path.posix.normalize(trimmed) === trimmed ? trimmed : undefined;
}

/**
 * Reads a bundle's tar stream, calling `onEntry` for each entry with its content as chunks.
 * Throws, naming the entry, for a link, a device, an unsafe path, a path seen twice, a bad
 * checksum, an archive that ends early, or one past `limits`: `maxBytes` is the caller's cap,
 * the others are a bundle's unless given.
 */
export async function readTar(
  input: AsyncIterable<Buffer>,
  onEntry: (entry: TarEntryHeader) => Promise<MemberSink | void>,
  limits: Pick<TarLimits, 'maxBytes'> & Partial<TarLimits>,
): Promise<void> {
  const seen = new Set<string>();
  await readTarMembers(
    input,
    async (member) => {
      const p = safeEntryPath(member.name);
      if (!p)
        throw new Error(`${member.name}: an unsafe path (absolute, or with . or ..); refused`);
      if (member.type !== 'file' && member.type !== 'directory') {
        const what =
          member.type === 'symlink' || member.type === 'hardlink'
            ? 'a link'
            : `an entry of type ${member.flag}`;
        throw new Error(`${p}: ${what}; a bundle holds only files and directories`);
      }
      if (seen.has(p)) throw new Error(`${p}: appears twice in the archive`);
      seen.add(p);
      return onEntry({ path: p, size: member.size, type: member.type });
    },
    { maxMembers: MAX_BUNDLE_ENTRIES, maxHeaderBytes: MAX_BUNDLE_HEADER_BYTES, ...limits },
  );
}
