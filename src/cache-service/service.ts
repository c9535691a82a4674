import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as cache from '@actions/cache';
import { runnerTemp } from '../util/runner.js';
import { markServiceFailed, serviceFailure } from './breaker.js';
import { watchHttp } from './http-watch.js';
import { adoptStaged, stagedLocation, stageWorkspace, type Adopted } from './staging.js';

/** A cache call whose requests move no bytes for this long is abandoned. */
export const STALL_MS = 15_000;
/** The whole restore gives up after this long even while bytes still trickle in. */
export const RESTORE_BUDGET_MS = 5 * 60_000;
/** Saves upload the whole snapshot: they get longer, but are abandoned on a stall all the same. */
export const SAVE_BUDGET_MS = 10 * 60_000;
const POLL_MS = 250;

export interface RestoreOutcome {
  matchedKey?: string;
  /** Why nothing was restored, when it was not a plain miss. */
  problem?: string;
  /** The service had already failed in this job, so it was not asked. */
  skipped?: boolean;
  /** An archive was extracted part-way and then thrown away, nothing of it kept. */
  discarded?: boolean;
  /** What the restore added to the cache directories (files already there are kept). */
  adopted?: Adopted;
}

export interface RestoreOptions {
  lookupOnly?: boolean;
  /**
   * Called with where each path's files were extracted, before they are moved into place:
   * the place to verify them and remove what is bad.
   */
  inspect?: (stagedOf: (dir: string) => string) => Promise<void>;
}

/**
 * Restores a cache entry, never throwing, and never waiting on a service that stalls or
 * fails (see guard). The toolkit extracts into a staging copy of the workspace (see
 * staging.ts), and only a complete extraction is moved into place: a broken archive, or a
 * download abandoned here and finished later by the toolkit, writes nothing the job reads.
 * Restores may run at the same time (the module snapshot and the build cache): they share
 * one staging workspace, since the toolkit reads GITHUB_WORKSPACE whenever it extracts.
 */
export async function restoreCacheEntry(
  paths: string[],
  key: string,
  restoreKeys: string[],
  options: RestoreOptions = {},
): Promise<RestoreOutcome> {
  const failed = serviceFailure();
  if (failed)
    return { skipped: true, problem: `not asked: it failed earlier in this job (${failed})` };

  const dirs = paths.map(expandHome);
  const workspace = session?.realWorkspace ?? (process.env.GITHUB_WORKSPACE || process.cwd());
  const probe = dirs.map((d) => stagedLocation('/', workspace, d));
  // Without staging (another drive on Windows) the toolkit extracts in place, as it always has.
  const stage = !options.lookupOnly && probe.every((s) => s !== undefined);
  const staging = stage ? joinStaging(workspace) : undefined;
  const staged = dirs.map((d) => (staging ? stagedLocation(staging.root, workspace, d)! : d));
  let abandoned = false;
  try {
    const result = await guard(
      () =>
        cache.restoreCache(paths, key, restoreKeys, {
          lookupOnly: options.lookupOnly,
          segmentTimeoutInMs: RESTORE_BUDGET_MS,
          timeoutInMs: STALL_MS,
        }),
      RESTORE_BUDGET_MS,
    );
    // The toolkit may still finish an abandoned download and extract it, where
    // GITHUB_WORKSPACE points then: it stays at the staging copy, never the real workspace.
    // No other cache call follows in this step, since the service is now marked as failed.
    abandoned = result.abandoned;
    if (abandoned) return { problem: result.problem };
    const outcome: RestoreOutcome = { matchedKey: result.value, problem: result.problem };
    if (!staging) {
      if (result.value && !options.lookupOnly) await options.inspect?.((dir) => dir);
      return outcome;
    }
    if (!result.value) {
      // A miss extracts nothing; anything staged is what a failed extraction left.
      outcome.discarded = staged.some(hasFiles);
      return outcome;
    }
    await options.inspect?.((dir) => staged[dirs.indexOf(dir)] ?? dir);
    outcome.adopted = { files: 0, bytes: 0 };
    for (let i = 0; i < dirs.length; i++) {
      const moved = await adoptStaged(staged[i], dirs[i]);
      outcome.adopted.files += moved.files;
      outcome.adopted.bytes += moved.bytes;
    }
    return outcome;
  } catch (err) {
    return { problem: `could not move the restored files into place: ${messageOf(err)}` };
  } finally {
    if (staging) {
      for (const dir of staged) removeQuietly(dir);
      leaveStaging(staging, abandoned);
    }
  }
}

interface StagingSession {
  root: string;
  /** The workspace paths are relative to in archives. */
  realWorkspace: string;
  /** GITHUB_WORKSPACE as the runner set it, to put back. */
  savedEnv: string | undefined;
  users: number;
  abandoned: boolean;
}

let session: StagingSession | undefined;

function joinStaging(workspace: string): StagingSession {
  if (!session) {
    const root = path.join(runnerTemp(), `go-resilient-setup-restore-${randomUUID()}`);
    const savedEnv = process.env.GITHUB_WORKSPACE;
    session = { root, realWorkspace: workspace, savedEnv, users: 0, abandoned: false };
    process.env.GITHUB_WORKSPACE = stageWorkspace(root, workspace);
    fs.mkdirSync(process.env.GITHUB_WORKSPACE, { recursive: true });
  }
  session.users++;
  return session;
}

function leaveStaging(s: StagingSession, abandoned: boolean): void {
  s.abandoned ||= abandoned;
  if (--s.users > 0) return;
  session = undefined;
  if (!s.abandoned) restoreEnv(s.savedEnv);
  removeQuietly(s.root);
}

/**
 * An abandoned restore's tar may still be writing into the staging directory; what it leaves
 * sits under RUNNER_TEMP, which the runner empties, and must never fail the step.
 */
function removeQuietly(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
  } catch {
    // see above
  }
}

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

function restoreEnv(workspace: string | undefined): void {
  if (workspace === undefined) delete process.env.GITHUB_WORKSPACE;
  else process.env.GITHUB_WORKSPACE = workspace;
}

function hasFiles(dir: string): boolean {
  if (!fs.existsSync(dir)) return false;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) return true;
    if (hasFiles(path.join(dir, entry.name))) return true;
  }
  return false;
}

/** `~/…` as @actions/cache expands it. */
function expandHome(p: string): string {
  if (p === '~' || p.startsWith('~/')) return path.join(os.homedir(), p.slice(1));
  return path.resolve(p);
}

/**
 * Whether there is a cache service to use: the runner provides one (act and some GHES setups
 * do not), and it has not failed earlier in this job.
 */
export function cacheServiceAvailable(): boolean {
  return cache.isFeatureAvailable() && serviceFailure() === undefined;
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

/** Why a save must not be tried at all in this job, or undefined when it may be. */
export function whyNoSave(saveCache: boolean): string | undefined {
  const failed = serviceFailure();
  if (saveCache && failed)
    return `the cache service failed earlier in this job, not waiting on it again: ${failed}`;
  return whyNeverSaved(saveCache);
}

/** Why no step of this job can save: the same answer in the main and the post step. */
export function whyNeverSaved(saveCache: boolean): string | undefined {
  if (!saveCache) return 'save-cache: false';
  if (!cache.isFeatureAvailable()) return 'no cache service on this runner';
  if (!cacheMode().writable) return `ACTIONS_CACHE_MODE=${cacheMode().mode} allows no writes`;
  return undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
