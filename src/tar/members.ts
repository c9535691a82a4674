// A streaming tar reader that hands every member to the caller before any of its bytes, so a
// caller can refuse it before anything is written. It understands what GNU tar, bsdtar and
// this project's own writer produce: ustar and GNU headers, pax extended headers (path,
// linkpath, size, mtime) and GNU long names. It has limits of its own, so that an archive
// cannot make it hold or write more than a caller allowed.

const BLOCK = 512;
const ZERO = Buffer.alloc(BLOCK);

export type TarMemberType =
  'file' | 'directory' | 'symlink' | 'hardlink' | 'device' | 'fifo' | 'other';

/** One member as the archive describes it; nothing about it is trusted yet. */
export interface TarMember {
  /** The name as stored (pax `path` or GNU long name when present), unnormalised. */
  name: string;
  type: TarMemberType;
  /** The raw type flag, for messages. */
  flag: string;
  /** Content bytes (0 for anything but a file). */
  size: number;
  /** Permission bits as stored. */
  mode: number;
  /** Modification time in milliseconds since the epoch. */
  mtimeMs: number;
  /** A link's target, for messages only. */
  linkName: string;
}

/** Where a file's content goes; `end` is called once all of it was written. */
export interface MemberSink {
  write(chunk: Buffer): Promise<void>;
  end(): Promise<void>;
}

export interface TarLimits {
  /** Members of any kind, headers for long names excluded. */
  maxMembers: number;
  /**
   * Content bytes of all members together: files', and what headers and other members carry,
   * which is read and thrown away but would cost as much time to inflate.
   */
  maxBytes: number;
  /** One pax header or GNU long name: a name is never this long. */
  maxHeaderBytes: number;
}

export const DEFAULT_TAR_LIMITS: TarLimits = {
  maxMembers: 1_000_000,
  maxBytes: 20 * 1024 ** 3,
  maxHeaderBytes: 64 * 1024,
};

/** An archive that breaks a rule or a limit: the caller throws away whatever it wrote. */
export class TarRefusal extends Error {
  constructor(
    message: string,
    /** The limit the archive broke, when it broke one. */
    readonly limit?: keyof TarLimits,
  ) {
    super(message);
    this.name = 'TarRefusal';
  }
}

const TYPES: Record<string, TarMemberType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '5': 'directory',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'device',
  '4': 'device',
  '6': 'fifo',
};

/** Extended header fields that apply to the next member. */
interface Extended {
  path?: string;
  linkpath?: string;
  size?: number;
  mtimeMs?: number;
}

/**
 * Reads a tar stream, calling `onMember` for each member before its content arrives; the
 * content goes to the sink it returns (or is skipped when it returns nothing). Throws a
 * TarRefusal for a damaged or truncated archive or a broken limit, and passes on whatever
 * `onMember` or a sink throws.
 */
export async function readTarMembers(
  input: AsyncIterable<Buffer>,
  onMember: (member: TarMember) => Promise<MemberSink | void>,
  limits: Partial<TarLimits> = {},
): Promise<void> {
  const reader = new MemberReader(onMember, { ...DEFAULT_TAR_LIMITS, ...limits });
  for await (const chunk of input) {
    await reader.push(chunk);
    // Whatever follows the end marker (tar pads to a record) is never read: it could be
    // endless zeros that inflate from a few bytes.
    if (reader.atEnd) break;
  }
  reader.finish();
}

class MemberReader {
  private pending: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private pad = 0;
  private sink: MemberSink | undefined;
  /** Set while the content being read is a header's, not a file's. */
  private collecting: { parts: Buffer[]; done: (body: Buffer) => void } | undefined;
  private extended: Extended = {};
  private ended = false;
  private members = 0;
  private bytes = 0;

  constructor(
    private readonly onMember: (member: TarMember) => Promise<MemberSink | void>,
    private readonly limits: TarLimits,
  ) {}

  async push(chunk: Buffer): Promise<void> {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (await this.step());
  }

  /** The end marker was read: nothing after it is part of the archive. */
  get atEnd(): boolean {
    return this.ended;
  }

  finish(): void {
    if (this.remaining > 0 || this.pad > 0 || (!this.ended && this.pending.length > 0)) {
      throw new TarRefusal('the archive ends in the middle of a member: it is truncated');
    }
    if (!this.ended) throw new TarRefusal('the archive has no end marker: it is truncated');
  }

  /** Moves as far as the bytes at hand allow; false when it needs more. */
  private async step(): Promise<boolean> {
    if (this.remaining > 0) return this.content();
    if (this.pad > 0) {
      const skip = Math.min(this.pad, this.pending.length);
      this.pending = this.pending.subarray(skip);
      this.pad -= skip;
      return this.pad === 0;
    }
    if (this.ended || this.pending.length < BLOCK) {
      if (this.ended) this.pending = Buffer.alloc(0);
      return false;
    }
    const h = this.pending.subarray(0, BLOCK);
    this.pending = this.pending.subarray(BLOCK);
    if (h.equals(ZERO)) {
      this.ended = true;
      return true;
    }
    await this.header(h);
    return true;
  }

  private async content(): Promise<boolean> {
    if (this.pending.length === 0) return false;
    const part = this.pending.subarray(0, Math.min(this.remaining, this.pending.length));
    this.pending = this.pending.subarray(part.length);
    this.remaining -= part.length;
    // Streams hand out chunks they never write to again, so a view of one is safe to keep.
    if (this.collecting) this.collecting.parts.push(part);
    else if (this.sink) await this.sink.write(part);
    if (this.remaining > 0) return false;
    await this.contentDone();
    return true;
  }

  private async contentDone(): Promise<void> {
    if (this.collecting) {
      const { parts, done } = this.collecting;
      this.collecting = undefined;
      done(Buffer.concat(parts));
    } else if (this.sink) {
      const sink = this.sink;
      this.sink = undefined;
      await sink.end();
    }
  }

  private async header(h: Buffer): Promise<void> {
    if (!checksumOk(h)) {
      throw new TarRefusal('a tar header has a bad checksum: the archive is damaged');
    }
    const flag = String.fromCharCode(h[156]);
    const meta = flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K';
    // A pax size applies to the member it describes, never to another header.
    const size = (meta ? undefined : this.extended.size) ?? readNumber(h, 124, 12);
    this.remaining = size;
    this.pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (meta) return this.collectHeader(flag, size);
    const member = this.member(h, flag, size);
    this.extended = {};
    if (++this.members > this.limits.maxMembers) {
      throw new TarRefusal(
        `the archive holds more than ${this.limits.maxMembers} members`,
        'maxMembers',
      );
    }
    this.spend(size, member.name);
    const sink = (await this.onMember(member)) || undefined;
    // Only a file's content is handed on; anything else a member carries is skipped.
    this.sink = member.type === 'file' ? sink : undefined;
    if (this.remaining === 0) await this.contentDone();
  }

  private spend(size: number, at: string): void {
    this.bytes += size;
    if (this.bytes > this.limits.maxBytes) {
      throw new TarRefusal(
        `the archive unpacks to more than ${this.limits.maxBytes} bytes (at ${at})`,
        'maxBytes',
      );
    }
  }

  private collectHeader(flag: string, size: number): void {
    const what = flag === 'x' || flag === 'g' ? 'pax' : 'long-name';
    if (size > this.limits.maxHeaderBytes) {
      throw new TarRefusal(
        `a ${what} header of ${size} bytes (at most ${this.limits.maxHeaderBytes})`,
        'maxHeaderBytes',
      );
    }
    this.spend(size, `a ${what} header`);
    const done = (body: Buffer): void => {
      // Global headers are skipped: nothing this reader uses may apply to every member.
      if (flag === 'x') Object.assign(this.extended, parsePax(body));
      else if (flag === 'L') this.extended.path = cString(body);
      else if (flag === 'K') this.extended.linkpath = cString(body);
    };
    this.collecting = { parts: [], done };
    if (size === 0) {
      this.collecting = undefined;
      done(Buffer.alloc(0));
    }
  }

  private member(h: Buffer, flag: string, size: number): TarMember {
    const ustar = h.subarray(257, 263).toString('latin1') === 'ustar\0';
    // Only POSIX ustar has a name prefix; old GNU headers keep other fields there.
    const prefix = ustar ? readString(h, 345, 155) : '';
    const stored = (prefix ? `${prefix}/` : '') + readString(h, 0, 100);
    const ext = this.extended;
    let type = TYPES[flag] ?? 'other';
    // Old archivers mark a directory only with a trailing slash.
    if (type === 'file' && flag !== '7' && stored.endsWith('/') && !ext.path) type = 'directory';
    return {
      name: ext.path ?? stored,
      type,
      flag,
      size: type === 'file' ? size : 0,
      mode: readNumber(h, 100, 8),
      mtimeMs: ext.mtimeMs ?? readNumber(h, 136, 12) * 1000,
      linkName: ext.linkpath ?? readString(h, 157, 100),
    };
  }
}

function checksumOk(h: Buffer): boolean {
  const want = readNumber(h, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
  return sum === want;
}

/** An octal field, or GNU's base-256 form for values that do not fit (high bit set). */
function readNumber(buf: Buffer, offset: number, width: number): number {
  const field = buf.subarray(offset, offset + width);
  if (field[0] & 0x80) {
    let n = field[0] & 0x7f;
    for (let i = 1; i < width; i++) n = n * 256 + field[i];
    if (!Number.isSafeInteger(n)) throw new TarRefusal('a tar header holds an impossible number');
    return n;
  }
  const text = field.toString('latin1').replace(/\0.*$/s, '').trim();
  if (!/^[0-7]*$/.test(text)) {
    throw new TarRefusal(`a tar header field holds "${text}", not an octal number`);
  }
  return text ? parseInt(text, 8) : 0;
}

function readString(buf: Buffer, offset: number, width: number): string {
  const raw = buf.subarray(offset, offset + width);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? width : end).toString('utf8');
}

function cString(body: Buffer): string {
  const end = body.indexOf(0);
  return body.subarray(0, end < 0 ? body.length : end).toString('utf8');
}

/** The records of a pax header this reader uses: "<len> <key>=<value>\n", len counting itself. */
function parsePax(body: Buffer): Extended {
  const out: Extended = {};
  let at = 0;
  while (at < body.length) {
    const space = body.indexOf(0x20, at);
    if (space < 0) break;
    const len = Number(body.subarray(at, space).toString('latin1'));
    if (!Number.isInteger(len) || len <= space - at || at + len > body.length) {
      throw new TarRefusal('a pax header record has a bad length');
    }
    const record = body.subarray(space + 1, at + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (key === 'path') out.path = value;
    else if (key === 'linkpath') out.linkpath = value;
    else if (key === 'size') out.size = paxNumber(value, key);
    else if (key === 'mtime') out.mtimeMs = Math.round(paxNumber(value, key) * 1000);
    at += len;
  }
  return out;
}

function paxNumber(value: string, key: string): number {
  const n = Number(value);
  if (!/^-?\d+(\.\d+)?$/.test(value) || !Number.isFinite(n) || (n < 0 && key === 'size')) {
    throw new TarRefusal(`a pax header gives ${key} as "${value}"`);
  }
  return n;
}
