import os from 'node:os';
import path from 'node:path';

/**
 * The path rules a function follows: the runner's own by default; tests hand `path.win32` or
 * `path.posix` to check the other platforms' on any machine.
 */
export type PathApi = Pick<typeof path, 'isAbsolute' | 'join' | 'relative' | 'resolve' | 'sep'>;

/**
 * `~/…` for a directory under HOME, else the directory itself. @actions/cache hashes the path
 * strings into the entry's version, so `~/…` lets runners with different homes share entries.
 * It is written with `/` on every platform: the toolkit's glob expands `~` and turns `/` into
 * the platform's separator itself, and the same string must come out on every runner.
 */
export function homeRelative(dir: string, home = os.homedir(), paths: PathApi = path): string {
  if (!home) return dir;
  const rel = paths.relative(home, dir);
  // `..name` is a name under HOME; only a `..` part climbs out of it.
  if (paths.isAbsolute(rel) || rel === '..' || rel.startsWith(`..${paths.sep}`)) return dir;
  return ['~', ...rel.split(paths.sep)].join('/');
}

/** Where a path handed to @actions/cache is: `~` expanded as the toolkit expands it. */
export function expandHome(p: string, home = os.homedir(), paths: PathApi = path): string {
  if (p === '~' || p.startsWith('~/')) return paths.join(home, p.slice(1));
  return paths.resolve(p);
}
