// A small tar (POSIX ustar with pax headers for long paths) writer and reader: regular files and
// directories only, which is all a bundle holds. The reader refuses anything that could land
// outside the directory it extracts into.
import path from 'node:path';
import { memberHeaders, padding } from '../tar/header.js';
import { readTarMembers, type MemberSink, type TarLimits } from '../tar/members.js';
import { MAX_BUNDLE_ENTRIES, MAX_BUNDLE_HEADER_BYTES } from './cap.js';

export interface TarEntryHeader {
  path: string;
  size: number;
  type: 'file' | 'directory';
}

/** The header blocks of one entry: a pax header first when the path needs more than ustar has. */
export function entryHeader(entry: TarEntryHeader): Buffer {
  const directory = entry.type === 'directory';
  return memberHeaders({
    name: directory ? `${entry.path}/` : entry.path,
    size: entry.size,
    flag: directory ? '5' : '0',
  });
}

/** What follows a file's content: zeros up to the next block. */
export function entryPadding(size: number): Buffer {
  return padding(size);
}

/** The end of an archive: two zero blocks. */
export const TAR_END = Buffer.alloc(1024);

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
 * A member's name as a path in the bundle, or undefined when it is not a safe one. One
 * leading `./` is dropped, as `tar -czf b.tar.gz -C dir .` writes every name with it, and
 * `./` alone is that directory itself (''). Nothing else is rewritten: `../x`, `./../x` and
 * `/x` stay refused, and so do `a/./b`, `././x` and `.//x`, which GNU tar would resolve but
 * never writes when it archives a directory, so that each file has one spelling.
 */
export function memberPath(name: string): string | undefined {
  if (name === '.' || name === './') return '';
  return safeEntryPath(name.startsWith('./') ? name.slice(2) : name);
}

/**
 * Reads a bundle's tar stream, calling `onEntry` for each entry with its content as chunks;
 * the top directory's own entry (`./`) is passed over. Throws, naming the entry, for a link,
 * a device, an unsafe path, a path seen twice, a bad checksum, an archive that ends early, or
 * one past `limits`: `maxBytes` is the caller's cap, the others are a bundle's unless given.
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
      const p = memberPath(member.name);
      if (p === undefined)
        throw new Error(`${member.name}: an unsafe path (absolute, or with . or ..); refused`);
      const shown = p || member.name;
      if (member.type !== 'file' && member.type !== 'directory') {
        const what =
          member.type === 'symlink' || member.type === 'hardlink'
            ? 'a link'
            : `an entry of type ${member.flag}`;
        throw new Error(`${shown}: ${what}; a bundle holds only files and directories`);
      }
      if (p === '' && member.type === 'file') {
        throw new Error(`${member.name}: a file named as the bundle's top directory; refused`);
      }
      if (seen.has(p)) throw new Error(`${shown}: appears twice in the archive`);
      seen.add(p);
      // The directory being extracted into exists already, and holds nothing to check.
      if (p === '') return;
      return onEntry({ path: p, size: member.size, type: member.type });
    },
    { maxMembers: MAX_BUNDLE_ENTRIES, maxHeaderBytes: MAX_BUNDLE_HEADER_BYTES, ...limits },
  );
}
