import type { Project } from '../gomod/discover.js';
import type { ModuleFailure } from '../go/xtrace.js';
import type { Chain, ProbedMirror } from '../proxy/chain.js';
import type { PrefetchLimits } from './limits.js';

export interface PrefetchPlan {
  project: Project;
  goprivate: string;
  gosumdb: string;
  gomodcache: string;
  goflags: string;
  direct: boolean;
  limits: PrefetchLimits;
  /** Environment the go commands start from (the runner's). */
  baseEnv: NodeJS.ProcessEnv;
}

export interface AttemptRecord {
  attempt: number;
  chain: string;
  outcome: 'ok' | 'failed' | 'stalled' | 'deadline';
  durationMs: number;
  /** Mirrors dropped after this attempt, masked, with why. */
  dropped: string[];
}

export interface PrefetchResult {
  ok: boolean;
  /** Every mirror's latest state, in config order. */
  probed: ProbedMirror[];
  /** The chain the last attempt used (the one to export). */
  chain?: Chain;
  attempts: AttemptRecord[];
  /** What could not be fetched in the last attempt. */
  failures: ModuleFailure[];
  /** The end of Go's output for each run that failed in the last attempt. */
  goErrors: GoError[];
  /** Why no further attempt was made, when attempts were left. */
  stopped?: string;
}

/** What Go printed when `go mod download` failed in a directory. */
export interface GoError {
  dir: string;
  lines: string[];
}
