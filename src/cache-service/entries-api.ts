import { smallRequest, where } from './http.js';

/**
 * The repository's cache entries through GitHub's REST API (`/repos/{repo}/actions/caches`),
 * which, unlike the cache service, can list entries by prefix and delete them. Listing needs
 * `actions: read`, deleting `actions: write`.
 */
export interface EntriesApi {
  /** GITHUB_API_URL, e.g. https://api.github.com or https://ghes.example/api/v3. */
  apiUrl: string;
  /** `owner/name`. */
  repository: string;
  token: string;
  /** Per request, headers and body together. */
  timeoutMs?: number;
}

/** One entry as the API lists it. */
export interface ListedEntry {
  id: number;
  ref: string;
  key: string;
  version: string;
  /** ISO 8601, the service's clock. */
  createdAt: string;
  sizeInBytes: number;
}

/** An answer that is not a success: `status` tells a missing permission (403) from the rest. */
export class ApiError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

export const API_TIMEOUT_MS = 10_000;
/** A page of 100 entries with 512-character keys is about 80 KiB. */
const MAX_ANSWER_BYTES = 256 * 1024;
const PER_PAGE = 100;
/** A job and branch with more entries than this is not this action's doing. */
const MAX_PAGES = 5;

/** Entries on `ref` whose key starts with `keyPrefix`, newest first. */
export async function listEntries(
  api: EntriesApi,
  keyPrefix: string,
  ref: string,
): Promise<ListedEntry[]> {
  const out: ListedEntry[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const url = endpoint(api, '');
    url.search = new URLSearchParams({
      key: keyPrefix,
      ref,
      sort: 'created_at',
      direction: 'desc',
      per_page: String(PER_PAGE),
      page: String(page),
    }).toString();
    const answer = await request(api, 'GET', url);
    if (answer.status !== 200) throw failed('GET', url, answer.status);
    const { total, entries } = parseList(answer.body, url);
    out.push(...entries);
    if (entries.length < PER_PAGE || out.length >= total) break;
  }
  return out;
}

/** Deletes one entry. An entry already gone (404) counts as deleted. */
export async function deleteEntry(api: EntriesApi, id: number): Promise<void> {
  const url = endpoint(api, `/${id}`);
  const answer = await request(api, 'DELETE', url);
  if (answer.status !== 204 && answer.status !== 200 && answer.status !== 404) {
    throw failed('DELETE', url, answer.status);
  }
}

function endpoint(api: EntriesApi, tail: string): URL {
  const base = api.apiUrl.replace(/\/+$/, '');
  return new URL(`${base}/repos/${api.repository}/actions/caches${tail}`);
}

function failed(method: string, url: URL, status: number): ApiError {
  return new ApiError(`${method} ${where(url)} answered HTTP ${status}`, status);
}

function parseList(body: string, url: URL): { total: number; entries: ListedEntry[] } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new ApiError(`GET ${where(url)} answered something that is not JSON`, 200);
  }
  const list = (value as { actions_caches?: unknown } | null)?.actions_caches;
  if (!Array.isArray(list)) {
    throw new ApiError(`GET ${where(url)} answered JSON without actions_caches`, 200);
  }
  const entries = list.flatMap((e: Record<string, unknown>) => {
    const ok =
      e && Number.isSafeInteger(e.id) && typeof e.key === 'string' && typeof e.ref === 'string';
    if (!ok) return [];
    return [
      {
        id: e.id as number,
        ref: e.ref as string,
        key: e.key as string,
        version: typeof e.version === 'string' ? e.version : '',
        createdAt: typeof e.created_at === 'string' ? e.created_at : '',
        sizeInBytes: Number(e.size_in_bytes) || 0,
      },
    ];
  });
  const total = Number((value as { total_count?: unknown }).total_count);
  return { total: Number.isSafeInteger(total) ? total : entries.length, entries };
}

/** One request, bounded in time and size; never throws on an HTTP status, only on no whole answer. */
async function request(
  api: EntriesApi,
  method: 'GET' | 'DELETE',
  url: URL,
): Promise<{ status: number; body: string }> {
  const answer = await smallRequest(method, url, {
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${api.token}`,
      'x-github-api-version': '2022-11-28',
    },
    timeoutMs: api.timeoutMs ?? API_TIMEOUT_MS,
    maxBytes: MAX_ANSWER_BYTES,
  });
  if (answer.incomplete) throw new Error(`${method} ${where(url)}: ${answer.incomplete}`);
  return answer;
}
