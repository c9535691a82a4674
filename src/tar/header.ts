// Writing tar headers: POSIX ustar, with a pax header before a member whose name is longer than
// ustar holds.

const BLOCK = 512;

export interface HeaderFields {
  name: string;
  size: number;
  /** The type flag: '0' file, '5' directory, '2' symlink, 'x' pax header... */
  flag: string;
  mode?: number;
  /** Seconds since the epoch. */
  mtime?: number;
  linkName?: string;
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

/** One ustar header block; a name longer than 100 bytes is cut (see memberHeaders). */
export function ustarHeader(f: HeaderFields): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(f.name.slice(0, 100), 0, 'utf8');
  h.write(octal(f.mode ?? (f.flag === '5' ? 0o755 : 0o644), 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  h.write(octal(f.size, 12), 124);
  h.write(octal(f.mtime ?? 0, 12), 136);
  h.write('        ', 148);
  h.write(f.flag, 156);
  if (f.linkName) h.write(f.linkName.slice(0, 100), 157, 'utf8');
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7), 148);
  return h;
}

/** Zeros up to the next block boundary after `size` bytes of content. */
export function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return rest === 0 ? Buffer.alloc(0) : Buffer.alloc(BLOCK - rest);
}

/** The header blocks of one member: a pax header first when its name needs more than ustar has. */
export function memberHeaders(f: HeaderFields): Buffer {
  if (Buffer.byteLength(f.name) <= 100) return ustarHeader(f);
  // "<len> path=<value>\n", where <len> counts itself.
  const body = (len: number) => `${len} path=${f.name}\n`;
  let len = Buffer.byteLength(body(0));
  while (Buffer.byteLength(body(len)) !== len) len = Buffer.byteLength(body(len));
  const pax = Buffer.from(body(len));
  return Buffer.concat([
    ustarHeader({ name: 'PaxHeader', size: pax.length, flag: 'x' }),
    pax,
    padding(pax.length),
    ustarHeader({ ...f, name: f.name.slice(-100) }),
  ]);
}
