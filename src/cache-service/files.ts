import fs from 'node:fs/promises';
import path from 'node:path';

/** Every file under a directory, relative to it, with `/` separators. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, rel: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path.join(d, e.name), r);
      else out.push(r);
    }
  };
  await walk(dir, '');
  return out;
}

/** Files moved aside for the save, to be put back afterwards. */
export interface Stash {
  dir: string;
  moved: string[];
  bytes: number;
}

/**
 * Moves files out of a cache directory (renames, into a sibling on the same file system), so
 * an archive of it holds only what should be saved while the runner's own cache loses
 * nothing: `unstashFiles` puts them back.
 */
export async function stashFiles(root: string, moves: readonly string[]): Promise<Stash> {
  const dir = path.join(path.dirname(root), `${path.basename(root)}-stashed-${process.pid}`);
  const stash: Stash = { dir, moved: [], bytes: 0 };
  for (const rel of moves) {
    const from = path.join(root, rel);
    const to = path.join(dir, rel);
    try {
      const { size } = await fs.stat(from);
      await fs.mkdir(path.dirname(to), { recursive: true });
      await fs.rename(from, to);
      stash.moved.push(rel);
      stash.bytes += size;
    } catch {
      // Gone already, or not movable: it simply stays.
    }
  }
  return stash;
}

/** Puts stashed files back where they were. */
export async function unstashFiles(root: string, stash: Stash): Promise<void> {
  for (const rel of stash.moved) {
    const to = path.join(root, rel);
    try {
      await fs.mkdir(path.dirname(to), { recursive: true });
      await fs.rename(path.join(stash.dir, rel), to);
    } catch {
      // Recreated by something else meanwhile: keep that one.
    }
  }
  await fs.rm(stash.dir, { recursive: true, force: true });
}
