import os from 'node:os';
import path from 'node:path';
import { homeRelative, type PathApi } from '../cache-service/paths.js';
import { escapeModulePath, escapeVersion, unescapeModulePath } from '../gomod/escape.js';

/** The snapshot holds only this directory: a complete `file://` GOPROXY tree. */
export function downloadDir(gomodcache: string, paths: PathApi = path): string {
  return paths.join(gomodcache, 'cache', 'download');
}

/**
 * The path handed to @actions/cache. Its archive "version" hashes the path
 * string, so a path that differs between runners is a silent miss; under
 * HOME it is written with `~`, which the toolkit expands, so runners with
 * different home directories still share snapshots.
 */
export function snapshotPath(
  gomodcache: string,
  home = os.homedir(),
  paths: PathApi = path,
): string {
  return homeRelative(downloadDir(gomodcache, paths), home, paths);
}

/** Never part of a snapshot: toolchain zips are large and tied to one Go version. */
export const EXCLUDED_MODULES = ['golang.org/toolchain'];

/** A module version's file relative to the download directory, `/`-separated. */
export function versionRel(module: string, version: string, ext: string): string {
  return `${escapeModulePath(module)}/@v/${escapeVersion(version)}${ext}`;
}

/**
 * Where a module version's files live under the download directory. Throws for a module or
 * version that would name a file anywhere else (go.sum lines are checked before they get
 * here; this is the last line of defence): every part must be a plain name under `paths`'
 * rules, so that joining cannot resolve it to another directory, in the cache or out of it.
 */
export function versionFile(
  dir: string,
  module: string,
  version: string,
  ext: string,
  paths: PathApi = path,
): string {
  const parts = versionRel(module, version, ext).split('/');
  // On Windows `\` separates too, and `:` names a drive or a file's alternate stream.
  const odd = paths.sep === '\\' ? /[\\:\0]/ : /\0/;
  if (parts.some((p) => p === '' || p === '.' || p === '..' || odd.test(p))) {
    throw new Error(`${module}@${version}: not a path inside the module cache`);
  }
  return paths.join(dir, ...parts);
}

/** One file of a module version in the download directory. */
export interface VersionFile {
  module: string;
  version: string;
  /** Absolute path. */
  file: string;
}

/** The suffixes Go writes per version under `@v/`. */
const VERSION_SUFFIXES = ['.info', '.mod', '.zip', '.ziphash', '.lock', '.partial'];

/**
 * Parses `<escaped module>/@v/<escaped version><suffix>` (relative to the
 * download directory). Returns undefined for `list` files and anything else.
 */
export function parseVersionPath(
  rel: string,
): { module: string; version: string; suffix: string } | undefined {
  const parts = rel.split(/[\\/]/);
  const at = parts.lastIndexOf('@v');
  if (at < 1 || at !== parts.length - 2) return undefined;
  const name = parts[parts.length - 1];
  const suffix = VERSION_SUFFIXES.find((s) => name.endsWith(s));
  if (!suffix) return undefined;
  try {
    return {
      module: unescapeModulePath(parts.slice(0, at).join('/')),
      version: unescapeModulePath(name.slice(0, -suffix.length)),
      suffix,
    };
  } catch {
    return undefined;
  }
}
