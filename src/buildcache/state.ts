import type { BuildCacheKeyParts } from './key.js';
import type { CacheRoot } from './roots.js';

/** What the main step hands the post step about the build cache (through GITHUB_STATE). */
export interface BuildCacheState {
  roots: CacheRoot[];
  /** The key parts but the go.sum digest, which the post step takes from go.sum as it is then. */
  keyParts: Omit<BuildCacheKeyParts, 'goSums'>;
  /** When restored entries were set back: anything newer was used or created by the job. */
  since: number;
  /** File listing every entry present after the restore, one `<label>/<rel>` per line. */
  inventory: string;
  matchedKey?: string;
  saveCache: boolean;
  workingDirectory: string;
  cacheDependencyPath: string[];
}

export const BUILD_CACHE_STATE = 'build-cache';
