import type { ListedEntry } from '../cache-service/entries-api.js';

/** What the post step knows of the entry it just saved. */
export interface SavedEntry {
  outcome: 'saved' | 'skipped' | 'failed';
  key?: string;
  /** Every key of this job and configuration starts with it (see buildCacheKeys). */
  keyPrefix?: string;
}

export interface CleanupPlan {
  /** Older entries of this job, configuration and ref the new entry supersedes. */
  superseded: ListedEntry[];
  /** Why nothing is superseded, when nothing is. */
  reason?: string;
}

/**
 * The entries a new save makes useless: a restore on this ref asks for the newest entry of the
 * prefix, so the older ones of the same ref only take quota. Never another ref's (a branch
 * restores its own entries and the default branch's), never another job's or configuration's
 * (the prefix ends at the job and suffix), never one with another version (another path list
 * or compression restores it), never the new entry itself or one made after it. The new entry
 * must be listed: its creation time, on the service's clock, is what "older" is measured by.
 */
export function planCleanup(saved: SavedEntry, ref: string, listed: ListedEntry[]): CleanupPlan {
  const { key, keyPrefix } = saved;
  if (saved.outcome !== 'saved' || !key || !keyPrefix || !key.startsWith(keyPrefix)) {
    return { superseded: [], reason: 'no new entry was saved' };
  }
  if (!ref) return { superseded: [], reason: 'GITHUB_REF is not set' };
  const own = listed.find((e) => e.key === key && e.ref === ref);
  const ownTime = own ? Date.parse(own.createdAt) : NaN;
  if (!own || Number.isNaN(ownTime)) {
    return { superseded: [], reason: 'the new entry is not listed yet' };
  }
  const superseded = listed.filter((e) => {
    const created = Date.parse(e.createdAt);
    return (
      e.id !== own.id &&
      e.key !== key &&
      e.ref === ref &&
      e.key.startsWith(keyPrefix) &&
      e.version === own.version &&
      !Number.isNaN(created) &&
      created < ownTime
    );
  });
  return { superseded };
}
