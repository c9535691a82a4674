import * as cache from '@actions/cache';
import { markServiceFailed, serviceFailure } from './breaker.js';
import { watchHttp } from './http-watch.js';

/** A cache call whose requests move no bytes for this long is abandoned. */
export const STALL_MS = 15_000;
/** Saves upload the whole snapshot: they get longer, but are abandoned on a stall all the same. */
export const SAVE_BUDGET_MS = 10 * 60_000;
const POLL_MS = 250;

export interface SaveOutcome {
  saved: boolean;
  /** Why it was not saved. */
  problem?: string;
  /** The service had already failed in this job, so it was not asked. */
  skipped?: boolean;
}

/**
 * Saves the snapshot. Every failure (a conflict with another job, a
 * read-only token on a fork's pull request, a service error) is reported,
 * never thrown: a cache must not turn a job red.
 */
export async function saveCacheEntry(paths: string[], key: string): Promise<SaveOutcome> {
  const failed = serviceFailure();
  if (failed) {
    return {
      saved: false,
      skipped: true,
      problem: `not asked: it failed earlier in this job (${failed})`,
    };
  }
  const result = await guard(() => cache.saveCache(paths, key), SAVE_BUDGET_MS);
  if (result.value === undefined) return { saved: false, problem: result.problem };
  if (result.value === -1) {
    return {
      saved: false,
      problem:
        result.problem ??
        'the cache service did not take it (saved meanwhile by another job, or failing)',
    };
  }
  return { saved: true };
}

interface Guarded<T> {
  value?: T;
  problem?: string;
  /** Given up on while the toolkit still runs. */
  abandoned: boolean;
}

/**
 * Runs one toolkit call, but stops waiting for it as soon as its requests move no bytes
 * for STALL_MS, the service answers 5xx or 429 or cannot be reached, or the budget runs
 * out. The toolkit would retry such a service for about half a minute per request, and
 * wait up to the segment timeout on a stalled download. Any of these marks the service
 * as failed for the rest of the job, main and post steps alike.
 */
async function guard<T>(call: () => Promise<T>, budgetMs: number): Promise<Guarded<T>> {
  const watch = watchHttp();
  const start = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<Guarded<T>>((resolve) => {
    timer = setInterval(() => {
      const failure = watch.failure();
      const idle = watch.idleMs();
      if (failure)
        resolve({ abandoned: true, problem: `the cache service is failing: ${failure}` });
      else if (idle >= STALL_MS) {
        resolve({
          abandoned: true,
          problem: `the cache service sent nothing for ${Math.round(idle / 1000)}s; abandoned`,
        });
      } else if (Date.now() - start >= budgetMs) {
        resolve({ abandoned: true, problem: `gave up after ${Math.round(budgetMs / 1000)}s` });
      }
    }, POLL_MS);
  });
  const done = call().then(
    (value): Guarded<T> => ({ value, abandoned: false }),
    (err: unknown): Guarded<T> => ({ abandoned: false, problem: messageOf(err) }),
  );
  try {
    const result = await Promise.race([done, gaveUp]);
    // A failure the toolkit swallowed (it logs and returns a miss) still counts.
    const failure = watch.failure();
    if (!result.abandoned && failure) result.problem ??= `the cache service is failing: ${failure}`;
    if (result.abandoned || failure) markServiceFailed(result.problem ?? failure!);
    return result;
  } finally {
    clearInterval(timer);
    watch.stop();
  }
}

/**
 * Whether there is a cache service to use: the runner provides one (act and some GHES setups
 * do not), and it has not failed earlier in this job.
 */
export function cacheServiceAvailable(): boolean {
  return cache.isFeatureAvailable() && serviceFailure() === undefined;
}

/** ACTIONS_CACHE_MODE as the runner sets it: none, read, write or write-only. */
export function cacheMode(env: NodeJS.ProcessEnv = process.env): {
  readable: boolean;
  writable: boolean;
  mode: string;
} {
  const mode = (env.ACTIONS_CACHE_MODE ?? '').trim().toLowerCase();
  const known = ['none', 'read', 'write', 'write-only'].includes(mode);
  return {
    mode,
    readable: !known || mode === 'read' || mode === 'write',
    writable: !known || mode === 'write' || mode === 'write-only',
  };
}

/** Why a save must not be tried at all in this job, or undefined when it may be. */
export function whyNoSave(
  saveCache: boolean,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const failed = serviceFailure();
  if (saveCache && failed)
    return `the cache service failed earlier in this job, not waiting on it again: ${failed}`;
  return whyNeverSaved(saveCache, env);
}

/** Why no step of this job can save: the same answer in the main and the post step. */
export function whyNeverSaved(
  saveCache: boolean,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (!saveCache) return 'save-cache: false';
  if (!cache.isFeatureAvailable()) return 'no cache service on this runner';
  const mode = cacheMode(env);
  if (!mode.writable) return `ACTIONS_CACHE_MODE=${mode.mode} allows no writes`;
  return undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
