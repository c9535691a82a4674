import {
  ApiError,
  deleteEntry,
  listEntries,
  type EntriesApi,
  type ListedEntry,
} from '../cache-service/entries-api.js';
import { planCleanup, type SavedEntry } from './plan-cleanup.js';

/** What became of the older entries of this job and ref. */
export interface CleanupReport {
  /** `skipped`: nothing was saved, so nothing is superseded and nothing was asked. */
  outcome: 'deleted' | 'kept' | 'skipped';
  keyPrefix: string;
  ref: string;
  deleted: number;
  deletedBytes: number;
  /** Older entries left in place; undefined when they could not be listed. */
  kept?: number;
  reason: string;
  /** A failure of the API rather than a setting: worth a warning. */
  problem?: boolean;
}

/** No more deletions than this per job: a backlog goes in later jobs. */
const MAX_DELETES = 50;
const NO_PERMISSION = 'no token with actions: write';

/**
 * Deletes the entries the new one supersedes (see planCleanup), through the REST API with the
 * `token` input. Every failure is a reason in the report, never an error: the save is done.
 */
export async function deleteSuperseded(
  saved: SavedEntry,
  token: string,
  env: NodeJS.ProcessEnv,
): Promise<CleanupReport> {
  const ref = env.GITHUB_REF ?? '';
  const report: CleanupReport = {
    outcome: 'kept',
    keyPrefix: saved.keyPrefix ?? '',
    ref,
    deleted: 0,
    deletedBytes: 0,
    reason: '',
  };
  if (saved.outcome !== 'saved') return { ...report, outcome: 'skipped' };
  if (!token) return { ...report, reason: `${NO_PERMISSION} (the token input is empty)` };
  const repository = env.GITHUB_REPOSITORY ?? '';
  if (!repository || !ref) return { ...report, reason: 'GITHUB_REPOSITORY or GITHUB_REF unset' };
  const api: EntriesApi = {
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    repository,
    token,
  };
  let listed: ListedEntry[];
  try {
    listed = await listEntries(api, report.keyPrefix, ref);
  } catch (err) {
    return { ...report, ...whyKept(err, 'listing') };
  }
  const plan = planCleanup(saved, ref, listed);
  report.kept = plan.superseded.length;
  if (plan.reason) return { ...report, reason: plan.reason };
  return deleteAll(api, plan.superseded, report);
}

async function deleteAll(
  api: EntriesApi,
  superseded: ListedEntry[],
  report: CleanupReport,
): Promise<CleanupReport> {
  for (const entry of superseded.slice(0, MAX_DELETES)) {
    try {
      await deleteEntry(api, entry.id);
    } catch (err) {
      Object.assign(report, whyKept(err, 'deleting'));
      break;
    }
    report.deleted++;
    report.deletedBytes += entry.sizeInBytes;
  }
  report.kept = superseded.length - report.deleted;
  if (report.deleted > 0) report.outcome = 'deleted';
  if (!report.reason && report.kept > 0) report.reason = `at most ${MAX_DELETES} per job`;
  return report;
}

function whyKept(err: unknown, doing: string): Pick<CleanupReport, 'reason' | 'problem'> {
  if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
    return { reason: `${NO_PERMISSION} (${doing} answered HTTP ${err.status})` };
  }
  // GHES before 3.7 has no cache API; a token may not see the repository.
  if (err instanceof ApiError && err.status === 404) {
    return { reason: `the cache API is not there (${doing} answered HTTP 404)` };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { reason: `${doing} failed: ${message}`, problem: true };
}
