import os from 'node:os';
import path from 'node:path';
import { homeRelative } from '../cache-service/paths.js';

/** A directory the build-cache entry holds. */
export interface CacheRoot {
  /** Names the root's entries in the key digest and the inventory. */
  label: 'go-build' | 'golangci-lint';
  dir: string;
  /** The path handed to @actions/cache: `~/…` where possible, so homes may differ. */
  archivePath: string;
}

/**
 * GOCACHE, and golangci-lint's cache when the action installs golangci-lint. The list is
 * part of the entry's version (the toolkit hashes the paths), so main and post must build it
 * from the same inputs.
 */
export function buildCacheRoots(
  gocache: string,
  withGolangciLint: boolean,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): CacheRoot[] {
  const roots: CacheRoot[] = [root('go-build', gocache, home)];
  if (withGolangciLint) {
    roots.push(root('golangci-lint', golangciLintCacheDir(env, platform, home), home));
  }
  return roots;
}

/** Where golangci-lint keeps its analysis cache: GOLANGCI_LINT_CACHE, else os.UserCacheDir(). */
export function golangciLintCacheDir(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  home: string,
): string {
  if (env.GOLANGCI_LINT_CACHE) return path.resolve(env.GOLANGCI_LINT_CACHE);
  return path.join(userCacheDir(env, platform, home), 'golangci-lint');
}

// Go's os.UserCacheDir, which golangci-lint uses.
function userCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  if (platform === 'win32') return env.LocalAppData || path.join(home, 'AppData', 'Local');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches');
  return env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)
    ? env.XDG_CACHE_HOME
    : path.join(home, '.cache');
}

function root(label: CacheRoot['label'], dir: string, home: string): CacheRoot {
  return { label, dir, archivePath: homeRelative(dir, home) };
}
