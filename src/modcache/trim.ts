import fs from 'node:fs/promises';
import path from 'node:path';
import type { ModuleVersion } from '../gomod/gosum.js';
import { EXCLUDED_MODULES, parseVersionPath } from './layout.js';

export interface TrimPlan {
  /** Paths relative to the download directory to move out before saving. */
  moves: string[];
  /** Module versions that go out of the snapshot. */
  versions: number;
}

/**
 * Decides what leaves the snapshot: every module version that no current
 * go.sum names, whole modules that keep no version, and toolchain zips.
 * This is what keeps fallback restores from snowballing.
 */
export function planTrim(files: readonly string[], keep: readonly ModuleVersion[]): TrimPlan {
  const wanted = new Set(keep.map((m) => `${m.module}@${m.version}`));
  const moves: string[] = [];
  const dropped = new Set<string>();
  const keptDirs = new Set<string>();
  const atV = (rel: string): string => rel.slice(0, rel.lastIndexOf('@v') + 2);
  for (const rel of files) {
    const parsed = parseVersionPath(rel);
    if (!parsed) continue;
    const excluded = EXCLUDED_MODULES.some(
      (m) => parsed.module === m || parsed.module.startsWith(`${m}/`),
    );
    if (!excluded && wanted.has(`${parsed.module}@${parsed.version}`)) {
      keptDirs.add(atV(rel));
      continue;
    }
    moves.push(rel);
    dropped.add(`${parsed.module}@${parsed.version}`);
  }
  // `list` and lock files of a module with nothing left go too.
  for (const rel of files) {
    if (parseVersionPath(rel)) continue;
    const idx = rel.lastIndexOf('@v');
    if (idx < 0) continue;
    if (!keptDirs.has(atV(rel))) moves.push(rel);
  }
  return { moves: moves.sort(), versions: dropped.size };
}

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
 * Moves the planned files out of the download directory (renames on the
 * same file system), so the snapshot holds only what go.sum names while
 * the runner's own module cache loses nothing.
 */
export async function stashFiles(downloadDir: string, moves: readonly string[]): Promise<Stash> {
  const dir = path.join(path.dirname(downloadDir), `download-trimmed-${process.pid}`);
  const stash: Stash = { dir, moved: [], bytes: 0 };
  for (const rel of moves) {
    const from = path.join(downloadDir, rel);
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
export async function unstashFiles(downloadDir: string, stash: Stash): Promise<void> {
  for (const rel of stash.moved) {
    const to = path.join(downloadDir, rel);
    try {
      await fs.mkdir(path.dirname(to), { recursive: true });
      await fs.rename(path.join(stash.dir, rel), to);
    } catch {
      // Recreated by something else meanwhile: keep that one.
    }
  }
  await fs.rm(stash.dir, { recursive: true, force: true });
}
