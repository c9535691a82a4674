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
  /** go.sum lines the action vouches for besides the project's (govulncheck's pin). */
  vouchedSums?: string[];
}

export const SNAPSHOT_STATE = 'snapshot';
