import { isUsable, type Health } from './classify.js';
import type { ProbedMirror } from './chain.js';

/** The checksum databases `sumdb: auto` may choose, in order of preference. */
export const SUMDB_HOSTS = {
  official: { name: 'sum.golang.org', url: 'https://sum.golang.org' },
  // A built-in alias in cmd/go with the same key, reachable where the official host is blocked.
  china: { name: 'sum.golang.google.cn', url: 'https://sum.golang.google.cn' },
} as const;

export interface DirectSumdbReachability {
  official: boolean;
  china: boolean;
}

export interface SumdbChoice {
  /** The GOSUMDB value to export. */
  value: string;
  /** How Go will reach it, for the summary. */
  via: string;
  /** Set when no database was reachable. */
  warning?: string;
}

/** A mirror Go would use for checksum lookups: usable, and it proxies the database. */
export function proxiesSumdb(health: Health): boolean {
  return isUsable(health.verdict) && health.proxiesSumdb;
}

/**
 * Decides GOSUMDB for `sumdb: auto`. Go asks the chain's mirrors for
 * `/sumdb/<db>/supported` and uses the first that says yes, else goes direct.
 * The result is never `off`: a build with a complete go.sum needs no database,
 * and anything else must not skip verification silently.
 */
export function chooseSumdb(
  input: string,
  chainMembers: readonly ProbedMirror[],
  direct: DirectSumdbReachability | undefined,
): SumdbChoice {
  if (input !== 'auto') return { value: input, via: 'set by the sumdb input' };
  const proxying = chainMembers.find((p) => proxiesSumdb(p.health));
  if (proxying) {
    return { value: SUMDB_HOSTS.official.name, via: `proxied by ${proxying.mirror.display}` };
  }
  if (direct?.official) return { value: SUMDB_HOSTS.official.name, via: 'direct' };
  if (direct?.china) return { value: SUMDB_HOSTS.china.name, via: 'direct' };
  return {
    value: SUMDB_HOSTS.official.name,
    via: 'unreachable',
    warning:
      'No checksum database is reachable, directly or through a mirror. Builds with a complete go.sum do not need one; `go get` and `go install tool@version` will fail until one is reachable.',
  };
}
