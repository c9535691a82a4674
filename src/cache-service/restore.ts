import fs from 'node:fs';
import path from 'node:path';
import { decompressStream } from '../tar/compression.js';
import { TarRefusal } from '../tar/members.js';
import { runnerTemp } from '../util/runner.js';
import { markServiceFailed, serviceFailure } from './breaker.js';
import { extractCacheArchive, type ExtractPlan, type Extracted } from './extract.js';
import { extractLimits } from './extract-limits.js';
import { openDownload, ServiceFailure } from './http.js';
import { lookupEntry } from './lookup.js';
import { memberPrefix } from './member-policy.js';
import { expandHome } from './paths.js';
import {
  cacheCompression,
  cacheProtocol,
  cacheServiceUrl,
  cacheVersion,
  type CacheProtocol,
} from './protocol.js';
import { STALL_MS } from './service.js';
import { adoptStaged, type Adopted } from './staging.js';

/** The whole restore gives up after this long even while bytes still trickle in. */
export const RESTORE_BUDGET_MS = 5 * 60_000;
/** Far above any entry GitHub keeps (a repository's whole cache is 10 GB by default). */
const MAX_ARCHIVE_BYTES = 20 * 1024 ** 3;

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
  const dirs = paths.map((p) => expandHome(p));
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  let root: string;
  try {
    root = fs.mkdtempSync(path.join(runnerTemp(), 'go-resilient-setup-restore-'));
  } catch (err) {
    return { problem: `no staging directory under RUNNER_TEMP: ${messageOf(err)}` };
  }
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
    return { problem: `could not check or move the restored files into place: ${messageOf(err)}` };
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
    maxBytes: MAX_ARCHIVE_BYTES,
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

/** `~/…` as @actions/cache expands it. */
function messageOf(err: unknown): string {
  if (err instanceof ServiceFailure || err instanceof TarRefusal) return err.message;
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
