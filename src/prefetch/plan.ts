import type { Project } from '../gomod/discover.js';
import { prefetchLimits } from './limits.js';
import type { PrefetchPlan } from './types.js';

/** What of the config a prefetch depends on. */
export interface PrefetchSettings {
  /** Paths never sent to a public mirror. */
  noPublic: string;
  direct: boolean;
  probeTimeoutMs: number;
}

/** Where the modules go and what the go commands run with. */
export interface PrefetchPlace {
  gomodcache: string;
  goflags: string;
  gosumdb: string;
  baseEnv: NodeJS.ProcessEnv;
}

/** The prefetch of `project`, as the action and the bundle command both run it. */
export function prefetchPlan(
  config: PrefetchSettings,
  project: Project,
  place: PrefetchPlace,
): PrefetchPlan {
  return {
    project,
    // The action's own downloads keep every path the job marks private away from public mirrors.
    goprivate: config.noPublic,
    gosumdb: place.gosumdb,
    gomodcache: place.gomodcache,
    goflags: place.goflags,
    direct: config.direct,
    limits: prefetchLimits(config.probeTimeoutMs),
    baseEnv: place.baseEnv,
  };
}
