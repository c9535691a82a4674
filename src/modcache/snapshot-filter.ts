import type { ModuleVersion } from '../gomod/gosum.js';
import { EXCLUDED_MODULES, parseVersionPath, versionRel } from './layout.js';

/** Why a file of a snapshot archive is not unpacked; the summary counts each. */
export const SKIPPED = {
  otherVersion: 'files of module versions no go.sum names',
  toolchain: 'golang.org/toolchain files',
  sumdb: 'checksum-database files (sumdb/)',
  ziphash: '.ziphash files (the action writes its own)',
  lock: 'lock and partial files',
  list: 'version lists',
  unhashed: 'files go.sum has no hash for',
  unknown: 'unknown files',
} as const;

/**
 * Decides which files of a snapshot archive are unpacked at all: only the `.zip`, `.mod` and
 * `.info` of module versions that the go.sum files name, and a zip only where go.sum has its
 * hash. Everything else is skipped unread, so it never reaches the module cache: other
 * versions (which Go would trust through their `.ziphash`), toolchain zips, checksum-database
 * files, lock files. `rel` is relative to the download directory, `/`-separated.
 */
export function snapshotFilter(
  modules: readonly ModuleVersion[],
): (rel: string) => string | undefined {
  const wanted = new Map(modules.map((m) => [`${m.module}@${m.version}`, m]));
  return (rel) => {
    if (rel === 'sumdb' || rel.startsWith('sumdb/')) return SKIPPED.sumdb;
    const parsed = parseVersionPath(rel);
    if (!parsed) return rel.endsWith('/@v/list') ? SKIPPED.list : SKIPPED.unknown;
    const { module, version, suffix } = parsed;
    if (EXCLUDED_MODULES.some((m) => module === m || module.startsWith(`${m}/`))) {
      return SKIPPED.toolchain;
    }
    if (suffix === '.ziphash') return SKIPPED.ziphash;
    if (suffix === '.lock' || suffix === '.partial') return SKIPPED.lock;
    const m = wanted.get(`${module}@${version}`);
    // One spelling per file: escaping is one-to-one, so any other is not Go's.
    if (!m || rel !== versionRel(module, version, suffix)) return SKIPPED.otherVersion;
    if (suffix === '.zip' && !m.zipHash?.startsWith('h1:')) return SKIPPED.unhashed;
    if (suffix === '.mod' && !m.modHash?.startsWith('h1:')) return SKIPPED.unhashed;
    return undefined;
  };
}
