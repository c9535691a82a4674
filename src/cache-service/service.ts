import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as cache from '@actions/cache';
import { decompressStream } from '../tar/compression.js';
import { TarRefusal } from '../tar/members.js';
import { runnerTemp } from '../util/runner.js';
import { markServiceFailed, serviceFailure } from './breaker.js';
import { extractCacheArchive, type ExtractPlan, type Extracted } from './extract.js';
import { extractLimits } from './extract-limits.js';
import { openDownload, ServiceFailure } from './http.js';
import { watchHttp } from './http-watch.js';
import { lookupEntry } from './lookup.js';
import { memberPrefix } from './member-policy.js';
import {
  cacheCompression,
  cacheProtocol,
  cacheServiceUrl,
  cacheVersion,
  type CacheProtocol,
} from './protocol.js';
import { adoptStaged, type Adopted } from './staging.js';

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
  /** An archive was unpacked part-way and then thrown away, nothing of it kept. */
  discarded?: boolean;
  /** The archive broke a rule (a link, a name outside the entry): nothing of it was kept. */
  refused?: boolean;
  /** What the restore added to the cache directories (files already there are kept). */
  adopted?: Adopted;
  /** Members that were safe but not wanted, by reason (see RestoreOptions.skip). */
  skippedMembers?: Record<string, number>;
}

export interface RestoreOptions {
  lookupOnly?: boolean;
  /** Members of the archive not to unpack at all; see ExtractPlan.skip. */
  skip?: ExtractPlan['skip'];
  /**
   * Called with where each path's files were unpacked, before they are moved into place:
   * the place to verify them and remove what is bad.
   */
  inspect?: (stagedOf: (dir: string) => string) => Promise<void>;
}

/**
 * Restores a cache entry that @actions/cache saved, never throwing, and never waiting on a
 * service that stalls or fails. The archive is read by this action, not by tar: each member is
 * checked before anything of it is written (see extract.ts), into staging directories under
 * RUNNER_TEMP. Only a complete, clean extraction is inspected and then moved into place, so a
 * broken or hostile archive writes nothing the job reads.
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
  const service = serviceEndpoint();
  if (!service) return { problem: 'no cache service on this runner' };
  let found: { key: string; archiveUrl: URL };
  try {
    const looked = await lookupEntry({
      ...service,
      keys: [key, ...restoreKeys],
      version: cacheVersion(paths, cacheCompression()),
      timeoutMs: STALL_MS,
    });
    if ('miss' in looked) return {};
    if ('problem' in looked) return { problem: looked.problem };
    found = looked.found;
  } catch (err) {
    return failedService(err);
  }
  if (options.lookupOnly) return { matchedKey: found.key };
  const unpacked = await unpackEntry(paths, found.archiveUrl, options);
  // Nothing of an entry that could not be unpacked was kept: as far as the job goes, a miss.
  return unpacked.problem ? unpacked : { matchedKey: found.key, ...unpacked };
}

/** Downloads and unpacks an entry's archive into staging, inspects it, then moves it in. */
async function unpackEntry(
  paths: string[],
  archiveUrl: URL,
  options: RestoreOptions,
): Promise<Omit<RestoreOutcome, 'matchedKey'>> {
  const dirs = paths.map(expandHome);
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  const root = fs.mkdtempSync(path.join(runnerTemp(), 'go-resilient-setup-restore-'));
  const staged = dirs.map((_, i) => path.join(root, String(i)));
  try {
    let extracted: Extracted;
    try {
      extracted = await downloadAndExtract(archiveUrl, {
        prefixes: dirs.map((d) => memberPrefix(workspace, d)),
        dests: staged,
        skip: options.skip,
        root,
      });
    } catch (err) {
      if (err instanceof ServiceFailure) return { ...failedService(err), discarded: true };
      const refused = err instanceof TarRefusal;
      return {
        discarded: true,
        refused,
        problem: refused
          ? `the archive was refused: ${err.message}`
          : `the archive could not be unpacked: ${messageOf(err)}`,
      };
    }
    await options.inspect?.((dir) => staged[dirs.indexOf(dir)] ?? dir);
    const adopted: Adopted = { files: 0, bytes: 0 };
    for (let i = 0; i < dirs.length; i++) {
      const moved = await adoptStaged(staged[i], dirs[i]);
      adopted.files += moved.files;
      adopted.bytes += moved.bytes;
    }
    return { adopted, skippedMembers: extracted.skipped };
  } catch (err) {
    return { problem: `could not move the restored files into place: ${messageOf(err)}` };
  } finally {
    removeQuietly(root);
  }
}

async function downloadAndExtract(
  archiveUrl: URL,
  plan: Omit<ExtractPlan, 'limits'> & { root: string },
): Promise<Extracted> {
  const download = await openDownload(archiveUrl, {
    stallMs: STALL_MS,
    budgetMs: RESTORE_BUDGET_MS,
  });
  try {
    const compression = cacheCompression() === 'gzip' ? 'gzip' : 'zstd';
    const limits = extractLimits(download.length, freeBytes(plan.root));
    return await extractCacheArchive(decompressStream(compression, download.body), {
      ...plan,
      limits,
    });
  } finally {
    download.body.destroy();
  }
}

function failedService(err: unknown): RestoreOutcome {
  const why = `the cache service is failing: ${messageOf(err)}`;
  if (err instanceof ServiceFailure) markServiceFailed(why);
  return { problem: err instanceof ServiceFailure ? why : messageOf(err) };
}

/** The runner's cache service, or undefined when it provides none. */
function serviceEndpoint():
  { protocol: CacheProtocol; baseUrl: string; token: string } | undefined {
  const protocol = cacheProtocol();
  const baseUrl = cacheServiceUrl(protocol);
  const token = process.env.ACTIONS_RUNTIME_TOKEN;
  return baseUrl && token ? { protocol, baseUrl, token } : undefined;
}

function freeBytes(dir: string): number | undefined {
  try {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

/** Whatever is left of a staging directory sits under RUNNER_TEMP, and must never fail the step. */
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
  if (err instanceof ServiceFailure || err instanceof TarRefusal) return err.message;
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
