import { callService, type ServiceResponse } from './http.js';
import type { CacheProtocol } from './protocol.js';

/** What the service knows of a set of keys at one version. */
export type LookupResult =
  | { found: { key: string; archiveUrl: URL } }
  | { miss: true }
  /** An answer that is neither a hit nor a miss, and no sign of a failing service (a denied read). */
  | { problem: string };

export interface LookupRequest {
  protocol: CacheProtocol;
  baseUrl: string;
  token: string;
  /** The primary key, then the restore keys (prefixes), in order. */
  keys: string[];
  version: string;
  timeoutMs: number;
}

const TWIRP_LOOKUP = '/twirp/github.actions.results.api.v1.CacheService/GetCacheEntryDownloadURL';

/**
 * Asks the service for the newest entry matching the keys, as @actions/cache does: v2 over
 * Twirp, v1 over the artifact-cache REST API. Throws a ServiceFailure when the service fails.
 */
export async function lookupEntry(req: LookupRequest): Promise<LookupResult> {
  const auth = { authorization: `Bearer ${req.token}` };
  if (req.protocol === 'v2') {
    const [key, ...restoreKeys] = req.keys;
    const res = await callService('POST', new URL(TWIRP_LOOKUP, req.baseUrl), {
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        key,
        ...(restoreKeys.length > 0 && { restore_keys: restoreKeys }),
        version: req.version,
      }),
      timeoutMs: req.timeoutMs,
    });
    return readV2(res);
  }
  const url = new URL(`_apis/artifactcache/cache`, withSlash(req.baseUrl));
  url.search = `keys=${encodeURIComponent(req.keys.join(','))}&version=${req.version}`;
  const res = await callService('GET', url, {
    headers: { ...auth, accept: 'application/json;api-version=6.0-preview.1' },
    timeoutMs: req.timeoutMs,
  });
  return readV1(res);
}

function readV2(res: ServiceResponse): LookupResult {
  const body = parse(res.body);
  if (res.status !== 200) return { problem: refusal(res.status, body?.msg) };
  if (!body?.ok) return { miss: true };
  return found(body.matched_key, body.signed_download_url);
}

function readV1(res: ServiceResponse): LookupResult {
  if (res.status === 204) return { miss: true };
  const body = parse(res.body);
  if (res.status !== 200) return { problem: refusal(res.status, body?.message) };
  return found(body?.cacheKey, body?.archiveLocation);
}

function found(key: unknown, location: unknown): LookupResult {
  if (typeof key !== 'string' || typeof location !== 'string') {
    return { problem: 'the service answered a hit without a key or an archive location' };
  }
  try {
    const archiveUrl = new URL(location);
    if (archiveUrl.protocol !== 'https:' && archiveUrl.protocol !== 'http:') throw new Error();
    return { found: { key, archiveUrl } };
  } catch {
    return { problem: 'the service answered an archive location that is not an http(s) URL' };
  }
}

function refusal(status: number, message: unknown): string {
  return `the cache service refused the lookup (HTTP ${status}${typeof message === 'string' && message ? `: ${message.slice(0, 200)}` : ''})`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function parse(text: string): Record<string, any> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return value && typeof value === 'object' ? (value as Record<string, any>) : undefined;
  } catch {
    return undefined;
  }
}

function withSlash(base: string): string {
  return base.endsWith('/') ? base : `${base}/`;
}
