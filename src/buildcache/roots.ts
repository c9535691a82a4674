import os from 'node:os';
import path from 'node:path';
import { homeRelative, type PathApi } from '../cache-service/paths.js';

/** A directory the build-cache entry holds. */
export interface CacheRoot {
  /** Names the root's entries in the key digest and the inventory. */
  label: 'go-build' | 'golangci-lint';
  dir: string;
  /** The path handed to @actions/cache: `~/…` where possible, so homes may differ. */
  archivePath: string;
}

/** The path rules of `platform`: the runner's own, which tests can name for any platform. */
function pathsOf(platform: NodeJS.Platform): PathApi {
  return platform === 'win32' ? path.win32 : path.posix;
}

/**
 * GOCACHE, and golangci-lint's cache when the action installs golangci-lint. The list is
 * part of the entry's version (the toolkit hashes the paths), so main and post must build it
 * from the same inputs. Paths follow `platform`'s rules.
 */
export function buildCacheRoots(
  gocache: string,
  withGolangciLint: boolean,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): CacheRoot[] {
  const paths = pathsOf(platform);
  const root = (label: CacheRoot['label'], dir: string): CacheRoot => ({
    label,
    dir,
    archivePath: homeRelative(dir, home, paths),
  });
  const roots: CacheRoot[] = [root('go-build', gocache)];
  if (withGolangciLint) {
    roots.push(root('golangci-lint', golangciLintCacheDir(env, platform, home)));
  }
  return roots;
}

/** Where golangci-lint keeps its analysis cache: GOLANGCI_LINT_CACHE, else os.UserCacheDir(). */
export function golangciLintCacheDir(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  home: string,
): string {
  const paths = pathsOf(platform);
  if (env.GOLANGCI_LINT_CACHE) return paths.resolve(env.GOLANGCI_LINT_CACHE);
  return paths.join(userCacheDir(env, platform, home, paths), 'golangci-lint');
}

// Go's os.UserCacheDir, which golangci-lint uses.
function userCacheDir(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  home: string,
  paths: PathApi,
): string {
  if (platform === 'win32') {
    return windowsEnv(env, 'LocalAppData') || paths.join(home, 'AppData', 'Local');
  }
  if (platform === 'darwin') return paths.join(home, 'Library', 'Caches');
  return env.XDG_CACHE_HOME && paths.isAbsolute(env.XDG_CACHE_HOME)
    ? env.XDG_CACHE_HOME
    : paths.join(home, '.cache');
}

/**
 * A variable as Windows reads it, whatever its case: Windows sets `LOCALAPPDATA`, and only
 * process.env itself looks names up without case, not a copy of it.
 */
function windowsEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const key = Object.keys(env).find((k) => k.toUpperCase() === name.toUpperCase());
  return key === undefined ? undefined : env[key];
}
