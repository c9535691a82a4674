import os from 'node:os';
import path from 'node:path';

/**
 * `~/…` for a directory under HOME, else the directory itself. @actions/cache hashes the path
 * strings into the entry's version, so `~/…` lets runners with different homes share entries.
 */
export function homeRelative(dir: string, home = os.homedir()): string {
  const rel = path.relative(home, dir);
  if (!home || rel.startsWith('..') || path.isAbsolute(rel)) return dir;
  return ['~', ...rel.split(path.sep)].join('/');
}
