// A small tar (POSIX ustar with pax headers for long paths) writer and reader: regular files and
// directories only, which is all a bundle holds. The reader refuses anything that could land
// outside the directory it extracts into.
import path from 'node:path';

const BLOCK = 512;
const ZERO = Buffer.alloc(BLOCK);

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

function readOctal(buf: Buffer, offset: number, width: number): number {
  const text = buf
    .subarray(offset, offset + width)
    .toString('latin1')
    .replace(/\0.*$/s, '')
    .trim();
  if (!/^[0-7]*$/.test(text))
    throw new Error(`a header field holds "${text}", not an octal number`);
  return text ? parseInt(text, 8) : 0;
}

function readString(buf: Buffer, offset: number, width: number): string {
  const raw = buf.subarray(offset, offset + width);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? width : end).toString('utf8');
}

function checksumOk(h: Buffer): boolean {
  const want = readOctal(h, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
  return sum === want;
}

/** The `path` record of a pax header, if any. */
function paxPath(body: Buffer): string | undefined {
  let at = 0;
  let found: string | undefined;
  while (at < body.length) {
    const space = body.indexOf(0x20, at);
    if (space < 0) break;
    const len = parseInt(body.subarray(at, space).toString('latin1'), 10);
    if (!(len > 0)) throw new Error('a pax header record has no length');
    const record = body.subarray(space + 1, at + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (record.slice(0, eq) === 'path') found = record.slice(eq + 1);
    at += len;
  }
  return found;
}

/**
 * Reads a tar stream, calling `onFile` for each entry with its content as chunks. Throws,
 * naming the entry, for a link, a device, an unsafe path, a path seen twice, a bad checksum,
 * or an archive that ends early.
 */
export async function readTar(
  input: AsyncIterable<Buffer>,
  onEntry: (entry: TarEntryHeader) => Promise<{
    write(chunk: Buffer): Promise<void>;
    end(): Promise<void>;
  } | void>,
): Promise<void> {
  let pending: Buffer = Buffer.alloc(0);
  const seen = new Set<string>();
  let longPath: string | undefined;
  // State while inside an entry's content.
  let remaining = 0;
  let pad = 0;
  let sink: { write(chunk: Buffer): Promise<void>; end(): Promise<void> } | undefined;
  let collecting: Buffer[] | undefined;
  let collected: ((body: Buffer) => void) | undefined;
  let ended = false;

  const take = async (): Promise<void> => {
    for (;;) {
      if (remaining > 0) {
        if (pending.length === 0) return;
        const part = pending.subarray(0, Math.min(remaining, pending.length));
        pending = pending.subarray(part.length);
        remaining -= part.length;
        if (collecting) collecting.push(Buffer.from(part));
        else if (sink) await sink.write(Buffer.from(part));
        if (remaining > 0) return;
        if (collecting) {
          collected!(Buffer.concat(collecting));
          collecting = undefined;
        } else if (sink) {
          await sink.end();
          sink = undefined;
        }
      }
      if (pad > 0) {
        const skip = Math.min(pad, pending.length);
        pending = pending.subarray(skip);
        pad -= skip;
        if (pad > 0) return;
      }
      if (ended || pending.length < BLOCK) return;
      const h = pending.subarray(0, BLOCK);
      pending = pending.subarray(BLOCK);
      if (h.equals(ZERO)) {
        ended = true;
        return;
      }
      if (!checksumOk(h))
        throw new Error('a tar header has a bad checksum: the archive is damaged');
      const type = String.fromCharCode(h[156] || 0x30);
      const size = readOctal(h, 124, 12);
      const prefix = readString(h, 345, 155);
      const rawName = longPath ?? (prefix ? `${prefix}/` : '') + readString(h, 0, 100);
      remaining = size;
      pad = (BLOCK - (size % BLOCK)) % BLOCK;
      if (type === 'x' || type === 'L') {
        const isPax = type === 'x';
        collecting = [];
        collected = (body) => {
          longPath = isPax ? paxPath(body) : body.toString('utf8').replace(/\0+$/, '');
        };
        if (size === 0) {
          collected(Buffer.alloc(0));
          collecting = undefined;
        }
        continue;
      }
      if (type === 'g') {
        collecting = [];
        collected = () => undefined;
        if (size === 0) collecting = undefined;
        continue;
      }
      longPath = undefined;
      const p = safeEntryPath(rawName);
      if (!p) throw new Error(`${rawName}: an unsafe path (absolute, or with . or ..); refused`);
      if (type !== '0' && type !== '5' && type !== '7') {
        const what = type === '1' || type === '2' ? 'a link' : `an entry of type ${type}`;
        throw new Error(`${p}: ${what}; a bundle holds only files and directories`);
      }
      if (seen.has(p)) throw new Error(`${p}: appears twice in the archive`);
      seen.add(p);
      const entry: TarEntryHeader = { path: p, size, type: type === '5' ? 'directory' : 'file' };
      const s = await onEntry(entry);
      if (entry.type === 'file') {
        sink = s || { write: async () => undefined, end: async () => undefined };
        if (size === 0) {
          await sink.end();
          sink = undefined;
        }
      }
    }
  };

  for await (const chunk of input) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    await take();
  }
  await take();
  if (remaining > 0 || pad > 0 || (!ended && pending.length > 0)) {
    throw new Error('the archive ends in the middle of an entry: it is truncated');
  }
  if (!ended) throw new Error('the archive has no end marker: it is truncated');
}
