import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/** What adopting a staged tree moved into place. */
export interface Adopted {
  files: number;
  bytes: number;
}

/**
 * Moves every staged file into place. A file already there is kept: it was in the cache
 * before the restore, and the restore only adds. A directory with nothing in place yet moves
 * in one rename, which is what a fresh runner sees for nearly everything.
 */
export async function adoptStaged(staged: string, target: string): Promise<Adopted> {
  const adopted: Adopted = { files: 0, bytes: 0 };
  await adoptEntry(staged, target, adopted);
  return adopted;
}

async function adoptEntry(from: string, to: string, adopted: Adopted): Promise<void> {
  let fromStat;
  try {
    fromStat = await fs.lstat(from);
  } catch {
    return; // nothing staged here
  }
  const toStat = await fs.lstat(to).catch(() => undefined);
  if (!toStat) {
    const moved = await measureTree(from, fromStat);
    await fs.mkdir(path.dirname(to), { recursive: true });
    try {
      await fs.rename(from, to);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      // RUNNER_TEMP and the cache may sit on different file systems.
      await copyIn(from, to, fromStat.isDirectory());
    }
    adopted.files += moved.files;
    adopted.bytes += moved.bytes;
    return;
  }
  if (!fromStat.isDirectory() || !toStat.isDirectory()) return;
  for (const name of await fs.readdir(from)) {
    await adoptEntry(path.join(from, name), path.join(to, name), adopted);
  }
}

// A copy under a temporary name, renamed into place, so that a reader never sees half a file.
async function copyIn(from: string, to: string, isDir: boolean): Promise<void> {
  if (!isDir) {
    await fs.copyFile(from, `${to}.staged`);
    await fs.rename(`${to}.staged`, to);
    return;
  }
  await fs.cp(from, `${to}.staged`, { recursive: true });
  await fs.rename(`${to}.staged`, to);
}

// Siblings are measured at once: a restored build cache is thousands of files.
async function measureTree(p: string, stat: Stats): Promise<Adopted> {
  if (!stat.isDirectory()) return { files: 1, bytes: stat.size };
  const subs = await Promise.all(
    (await fs.readdir(p)).map(async (e) => {
      const child = path.join(p, e);
      return measureTree(child, await fs.lstat(child));
    }),
  );
  return subs.reduce((t, s) => ({ files: t.files + s.files, bytes: t.bytes + s.bytes }), {
    files: 0,
    bytes: 0,
  });
}
