import * as cache from '@actions/cache';

/** A download segment that stalls this long is abandoned (the toolkit waits 10 minutes by default). */
export const RESTORE_STALL_MS = 30_000;
/** The whole restore, retries included, gives up after this long and the job goes on. */
export const RESTORE_BUDGET_MS = 5 * 60_000;

export interface RestoreOutcome {
  matchedKey?: string;
  /** Why nothing was restored, when it was not a plain miss. */
  problem?: string;
}

/**
 * Restores the snapshot, never throwing and never waiting past the budget.
 * @actions/cache already turns most failures into a miss; the budget covers
 * its retries against a failing service and a stalled download.
 */
export async function restoreCacheEntry(
  paths: string[],
  key: string,
  restoreKeys: string[],
  options: { lookupOnly?: boolean; budgetMs?: number } = {},
): Promise<RestoreOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const budgetMs = options.budgetMs ?? RESTORE_BUDGET_MS;
  const timeout = new Promise<RestoreOutcome>((resolve) => {
    timer = setTimeout(
      () => resolve({ problem: `gave up after ${Math.round(budgetMs / 1000)}s` }),
      budgetMs,
    );
  });
  const restore = cache
    .restoreCache(paths, key, restoreKeys, {
      lookupOnly: options.lookupOnly,
      segmentTimeoutInMs: RESTORE_STALL_MS,
      timeoutInMs: RESTORE_STALL_MS,
    })
    .then(
      (matchedKey): RestoreOutcome => ({ matchedKey }),
      (err: unknown): RestoreOutcome => ({ problem: messageOf(err) }),
    );
  try {
    return await Promise.race([restore, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface SaveOutcome {
  saved: boolean;
  /** Why it was not saved. */
  problem?: string;
}

/**
 * Saves the snapshot. Every failure (a conflict with another job, a
 * read-only token on a fork's pull request, a service error) is reported,
 * never thrown: a cache must not turn a job red.
 */
export async function saveCacheEntry(paths: string[], key: string): Promise<SaveOutcome> {
  try {
    const id = await cache.saveCache(paths, key);
    if (id === -1) {
      return {
        saved: false,
        problem: 'the cache service did not take it (saved meanwhile by another job, or failing)',
      };
    }
    return { saved: true };
  } catch (err) {
    return { saved: false, problem: messageOf(err) };
  }
}

/** Whether the runner provides a cache service at all (act and some GHES setups do not). */
export function cacheServiceAvailable(): boolean {
  return cache.isFeatureAvailable();
}

/** ACTIONS_CACHE_MODE as the runner sets it: none, read, write or write-only. */
export function cacheMode(): { readable: boolean; writable: boolean; mode: string } {
  const mode = (process.env.ACTIONS_CACHE_MODE ?? '').trim().toLowerCase();
  const known = ['none', 'read', 'write', 'write-only'].includes(mode);
  return {
    mode,
    readable: !known || mode === 'read' || mode === 'write',
    writable: !known || mode === 'write' || mode === 'write-only',
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
