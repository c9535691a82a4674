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
 * go.sum names, whole modules that keep no version, toolchain zips and sumdb files.
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
  // `list` and lock files of a module with nothing left go too, and checksum-database files,
  // which a restore never unpacks (see snapshot-filter.ts).
  for (const rel of files) {
    if (rel.startsWith('sumdb/')) {
      moves.push(rel);
      continue;
    }
    if (parseVersionPath(rel)) continue;
    const idx = rel.lastIndexOf('@v');
    if (idx < 0) continue;
    if (!keptDirs.has(atV(rel))) moves.push(rel);
  }
  return { moves: moves.sort(), versions: dropped.size };
}
