import fs from 'node:fs/promises';
import path from 'node:path';
import {
  readTarMembers,
  TarRefusal,
  type MemberSink,
  type TarLimits,
  type TarMember,
} from '../tar/members.js';
import { placeMember } from './member-policy.js';

/** Where an entry's archive unpacks to, and what of it is wanted. */
export interface ExtractPlan {
  /** The archive-member prefix of each of the entry's directories (see memberPrefix). */
  prefixes: readonly string[];
  /** Where each directory's files are written: fresh, empty directories of the caller's. */
  dests: readonly string[];
  /**
   * Why a file that lands safely is still not wanted (it is then skipped, never written), or
   * undefined to write it. `rel` is relative to its directory, `/`-separated.
   */
  skip?: (index: number, rel: string, member: TarMember) => string | undefined;
  limits: Partial<TarLimits>;
}

export interface Extracted {
  files: number;
  bytes: number;
  /** Members skipped, by the reason `skip` gave. */
  skipped: Record<string, number>;
}

/**
 * Files up to this size are written whole, several at a time, while the archive streams on:
 * nearly every file of a build cache or a module cache. Larger ones are written as they come.
 */
const WHOLE_FILE_BYTES = 16 * 1024 * 1024;
/** Writes in flight at once, by count and by bytes held for them. */
const WRITES_IN_FLIGHT = 32;
const BYTES_IN_FLIGHT = 64 * 1024 * 1024;

/**
 * Unpacks a cache archive, deciding on each member before any of its bytes are written: a
 * member that is not a plain file or directory, or that would land anywhere but below one of
 * the entry's directories, refuses the whole archive with a TarRefusal. Nothing is written
 * outside `dests`, and nothing there is overwritten: a name seen twice is refused too.
 */
export async function extractCacheArchive(
  input: AsyncIterable<Buffer>,
  plan: ExtractPlan,
): Promise<Extracted> {
  const out: Extracted = { files: 0, bytes: 0, skipped: {} };
  const writer = new Writer();
  const seen = new Set<string>();
  try {
    await readTarMembers(
      input,
      async (member) => {
        const target = placed(member, plan, seen);
        // Directories are made for the files in them; an empty one carries nothing a cache needs.
        if (!target || member.type === 'directory') return;
        const why = plan.skip?.(target.index, target.rel, member);
        if (why) {
          out.skipped[why] = (out.skipped[why] ?? 0) + 1;
          return;
        }
        const file = path.join(plan.dests[target.index], ...target.rel.split('/').filter(Boolean));
        out.files++;
        out.bytes += member.size;
        return writer.file(file, member);
      },
      plan.limits,
    );
  } catch (err) {
    await writer.abandon();
    throw err;
  }
  await writer.settle();
  return out;
}

/** Where a member goes, undefined for a directory of the entry itself; throws to refuse it. */
function placed(
  member: TarMember,
  plan: ExtractPlan,
  seen: Set<string>,
): { index: number; rel: string } | undefined {
  const where = placeMember(member.name, plan.prefixes);
  if ('refused' in where) throw new TarRefusal(where.refused);
  if (member.type !== 'file' && member.type !== 'directory') {
    const what = member.type === 'other' ? `a member of type ${member.flag}` : `a ${member.type}`;
    const to = member.linkName ? ` to ${member.linkName}` : '';
    throw new TarRefusal(`${member.name}: ${what}${to}; a cache entry holds only files`);
  }
  const id = `${where.index}/${where.rel}`;
  if (seen.has(id)) throw new TarRefusal(`${member.name}: appears twice in the archive`);
  seen.add(id);
  if (where.rel === '') {
    if (member.type === 'file')
      throw new TarRefusal(`${member.name}: a file where a directory was expected`);
    return undefined;
  }
  return where;
}

/**
 * Writes files with O_EXCL under directories it made itself, so no write follows a link or
 * replaces a file. Small files go out whole and several at once; the first failure is thrown
 * by settle(), or by the next write.
 */
class Writer {
  private readonly dirs = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private bytesInFlight = 0;
  private readonly open = new Set<fs.FileHandle>();
  private failure: unknown;

  async dir(dir: string): Promise<void> {
    if (this.dirs.has(dir)) return;
    await fs.mkdir(dir, { recursive: true });
    this.dirs.add(dir);
  }

  async file(file: string, member: TarMember): Promise<MemberSink> {
    this.check();
    await this.dir(path.dirname(file));
    const mode = member.mode & 0o111 ? 0o755 : 0o644;
    const mtime = new Date(member.mtimeMs);
    if (member.size <= WHOLE_FILE_BYTES) {
      const parts: Buffer[] = [];
      return {
        write: async (chunk) => void parts.push(chunk),
        end: async () => this.background(writeWhole(file, parts, mode, mtime), member.size),
      };
    }
    const handle = await fs.open(file, 'wx', mode);
    this.open.add(handle);
    return {
      write: async (chunk) => {
        await handle.write(chunk);
      },
      end: async () => {
        this.open.delete(handle);
        try {
          await handle.utimes(mtime, mtime);
        } finally {
          await handle.close();
        }
      },
    };
  }

  private async background(work: Promise<void>, bytes: number): Promise<void> {
    const done = (): void => {
      this.inFlight.delete(tracked);
      this.bytesInFlight -= bytes;
    };
    const tracked = work.then(done, (err: unknown) => {
      done();
      this.failure ??= err;
    });
    this.inFlight.add(tracked);
    this.bytesInFlight += bytes;
    while (this.inFlight.size >= WRITES_IN_FLIGHT || this.bytesInFlight > BYTES_IN_FLIGHT) {
      await Promise.race(this.inFlight);
    }
    this.check();
  }

  async settle(): Promise<void> {
    await Promise.all(this.inFlight);
    this.check();
  }

  /** After a refusal: every write done or failed, every file closed, so the caller can delete. */
  async abandon(): Promise<void> {
    await Promise.all(this.inFlight);
    await Promise.all([...this.open].map((h) => h.close().catch(() => undefined)));
    this.open.clear();
  }

  private check(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}

async function writeWhole(file: string, parts: Buffer[], mode: number, mtime: Date): Promise<void> {
  const handle = await fs.open(file, 'wx', mode);
  try {
    // The pieces as they came: no copy into one buffer first.
    if (parts.length > 0) await handle.writev(parts);
    await handle.utimes(mtime, mtime);
  } finally {
    await handle.close();
  }
}
