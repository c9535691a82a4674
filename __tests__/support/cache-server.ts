// An in-memory stand-in for the GitHub Actions cache service, so end-to-end jobs can run the
// real @actions/cache against it: the v2 Twirp API (github.com), the v1 REST API (GHES, act,
// Gitea), and the Azure Blob endpoints the signed URLs point at. One instance is shared by all
// the jobs (processes) of a test, like the real service is shared by the jobs of a workflow.
// It also answers the REST API's list and delete calls (`/repos/{repo}/actions/caches`), as
// GITHUB_API_URL, with the permissions of the job's token configurable.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { closedPort, listen } from './loopback.js';
import { FAKE_GITHUB_TOKEN } from './runner.js';

export type CacheFault =
  | 'none'
  | 'status500'
  | 'refused'
  | 'hangDownload'
  | 'corruptArchive'
  /** The archive's bytes are garbled from 10% of the way in: tar stops early. */
  | 'breakEarly'
  /** The archive's bytes are garbled from 85% of the way in: tar stops late. */
  | 'breakLate'
  /** The archive is cut at 60% and served as if whole (HEAD and GET agree on the length). */
  | 'truncatedArchive'
  | 'conflict'
  | 'readDenied'
  | 'writeDenied';

export interface CacheServiceOptions {
  fault?: CacheFault;
  /**
   * Sign blob URLs for `<account>.blob.core.windows.net` (served by this server acting as the
   * job's HTTP_PROXY) instead of 127.0.0.1. @actions/cache picks its download code by host:
   * only for an Azure host does it use the Azure SDK (v2: HEAD + 4 MiB ranged GETs, bounded by
   * segmentTimeoutInMs) or its parallel ranged download (v1: 30 s per range, 6 tries); on any
   * other host it does one plain GET with a fixed 5 s idle timeout. So this is the mode that
   * behaves like github.com. Caveat: env() then sets HTTP_PROXY, and the service answers 502
   * for every other host sent through it.
   */
  azureHost?: boolean;
  /**
   * Committed entries the service starts with, oldest first, as `entries()` returned them from
   * another instance: a copy of what earlier jobs saved, so a benchmark can start several
   * independent rows from one cold job.
   */
  seed?: readonly CacheEntry[];
  /**
   * What the REST API lets the job's token do with caches: `none` (the restricted default of
   * new repositories: list and delete answer 403), `read` (list only) or `write` (list and
   * delete). Default `none`.
   */
  actionsPermission?: ActionsPermission;
  /** The token the REST API accepts: the runner's `github.token` unless told otherwise. */
  apiToken?: string;
}

export type ActionsPermission = 'none' | 'read' | 'write';

/** How the REST API misbehaves: `hang` sends headers and no body, `garbage` a 200 of noise. */
export type ApiFault = 'none' | 'hang' | 'garbage' | 'status500';

/** The default branch: every ref restores its entries, as on GitHub. */
export const DEFAULT_REF = 'refs/heads/main';

export interface CacheEntry {
  key: string;
  version: string;
  size: number;
  createdAt: number;
  archive: Buffer;
  /** The ref of the job that saved it (its scope); DEFAULT_REF when not given. */
  ref?: string;
}

export interface CacheRequest {
  protocol: 'v1' | 'v2' | 'blob' | 'rest';
  method: string;
  /** Path and query as received. */
  path: string;
  status?: number;
  at: number;
}

export interface CacheStats {
  /** Uploads started: v2 CreateCacheEntry or v1 reserve that succeeded. */
  created: number;
  /** Entries finalized (v2) or committed (v1), so visible to lookups. */
  committed: number;
  /** Creates/reserves refused because the key and version exist or are being uploaded. */
  conflicts: number;
  /** Archive downloads started: blob GETs from offset 0 (a ranged download counts once). */
  downloads: number;
  /** Archive bytes received (v1 chunks, blob PUTs and blocks). */
  uploadedBytes: number;
  /** Archive bytes sent: the bodies of blob GETs, ranged or not. */
  downloadedBytes: number;
}

export interface CacheService {
  /**
   * Env vars a runner sets so @actions/cache talks to this service: v2 = ACTIONS_RESULTS_URL +
   * ACTIONS_RUNTIME_TOKEN + ACTIONS_CACHE_SERVICE_V2=True; v1 = ACTIONS_CACHE_URL +
   * ACTIONS_RUNTIME_TOKEN (and no ACTIONS_CACHE_SERVICE_V2). The job must also keep
   * GITHUB_SERVER_URL at https://github.com: on any other host @actions/cache assumes GHES and
   * silently uses v1. The runtime token is one for `ref` (default DEFAULT_REF): entries the
   * job saves are scoped to it, and it restores its own and the default branch's. GITHUB_API_URL
   * points at this server's REST API.
   */
  env(protocol: 'v1' | 'v2', ref?: string): Record<string, string>;
  /** Committed entries, oldest first: key, version, size in bytes, createdAt, archive bytes. */
  entries(): CacheEntry[];
  /** Every request: protocol, method, path, status, at. */
  requests: CacheRequest[];
  /** Every REST API request (list, delete), apart from `requests`. */
  apiRequests: CacheRequest[];
  setActionsPermission(permission: ActionsPermission): void;
  setApiFault(fault: ApiFault): void;
  stats(): CacheStats;
  setFault(fault: CacheFault): void;
  /** Replace the archive bytes of a stored entry (to simulate a corrupt or tampered archive). */
  tamper(key: string, archive: Buffer): void;
  close(): Promise<void>;
}

/** What the service says when the run's token may not read / write the cache. @actions/cache
 * matches the prefixes (CACHE_READ_DENIED_PREFIX / CACHE_WRITE_DENIED_PREFIX). */
export const READ_DENIED_MESSAGE = 'cache read denied: token has no readable cache scopes';
export const WRITE_DENIED_MESSAGE = 'cache write denied: token has no writable cache scopes';
/** The real v2 conflict message; clients and users grep for it. */
export const ALREADY_EXISTS_MESSAGE =
  'cache entry with the same key, version, and scope already exists';

const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.CacheService/';
const V1_PREFIX = '/_apis/artifactcache/';
const ACCOUNT = 'cachestandin';
const AZURE_HOST = `${ACCOUNT}.blob.core.windows.net`;
const CONTAINER = 'actions-cache';
// Loopback URLs are "IP style" to the Azure SDK: the account is the first path segment.
const BLOB_PATH = new RegExp(`^(?:/${ACCOUNT})?/${CONTAINER}/(\\d+)$`);
const API_PREFIX = /^\/repos\/[^/]+\/[^/]+\/actions\/caches(?:\/(\d+))?$/;
const AZURE_API_VERSION = '2025-01-05';

interface Stored {
  id: number;
  key: string;
  version: string;
  /** The scope: the ref of the job that created it. */
  ref: string;
  createdAt: number;
  lastAccessedAt: number;
  committed: boolean;
  /** Set by a blob PUT (v2) or a v1 commit; what downloads serve. */
  archive?: Buffer;
  etag: string;
  modified: Date;
  /** v1 PATCH chunks by offset (a retried chunk replaces itself), assembled on commit. */
  chunks: Map<number, Buffer>;
  /** v2 staged blocks, assembled by a block list. */
  blocks: Map<string, Buffer>;
  /** The SAS signature this entry's URLs carry; anything else is refused like Azure does. */
  sig: string;
}

/** The archive as a broken store would serve it: cut short, or garbled from some point on. */
function served(archive: Buffer, fault: CacheFault): Buffer {
  const from = { breakEarly: 0.1, breakLate: 0.85 }[fault as string];
  if (from !== undefined) {
    const at = Math.floor(archive.length * from);
    return Buffer.concat([archive.subarray(0, at), garble(archive.length - at)]);
  }
  if (fault === 'truncatedArchive') return archive.subarray(0, Math.floor(archive.length * 0.6));
  return archive;
}

/** The same garbage every time, so that every ranged request agrees on it. */
function garble(length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0, x = 0x9e3779b9; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (chunk: Buffer) => parts.push(chunk));
    req.on('end', () => resolveBody(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8') || '{}');
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `bytes=a-b` or `bytes=a-` (Range / x-ms-range) clamped to size; null if unsatisfiable. */
function parseRange(header: string, size: number): { start: number; end: number } | null {
  const m = /^bytes=(\d+)-(\d*)$/.exec(header.trim());
  if (!m) return null;
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start < size && start <= end ? { start, end } : null;
}

const TWIRP_STATUS: Record<string, number> = {
  malformed: 400,
  invalid_argument: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  bad_route: 404,
  already_exists: 409,
  internal: 500,
};

/** One request as the handlers see it; every answer goes through here so the log has it. */
class Call {
  readonly req: IncomingMessage;
  readonly url: URL;
  readonly body: Buffer;
  private readonly res: ServerResponse;
  private readonly rec: CacheRequest;

  constructor(
    req: IncomingMessage,
    url: URL,
    body: Buffer,
    res: ServerResponse,
    rec: CacheRequest,
  ) {
    this.req = req;
    this.url = url;
    this.body = body;
    this.res = res;
    this.rec = rec;
  }

  get method(): string {
    return this.req.method ?? 'GET';
  }

  send(status: number, headers: Record<string, string>, body?: Buffer | string): void {
    const buf = body === undefined ? undefined : Buffer.from(body);
    if (buf) headers['Content-Length'] = String(buf.length);
    this.rec.status = status;
    this.res.writeHead(status, headers);
    this.res.end(buf);
  }

  /** Headers (with the given Content-Length), then silence on the open socket. */
  stall(status: number, headers: Record<string, string>): void {
    this.rec.status = status;
    this.res.writeHead(status, headers);
    this.res.flushHeaders();
  }

  json(status: number, value: unknown): void {
    this.send(status, { 'Content-Type': 'application/json' }, JSON.stringify(value));
  }

  /** Twirp errors are JSON {code, msg}; @actions/cache appends msg to its error message. */
  twirpError(code: string, msg: string): void {
    this.json(TWIRP_STATUS[code] ?? 500, { code, msg });
  }

  /** The v1 service is an Azure DevOps one: errors are {message, typeKey, ...}, and
   * @actions/http-client makes `message` the error's message. */
  vssError(status: number, typeKey: string, message: string): void {
    this.json(status, { $id: '1', innerException: null, message, typeKey, errorCode: 0 });
  }

  azureError(status: number, code: string, message: string): void {
    const xml =
      '<?xml version="1.0" encoding="utf-8"?>' +
      `<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
    this.send(status, { 'Content-Type': 'application/xml', 'x-ms-error-code': code }, xml);
  }
}

export async function startCacheService(opts: CacheServiceOptions = {}): Promise<CacheService> {
  let fault: CacheFault = opts.fault ?? 'none';
  let permission: ActionsPermission = opts.actionsPermission ?? 'none';
  let apiFault: ApiFault = 'none';
  const apiToken = opts.apiToken ?? FAKE_GITHUB_TOKEN;
  /** Runtime tokens, each for the ref of the jobs it is handed to. */
  const refOfToken = new Map<string, string>();
  const tokenFor = (ref: string): string => {
    for (const [t, r] of refOfToken) if (r === ref) return t;
    const t = `standin-${randomUUID()}`;
    refOfToken.set(t, ref);
    return t;
  };
  const requests: CacheRequest[] = [];
  const apiRequests: CacheRequest[] = [];
  const byId = new Map<number, Stored>();
  const committed: Stored[] = []; // in commit order, so the last match is the newest
  const stats: CacheStats = {
    created: 0,
    committed: 0,
    conflicts: 0,
    downloads: 0,
    uploadedBytes: 0,
    downloadedBytes: 0,
  };
  const sockets = new Set<Socket>();
  const deletedIds = new Set<number>();
  let nextId = 1;
  let port = 0;

  // --- the store -------------------------------------------------------------------------

  /** The real lookup: the primary key exactly, then each key (primary first) as a prefix,
   * newest entry first; always the same version only. The job's own ref first, then the
   * default branch's entries. */
  function lookup(keys: string[], version: string, ref: string): Stored | undefined {
    for (const scope of [...new Set([ref, DEFAULT_REF])]) {
      const hit = lookupIn(keys, version, scope);
      if (hit) {
        hit.lastAccessedAt = Date.now();
        return hit;
      }
    }
    return undefined;
  }

  function lookupIn(keys: string[], version: string, ref: string): Stored | undefined {
    const same = committed.filter((e) => e.version === version && e.ref === ref);
    const exact = same.find((e) => e.key === keys[0]);
    if (exact) return exact;
    for (const prefix of keys) {
      const hits = same.filter((e) => e.key.startsWith(prefix));
      if (hits.length > 0) return hits[hits.length - 1];
    }
    return undefined;
  }

  /** Key and version are taken in a scope once an upload starts, not only once committed. */
  function taken(key: string, version: string, ref: string): boolean {
    return [...byId.values()].some((e) => e.key === key && e.version === version && e.ref === ref);
  }

  function reserve(key: string, version: string, ref: string): Stored {
    const entry: Stored = {
      id: nextId++,
      key,
      version,
      ref,
      createdAt: Date.now(),
      lastAccessedAt: Date.now(),
      committed: false,
      etag: '',
      modified: new Date(),
      chunks: new Map(),
      blocks: new Map(),
      sig: randomBytes(24).toString('base64url'),
    };
    byId.set(entry.id, entry);
    stats.created++;
    return entry;
  }

  function setArchive(entry: Stored, archive: Buffer): void {
    entry.archive = archive;
    entry.modified = new Date();
    entry.etag = `"0x${randomBytes(8).toString('hex').toUpperCase()}"`;
  }

  function commit(entry: Stored): void {
    entry.committed = true;
    entry.createdAt = Date.now();
    committed.push(entry);
    stats.committed++;
  }

  function pendingFor(key: string, version: string, ref: string): Stored | undefined {
    return [...byId.values()].find(
      (e) => !e.committed && e.key === key && e.version === version && e.ref === ref,
    );
  }

  /** A SAS-style URL back at this server; `sp` is cosmetic, the signature is checked. */
  function blobUrl(entry: Stored, permissions: string): string {
    const expiry = new Date(Date.now() + 3_600_000).toISOString();
    const query = new URLSearchParams({ sv: AZURE_API_VERSION, sr: 'b', sp: permissions });
    query.set('se', expiry);
    query.set('sig', entry.sig);
    const base = opts.azureHost ? `http://${AZURE_HOST}` : `http://127.0.0.1:${port}/${ACCOUNT}`;
    return `${base}/${CONTAINER}/${entry.id}?${query}`;
  }

  // --- v2: Twirp JSON ----------------------------------------------------------------------

  function twirp(call: Call, method: string, ref: string): void {
    if (fault === 'status500') return call.twirpError('internal', 'injected internal error');
    const req = parseJson(call.body);
    if (!req) return call.twirpError('malformed', 'the request body is not JSON');
    // The client sends proto field names (useProtoFieldName) and omits empty fields.
    const key = String(req.key ?? '');
    const version = String(req.version ?? '');
    switch (method) {
      case 'GetCacheEntryDownloadURL': {
        if (fault === 'readDenied') {
          return call.twirpError('permission_denied', READ_DENIED_MESSAGE);
        }
        const restoreKeys = Array.isArray(req.restore_keys) ? req.restore_keys.map(String) : [];
        const hit = lookup([key, ...restoreKeys], version, ref);
        // A miss is not an error: ok=false, and the client returns undefined.
        if (!hit) return call.json(200, { ok: false, signed_download_url: '', matched_key: '' });
        return call.json(200, {
          ok: true,
          signed_download_url: blobUrl(hit, 'r'),
          matched_key: hit.key,
        });
      }
      case 'CreateCacheEntry': {
        // A read-only token gets 200 with ok=false: the client only classifies the message
        // there (any Twirp error becomes "another job may be creating this cache").
        if (fault === 'writeDenied') {
          return call.json(200, {
            ok: false,
            signed_upload_url: '',
            message: WRITE_DENIED_MESSAGE,
          });
        }
        if (fault === 'conflict' || taken(key, version, ref)) {
          stats.conflicts++;
          return call.twirpError('already_exists', ALREADY_EXISTS_MESSAGE);
        }
        return call.json(200, {
          ok: true,
          signed_upload_url: blobUrl(reserve(key, version, ref), 'cw'),
        });
      }
      case 'FinalizeCacheEntryUpload': {
        const entry = pendingFor(key, version, ref);
        if (!entry) return call.twirpError('not_found', 'cache entry not found');
        const size = Number(req.size_bytes); // int64: a string in proto JSON
        if (entry.archive?.length !== size) {
          const got = entry.archive?.length ?? 'nothing';
          return call.twirpError('invalid_argument', `size_bytes ${size} but uploaded ${got}`);
        }
        commit(entry);
        return call.json(200, { ok: true, entry_id: String(entry.id) });
      }
      default:
        return call.twirpError('bad_route', `no handler for ${method}`);
    }
  }

  // --- v1: REST ----------------------------------------------------------------------------

  function v1(call: Call, ref: string): void {
    if (fault === 'status500') {
      return call.vssError(500, 'InternalServerError', 'injected internal error');
    }
    const { url, method, body } = call;
    const resource = url.pathname.slice(V1_PREFIX.length);

    if (method === 'GET' && resource === 'cache') {
      if (fault === 'readDenied') {
        return call.vssError(403, 'CacheReadDeniedException', READ_DENIED_MESSAGE);
      }
      const keys = (url.searchParams.get('keys') ?? '').split(',');
      const hit = lookup(keys, url.searchParams.get('version') ?? '', ref);
      if (!hit) return call.send(204, {});
      return call.json(200, {
        cacheKey: hit.key,
        scope: hit.ref,
        archiveLocation: blobUrl(hit, 'r'),
        creationTime: new Date(hit.createdAt).toISOString(),
      });
    }
    if (method === 'GET' && resource === 'caches') {
      // Only asked for in debug mode, to explain a miss.
      const list = committed.filter((e) => e.key === url.searchParams.get('key'));
      return call.json(200, {
        totalCount: list.length,
        artifactCaches: list.map((e) => ({
          cacheKey: e.key,
          cacheVersion: e.version,
          scope: e.ref,
          creationTime: new Date(e.createdAt).toISOString(),
        })),
      });
    }
    if (method === 'POST' && resource === 'caches') {
      const params = parseJson(body);
      const key = String(params?.key ?? '');
      const version = String(params?.version ?? '');
      if (!key || !version) return call.vssError(400, 'ArgumentException', 'key and version');
      if (fault === 'writeDenied') {
        return call.vssError(403, 'CacheWriteDeniedException', WRITE_DENIED_MESSAGE);
      }
      if (fault === 'conflict' || taken(key, version, ref)) {
        stats.conflicts++;
        const message = `Cache already exists. Scope: ${ref}, Key: ${key}, Version: ${version}`;
        return call.vssError(409, 'ArtifactCacheAlreadyExistsException', message);
      }
      return call.json(201, { cacheId: reserve(key, version, ref).id });
    }

    const idMatch = /^caches\/(\d+)$/.exec(resource);
    if (!idMatch || (method !== 'PATCH' && method !== 'POST')) {
      return call.vssError(404, 'NotFound', `no route for ${method} ${url.pathname}`);
    }
    const entry = byId.get(Number(idMatch[1]));
    if (!entry || entry.committed) {
      return call.vssError(404, 'ArtifactCacheNotFoundException', 'no such reservation');
    }
    if (method === 'PATCH') {
      const range = /^bytes (\d+)-(\d+)\/\*$/.exec(String(call.req.headers['content-range']));
      if (!range || Number(range[2]) - Number(range[1]) + 1 !== body.length) {
        return call.vssError(400, 'ArgumentException', 'Content-Range does not match the body');
      }
      entry.chunks.set(Number(range[1]), body);
      stats.uploadedBytes += body.length;
      return call.send(204, {});
    }
    // POST caches/:id commits: the chunks must tile exactly [0, size).
    const size = Number(parseJson(body)?.size);
    const parts: Buffer[] = [];
    for (let at = 0; entry.chunks.has(at); at += parts[parts.length - 1].length) {
      parts.push(entry.chunks.get(at)!);
    }
    const archive = Buffer.concat(parts);
    if (archive.length !== size || parts.length !== entry.chunks.size) {
      return call.vssError(400, 'ArgumentException', `size ${size} does not match the upload`);
    }
    setArchive(entry, archive);
    commit(entry);
    return call.send(204, {});
  }

  // --- Azure Blob --------------------------------------------------------------------------

  function blob(call: Call, id: number): void {
    const { url, method, body, req } = call;
    const entry = byId.get(id);
    if (!entry && deletedIds.has(id)) {
      return call.azureError(404, 'BlobNotFound', 'The specified blob does not exist.');
    }
    if (!entry || url.searchParams.get('sig') !== entry.sig) {
      return call.azureError(403, 'AuthenticationFailed', 'Signature did not match.');
    }
    const headers: Record<string, string> = {
      'x-ms-request-id': randomUUID(),
      'x-ms-version': AZURE_API_VERSION,
    };
    if (method === 'PUT') {
      if (entry.committed) return call.azureError(409, 'BlobImmutable', 'already committed');
      const comp = url.searchParams.get('comp');
      if (comp === 'block') {
        entry.blocks.set(url.searchParams.get('blockid') ?? '', body);
        stats.uploadedBytes += body.length;
      } else if (comp === 'blocklist') {
        // <BlockList><Latest>id</Latest>...</BlockList> (or Committed / Uncommitted).
        const ids = [
          ...body.toString('utf8').matchAll(/<(?:Latest|Committed|Uncommitted)>([^<]*)</g),
        ];
        const parts = ids.map((m) => entry.blocks.get(m[1]));
        if (parts.some((p) => !p)) return call.azureError(400, 'InvalidBlockList', 'unknown block');
        setArchive(entry, Buffer.concat(parts as Buffer[]));
        entry.blocks.clear();
      } else if (req.headers['x-ms-blob-type'] === 'BlockBlob') {
        setArchive(entry, body);
        stats.uploadedBytes += body.length;
      } else {
        return call.azureError(400, 'MissingRequiredHeader', 'x-ms-blob-type');
      }
      headers['x-ms-request-server-encrypted'] = 'true';
      if (entry.archive) {
        headers.ETag = entry.etag;
        headers['Last-Modified'] = entry.modified.toUTCString();
      }
      return call.send(201, headers);
    }
    if (method !== 'GET' && method !== 'HEAD') {
      return call.azureError(405, 'UnsupportedHttpVerb', method);
    }
    const archive = entry.archive && served(entry.archive, fault);
    if (!archive) return call.azureError(404, 'BlobNotFound', 'The specified blob does not exist.');
    Object.assign(headers, {
      'Content-Type': 'application/octet-stream',
      'Accept-Ranges': 'bytes',
      ETag: entry.etag,
      'Last-Modified': entry.modified.toUTCString(),
      'x-ms-blob-type': 'BlockBlob',
    });
    if (method === 'HEAD') {
      // getProperties: the SDK sizes its ranged download from Content-Length.
      headers['Content-Length'] = String(archive.length);
      return call.send(200, headers);
    }
    // The Azure SDK sends x-ms-range, the toolkit's parallel download sends Range.
    const rangeHeader = req.headers['x-ms-range'] ?? req.headers.range;
    let start = 0;
    let end = archive.length - 1;
    let status = 200;
    if (typeof rangeHeader === 'string') {
      const range = parseRange(rangeHeader, archive.length);
      if (!range) return call.azureError(416, 'InvalidRange', 'The range is not satisfiable.');
      ({ start, end } = range);
      status = 206;
      headers['Content-Range'] = `bytes ${start}-${end}/${archive.length}`;
    }
    if (start === 0) stats.downloads++;
    const length = end - start + 1;
    if (fault === 'hangDownload') {
      // close() destroys the socket.
      return call.stall(status, { ...headers, 'Content-Length': String(length) });
    }
    const bytes =
      fault === 'corruptArchive' ? randomBytes(length) : archive.subarray(start, end + 1);
    stats.downloadedBytes += bytes.length;
    call.send(status, headers, bytes);
  }

  // --- REST API: /repos/{owner}/{repo}/actions/caches ------------------------------------

  function rest(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const rec: CacheRequest = {
      protocol: 'rest',
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      at: Date.now(),
    };
    apiRequests.push(rec);
    req.resume();
    const call = new Call(req, url, Buffer.alloc(0), res, rec);
    const fail = (status: number, message: string) =>
      call.json(status, {
        message,
        documentation_url: 'https://docs.github.com/rest/actions/cache',
        status: String(status),
      });
    const auth = req.headers.authorization ?? '';
    if (auth !== `Bearer ${apiToken}` && auth !== `token ${apiToken}`) {
      return fail(401, 'Bad credentials');
    }
    const match = API_PREFIX.exec(url.pathname);
    if (!match) return fail(404, 'Not Found');
    if (apiFault === 'status500') return fail(500, 'Server Error');
    if (apiFault === 'hang') {
      return call.stall(200, { 'Content-Type': 'application/json', 'Content-Length': '4096' });
    }
    if (apiFault === 'garbage') {
      return call.send(200, { 'Content-Type': 'application/json' }, garble(4096));
    }
    const denied = 'Resource not accessible by integration';
    if (req.method === 'GET' && !match[1]) {
      if (permission === 'none') return fail(403, denied);
      return listForApi(call, url);
    }
    if (req.method === 'DELETE' && match[1]) {
      if (permission !== 'write') return fail(403, denied);
      const id = Number(match[1]);
      const entry = byId.get(id);
      if (!entry?.committed) return fail(404, 'Not Found');
      byId.delete(id);
      committed.splice(committed.indexOf(entry), 1);
      deletedIds.add(id);
      return call.send(204, {});
    }
    return fail(404, 'Not Found');
  }

  /** `key` matches as a prefix, `ref` exactly; sorted and paged as GitHub does. */
  function listForApi(call: Call, url: URL): void {
    const q = url.searchParams;
    const key = q.get('key') ?? '';
    const ref = q.get('ref') ?? '';
    const field = q.get('sort') ?? 'last_accessed_at';
    const by = (e: Stored): number =>
      field === 'created_at'
        ? e.createdAt
        : field === 'size_in_bytes'
          ? (e.archive?.length ?? 0)
          : e.lastAccessedAt;
    const sign = q.get('direction') === 'asc' ? 1 : -1;
    const list = committed
      .filter((e) => e.key.startsWith(key) && (!ref || e.ref === ref))
      .sort((a, b) => sign * (by(a) - by(b)) || sign * (a.id - b.id));
    const perPage = Math.min(100, Number(q.get('per_page') ?? 30) || 30);
    const page = Math.max(1, Number(q.get('page') ?? 1) || 1);
    const shown = list.slice((page - 1) * perPage, page * perPage);
    return call.json(200, {
      total_count: list.length,
      actions_caches: shown.map((e) => ({
        id: e.id,
        ref: e.ref,
        key: e.key,
        version: e.version,
        last_accessed_at: new Date(e.lastAccessedAt).toISOString(),
        created_at: new Date(e.createdAt).toISOString(),
        size_in_bytes: e.archive?.length ?? 0,
      })),
    });
  }

  // --- routing -----------------------------------------------------------------------------

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Requests sent through us as HTTP_PROXY arrive in absolute form.
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname.startsWith('/repos/')) return rest(req, res, url);
    const blobMatch = BLOB_PATH.exec(url.pathname);
    const protocol = url.pathname.startsWith(TWIRP_PREFIX) ? 'v2' : blobMatch ? 'blob' : 'v1';
    const rec: CacheRequest = {
      protocol,
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      at: Date.now(),
    };
    requests.push(rec);
    const call = new Call(req, url, await readBody(req), res, rec);

    const proxied = /^https?:/.test(req.url ?? '');
    if (proxied && !(opts.azureHost && url.hostname === AZURE_HOST)) {
      return call.send(502, { 'Content-Type': 'text/plain' }, 'not a general proxy\n');
    }
    if (blobMatch) return blob(call, Number(blobMatch[1]));
    // The service authenticates every call with the runtime token; blob URLs carry a SAS.
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const ref = refOfToken.get(bearer);
    if (ref === undefined) {
      if (protocol === 'v2') return call.twirpError('unauthenticated', 'bad runtime token');
      return call.vssError(401, 'UnauthorizedRequestException', 'bad runtime token');
    }
    if (protocol === 'v2') {
      if (call.method !== 'POST') return call.twirpError('bad_route', 'Twirp wants POST');
      return twirp(call, url.pathname.slice(TWIRP_PREFIX.length), ref);
    }
    if (url.pathname.startsWith(V1_PREFIX)) return v1(call, ref);
    return call.send(404, { 'Content-Type': 'text/plain' }, 'not found\n');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`cache service error: ${err.message}\n`);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // @actions/http-client reaches the blob host through the proxy with CONNECT (the Azure SDK
  // uses absolute-form requests instead); tunnel those back into this server.
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    if (!opts.azureHost || (req.url ?? '').split(':')[0] !== AZURE_HOST) {
      return void client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    }
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on('error', drop).on('close', drop);
    client.on('error', drop).on('close', drop);
  });

  // Seeded entries count in no stat: this instance never saw them uploaded.
  for (const seeded of opts.seed ?? []) {
    const entry: Stored = {
      id: nextId++,
      key: seeded.key,
      version: seeded.version,
      ref: seeded.ref ?? DEFAULT_REF,
      createdAt: seeded.createdAt,
      lastAccessedAt: seeded.createdAt,
      committed: true,
      etag: '',
      modified: new Date(),
      chunks: new Map(),
      blocks: new Map(),
      sig: randomBytes(24).toString('base64url'),
    };
    setArchive(entry, seeded.archive);
    byId.set(entry.id, entry);
    committed.push(entry);
  }

  port = await listen(server);
  const deadPort = await closedPort();

  return {
    env(protocol, ref = DEFAULT_REF) {
      const base = `http://127.0.0.1:${fault === 'refused' ? deadPort : port}/`;
      const env: Record<string, string> = {
        ACTIONS_RUNTIME_TOKEN: tokenFor(ref),
        GITHUB_API_URL: `http://127.0.0.1:${port}`,
      };
      if (protocol === 'v2') {
        env.ACTIONS_RESULTS_URL = base;
        env.ACTIONS_CACHE_SERVICE_V2 = 'True';
      } else {
        env.ACTIONS_CACHE_URL = base;
      }
      if (opts.azureHost) env.HTTP_PROXY = base;
      return env;
    },
    entries: () =>
      committed.map((e) => ({
        key: e.key,
        version: e.version,
        size: e.archive?.length ?? 0,
        createdAt: e.createdAt,
        archive: e.archive ?? Buffer.alloc(0),
        ref: e.ref,
      })),
    requests,
    apiRequests,
    setActionsPermission(next) {
      permission = next;
    },
    setApiFault(next) {
      apiFault = next;
    },
    stats: () => ({ ...stats }),
    setFault(next) {
      fault = next;
    },
    tamper(key, archive) {
      const hits = committed.filter((e) => e.key === key);
      if (hits.length === 0) throw new Error(`cache service: no entry with key ${key}`);
      for (const entry of hits) setArchive(entry, archive);
    },
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        // Hung downloads and proxy tunnels would otherwise keep the server (and Jest) alive.
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }),
  };
}
