/** What the main step hands the post step (through GITHUB_STATE). */
export interface SnapshotState {
  key: string;
  restorePrefix: string;
  matchedKey?: string;
  /** Exact key, verified intact and complete: nothing new to save. */
  hit: boolean;
  saveCache: boolean;
  workingDirectory: string;
  cacheDependencyPath: string[];
  cacheKeyPrefix: string;
}

export const STATE_NAME = 'snapshot';

/** Saved by whichever step first gives up on the cache service: why it did. */
export const SERVICE_FAILURE_STATE = 'cache-service-failure';
