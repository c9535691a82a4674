import fs from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import { maskUrl } from '../util/mask.js';
import { proxyAgent } from '../util/proxy-agent.js';
import { OWN_USER_AGENT } from '../util/user-agent.js';
import { redirectTarget } from './redirect.js';

/**
 * What one request to a mirror looked like. Probes need more than fetch
 * gives: when the headers came, whether the body stalled or was still
 * flowing at the deadline, and the socket-level reason for a failure.
 */
export type Observation = ResponseObservation | ErrorObservation;

export interface ResponseObservation {
  kind: 'response';
  status: number;
  contentType: string;
  /** At most the cap: `maxBytes` for a 2xx answer, ERROR_BODY_BYTES for any other. */
  body: Buffer;
  /** False when the deadline or a cap cut the body short. */
  complete: boolean;
  /** Set when a 2xx body went past `maxBytes`: reading stopped there and the request was closed. */
  overCap?: OverCap;
  headersMs: number;
  totalMs: number;
  /** Milliseconds from the start to the last body byte received. */
  lastByteMs: number;
}

export interface OverCap {
  maxBytes: number;
  /** Bytes received before the request was closed. */
  seenBytes: number;
}

/** `redirect`: a redirect no client should follow (another scheme, no URL, a loop). */
export type TransportFailure =
  'refused' | 'dns' | 'reset' | 'timeout' | 'tls' | 'redirect' | 'other';

export interface ErrorObservation {
  kind: 'error';
  code: TransportFailure;
  message: string;
  elapsedMs: number;
}

interface FetchBase {
  /** `Basic …`, sent only to the mirror's own origin. */
  authorization?: string;
  /** Milliseconds for the whole exchange, body included. */
  timeoutMs: number;
  /** Give up once nothing (headers or body bytes) has arrived for this long. */
  idleMs?: number;
  /**
   * With `maxBytes`: a 2xx response whose Content-Length is above it is not read at all. Probes
   * leave this off: they read the first part of a large file on purpose.
   */
  checkLength?: boolean;
  /** Filled in while the request runs, so a caller can see how far along it is. */
  progress?: RequestProgress;
}

type Sink = (chunk: Buffer) => void | Promise<void>;

/**
 * A body held in memory always has a cap; one streamed to `onChunk` (a 200 response's
 * chunks, for files too large to hold; reading pauses while its promise is pending) may leave
 * the limit to the sink.
 */
export type FetchOptions = FetchBase &
  ({ maxBytes: number; onChunk?: Sink } | { maxBytes?: number; onChunk: Sink });

/**
 * What is read of an answer other than 2xx: enough for a reason in the summary, and Go
 * itself quotes no more than 8 lines of 81 bytes. The rest is never read.
 */
export const ERROR_BODY_BYTES = 4 * 1024;

/** How far a request in flight has got; times are `Date.now()` values. */
export interface RequestProgress {
  /** When the final response's headers arrived (redirects do not count). */
  headersAt?: number;
  /** Body bytes received so far. */
  bytes: number;
  /** The response's Content-Length, when it sent one. */
  expectedBytes?: number;
  lastByteAt?: number;
  /** The request has finished, whatever the outcome. */
  done: boolean;
}

const MAX_REDIRECTS = 10;

/** Fetches a URL (http, https or file) and reports how it went; never throws. */
export async function observe(url: string, options: FetchOptions): Promise<Observation> {
  const start = Date.now();
  try {
    return await observeUrl(url, options, start);
  } catch (err) {
    // Whatever a server answers, a caller gets a verdict, never an exception.
    const message = maskUrl(err instanceof Error ? err.message : String(err));
    return { kind: 'error', code: 'other', message, elapsedMs: Date.now() - start };
  } finally {
    if (options.progress) options.progress.done = true;
  }
}

async function observeUrl(url: string, options: FetchOptions, start: number): Promise<Observation> {
  if (url.startsWith('file:')) return observeFile(url, start, options.maxBytes);
  const deadline = start + options.timeoutMs;
  const first = new URL(url);
  let current = first;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    // Credentials are the mirror's own: another origin (another scheme too) never sees them.
    const auth = current.origin === first.origin ? options.authorization : undefined;
    const result = await requestOnce(current, auth, start, deadline, options);
    if (!('redirect' in result)) return result;
    const next = redirectTarget(result.redirect, current, first);
    if ('problem' in next) {
      return {
        kind: 'error',
        code: 'redirect',
        message: next.problem,
        elapsedMs: Date.now() - start,
      };
    }
    current = next.url;
  }
  return {
    kind: 'error',
    code: 'redirect',
    message: `more than ${MAX_REDIRECTS} redirects`,
    elapsedMs: Date.now() - start,
  };
}

type Hop = Observation | { redirect: string };

/** What has arrived of one response so far. */
interface Arrival {
  start: number;
  headersMs: number;
  lastByteMs: number;
  status: number;
  contentType: string;
  chunks: Buffer[];
  /** Bytes received, including any past the cap. */
  size: number;
  overCap?: OverCap;
}

type RequestOptions = Pick<
  FetchOptions,
  'maxBytes' | 'checkLength' | 'idleMs' | 'onChunk' | 'progress'
>;

function requestOnce(
  url: URL,
  authorization: string | undefined,
  start: number,
  deadline: number,
  options: RequestOptions,
): Promise<Hop> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { 'user-agent': OWN_USER_AGENT };
    if (authorization) headers.authorization = authorization;
    const mod = url.protocol === 'https:' ? https : http;
    const exchange = new Exchange(start, options, resolve);
    const req = mod.request(url, { headers, agent: proxyAgent(url) }, (res) =>
      exchange.onResponse(res),
    );
    exchange.begin(req, requestTimers(deadline, options.idleMs, exchange.giveUp));
    req.on('error', (err: NodeJS.ErrnoException) => exchange.onRequestError(err));
    req.end();
  });
}

/** One request on its way to a single outcome: a redirect, an answer, or an error. */
class Exchange {
  private readonly got: Arrival;
  private settled = false;
  // A sink's write may still be in flight when the response ends or fails ('end' does not
  // wait for a paused stream's consumer), so every outcome waits for it: the caller may
  // close the file as soon as this settles, and must see every byte that arrived.
  private writing: Promise<void> = Promise.resolve();
  private req!: http.ClientRequest;
  private timers!: RequestTimers;

  constructor(
    private readonly start: number,
    private readonly options: RequestOptions,
    private readonly resolve: (hop: Hop) => void,
  ) {
    this.got = {
      start,
      headersMs: -1,
      lastByteMs: -1,
      status: 0,
      contentType: '',
      chunks: [],
      size: 0,
    };
  }

  begin(req: http.ClientRequest, timers: RequestTimers): void {
    this.req = req;
    this.timers = timers;
  }

  finish(value: Hop): void {
    if (this.settled) return;
    this.settled = true;
    this.timers.clear();
    this.req.destroy();
    this.writing.then(
      () => this.resolve(value),
      (err: unknown) =>
        this.resolve({
          kind: 'error',
          code: 'other',
          message: `cannot write what arrived: ${err instanceof Error ? err.message : String(err)}`,
          elapsedMs: Date.now() - this.start,
        }),
    );
  }

  private partial(): Observation {
    return observation(this.got, false);
  }

  readonly giveUp = (why: string): void => {
    if (this.got.headersMs >= 0) this.finish(this.partial());
    else
      this.finish({
        kind: 'error',
        code: 'timeout',
        message: why,
        elapsedMs: Date.now() - this.start,
      });
  };

  onRequestError(err: NodeJS.ErrnoException): void {
    if (this.got.headersMs >= 0) this.finish(this.partial());
    else
      this.finish({
        kind: 'error',
        code: transportFailure(err),
        message: err.code ? `${err.code}: ${err.message}` : err.message,
        elapsedMs: Date.now() - this.start,
      });
  }

  onResponse(res: http.IncomingMessage): void {
    const { got, options } = this;
    got.headersMs = Date.now() - this.start;
    got.status = res.statusCode ?? 0;
    got.contentType = String(res.headers['content-type'] ?? '');
    if (got.status >= 300 && got.status < 400 && res.headers.location) {
      res.resume();
      this.finish({ redirect: res.headers.location });
      return;
    }
    this.timers.armIdle();
    noteHeaders(options.progress, res);
    const success = got.status >= 200 && got.status < 300;
    const cap = success ? (options.maxBytes ?? Number.POSITIVE_INFINITY) : ERROR_BODY_BYTES;
    const length = Number(res.headers['content-length']);
    if (success && options.checkLength && Number.isSafeInteger(length) && length > cap) {
      got.overCap = { maxBytes: cap, seenBytes: 0 };
      return this.finish(this.partial());
    }
    this.readBody(res, cap, success);
  }

  private readBody(res: http.IncomingMessage, cap: number, success: boolean): void {
    const { got, options } = this;
    const sink = got.status === 200 ? options.onChunk : undefined;
    res.on('data', (chunk: Buffer) => {
      this.timers.armIdle();
      const kept = take(got, chunk, cap, success, options.progress);
      const written = sink ? sink(kept) : void got.chunks.push(kept);
      if (written) this.waitFor(res, written);
      // At the cap: the rest is never read.
      if (kept.length < chunk.length) this.finish(this.partial());
    });
    res.on('end', () => this.finish(observation(got, true)));
    res.on('error', () => this.finish(this.partial()));
  }

  /** Pauses the response until the sink has taken a chunk. */
  private waitFor(res: http.IncomingMessage, written: Promise<void>): void {
    res.pause();
    this.writing = this.writing.then(() => written);
    this.writing.catch(() => undefined); // reported by finish, once
    written.then(
      () => res.resume(),
      () => this.finish(this.partial()),
    );
  }
}

/**
 * Counts a chunk in and returns the part of it within the cap: all of it, or less once the
 * cap is reached (a 2xx answer is then marked over its cap).
 */
function take(
  got: Arrival,
  chunk: Buffer,
  cap: number,
  success: boolean,
  progress: RequestProgress | undefined,
): Buffer {
  const before = got.size;
  got.size += chunk.length;
  got.lastByteMs = Date.now() - got.start;
  if (progress) {
    progress.bytes = got.size;
    progress.lastByteAt = got.start + got.lastByteMs;
  }
  if (got.size <= cap) return chunk;
  if (success) got.overCap = { maxBytes: cap, seenBytes: got.size };
  return chunk.subarray(0, Math.max(0, cap - before));
}

function observation(got: Arrival, complete: boolean): Observation {
  return {
    kind: 'response',
    status: got.status,
    contentType: got.contentType,
    body: Buffer.concat(got.chunks),
    complete,
    ...(got.overCap && { overCap: got.overCap }),
    headersMs: got.headersMs,
    totalMs: Date.now() - got.start,
    lastByteMs: got.lastByteMs < 0 ? got.headersMs : got.lastByteMs,
  };
}

function noteHeaders(progress: RequestProgress | undefined, res: http.IncomingMessage): void {
  if (!progress) return;
  progress.headersAt = Date.now();
  const length = Number(res.headers['content-length']);
  progress.expectedBytes = Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

interface RequestTimers {
  armIdle(): void;
  clear(): void;
}

/** The deadline for the whole exchange and, when set, the idle limit; both end in giveUp. */
function requestTimers(
  deadline: number,
  idleMs: number | undefined,
  giveUp: (why: string) => void,
): RequestTimers {
  const timer = setTimeout(
    () => giveUp('no response before the deadline'),
    Math.max(0, deadline - Date.now()),
  );
  let idleTimer: NodeJS.Timeout | undefined;
  const armIdle = (): void => {
    if (idleMs === undefined) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(
      () => giveUp(`nothing received for ${Math.round(idleMs / 1000)}s`),
      idleMs,
    );
  };
  armIdle();
  return {
    armIdle,
    clear: () => {
      clearTimeout(timer);
      clearTimeout(idleTimer);
    },
  };
}

/** Maps a socket error onto the categories the summary explains. */
export function transportFailure(err: NodeJS.ErrnoException): TransportFailure {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return 'dns';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      return 'reset';
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'timeout';
    default:
      if (err.code?.startsWith('ERR_TLS') || /certificate|SSL|TLS/i.test(err.message)) return 'tls';
      return 'other';
  }
}

/** A local file, read as a 200 answer (a missing one as a 404), and only up to the cap. */
async function observeFile(url: string, start: number, maxBytes?: number): Promise<Observation> {
  const answer = (status: number, body: Buffer, overCap?: OverCap): Observation => {
    const ms = Date.now() - start;
    return {
      kind: 'response',
      status,
      contentType: '',
      body,
      complete: !overCap,
      ...(overCap && { overCap }),
      headersMs: ms,
      totalMs: ms,
      lastByteMs: ms,
    };
  };
  let file: fs.FileHandle | undefined;
  try {
    file = await fs.open(fileURLToPath(url));
    const { size } = await file.stat();
    const cap = maxBytes ?? Number.POSITIVE_INFINITY;
    if (size <= cap) return answer(200, await file.readFile());
    const { buffer, bytesRead } = await file.read(Buffer.alloc(cap), 0, cap, 0);
    return answer(200, buffer.subarray(0, bytesRead), { maxBytes: cap, seenBytes: size });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return answer(404, Buffer.alloc(0));
    return { kind: 'error', code: 'other', message: String(err), elapsedMs: Date.now() - start };
  } finally {
    await file?.close();
  }
}
