import fs from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import { HttpClient, getProxyUrl } from '@actions/http-client';
import { OWN_USER_AGENT } from '../util/user-agent.js';

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
  body: Buffer;
  /** False when the deadline or the size cap cut the body short. */
  complete: boolean;
  /** Reading stopped once the body passed `maxBytes`, or never began (see `checkLength`). */
  overMaxBytes?: true;
  headersMs: number;
  totalMs: number;
  /** Milliseconds from the start to the last body byte received. */
  lastByteMs: number;
}

export type TransportFailure = 'refused' | 'dns' | 'reset' | 'timeout' | 'tls' | 'other';

export interface ErrorObservation {
  kind: 'error';
  code: TransportFailure;
  message: string;
  elapsedMs: number;
}

export interface FetchOptions {
  /** `Basic …`, sent only to the mirror's own origin. */
  authorization?: string;
  /** Milliseconds for the whole exchange, body included. */
  timeoutMs: number;
  /** Stop reading past this many bytes (the body is then incomplete). */
  maxBytes?: number;
  /**
   * With `maxBytes`: a 200 response whose Content-Length is above it is not read at all. Probes
   * leave this off: they read the first part of a large file on purpose.
   */
  checkLength?: boolean;
  /** Give up once nothing (headers or body bytes) has arrived for this long. */
  idleMs?: number;
  /**
   * Receives a 200 response's body chunks instead of the observation's `body`, for files too
   * large to hold in memory. It may return a promise: reading pauses until it settles.
   */
  onChunk?: (chunk: Buffer) => void | Promise<void>;
  /** Filled in while the request runs, so a caller can see how far along it is. */
  progress?: RequestProgress;
}

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

/**
 * @actions/http-client knows the runner's proxy settings (https_proxy,
 * no_proxy), so probes take the same route as Go. Its agent cache ignores
 * the protocol, hence a fresh client for each proxied request.
 */
function agentFor(url: URL): http.Agent | undefined {
  if (!getProxyUrl(url.toString())) return undefined;
  return new HttpClient(OWN_USER_AGENT, [], { keepAlive: false }).getAgent(url.toString());
}

/** Fetches a URL (http, https or file) and reports how it went; never throws. */
export async function observe(url: string, options: FetchOptions): Promise<Observation> {
  try {
    return await observeUrl(url, options);
  } finally {
    if (options.progress) options.progress.done = true;
  }
}

async function observeUrl(url: string, options: FetchOptions): Promise<Observation> {
  const start = Date.now();
  if (url.startsWith('file:')) return observeFile(url, start);
  const deadline = start + options.timeoutMs;
  let current = new URL(url);
  const origin = current.origin;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const auth = current.origin === origin ? options.authorization : undefined;
    const result = await requestOnce(current, auth, start, deadline, options);
    if ('redirect' in result) {
      current = new URL(result.redirect, current);
      continue;
    }
    return result;
  }
  return {
    kind: 'error',
    code: 'other',
    message: `more than ${MAX_REDIRECTS} redirects`,
    elapsedMs: Date.now() - start,
  };
}

function requestOnce(
  url: URL,
  authorization: string | undefined,
  start: number,
  deadline: number,
  options: Pick<FetchOptions, 'maxBytes' | 'checkLength' | 'idleMs' | 'onChunk' | 'progress'>,
): Promise<Observation | { redirect: string }> {
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  return new Promise((resolve) => {
    const headers: Record<string, string> = { 'user-agent': OWN_USER_AGENT };
    if (authorization) headers.authorization = authorization;
    const mod = url.protocol === 'https:' ? https : http;
    let settled = false;
    let headersMs = -1;
    let lastByteMs = -1;
    let status = 0;
    let contentType = '';
    const chunks: Buffer[] = [];
    let size = 0;

    // A sink's write may still be in flight when the response ends or fails ('end' does not
    // wait for a paused stream's consumer), so every outcome waits for it: the caller may
    // close the file as soon as this settles, and must see every byte that arrived.
    let writing: Promise<void> = Promise.resolve();
    const finish = (value: Observation | { redirect: string }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(idleTimer);
      req.destroy();
      writing.then(
        () => resolve(value),
        (err: unknown) =>
          resolve({
            kind: 'error',
            code: 'other',
            message: `cannot write what arrived: ${err instanceof Error ? err.message : String(err)}`,
            elapsedMs: Date.now() - start,
          }),
      );
    };
    const response = (complete: boolean): ResponseObservation => ({
      kind: 'response',
      status,
      contentType,
      body: Buffer.concat(chunks),
      complete,
      headersMs,
      totalMs: Date.now() - start,
      lastByteMs: lastByteMs < 0 ? headersMs : lastByteMs,
    });
    const partial = (): Observation => response(false);
    const overMax = (): Observation => ({ ...response(false), overMaxBytes: true });

    const req = mod.request(url, { headers, agent: agentFor(url) }, (res) => {
      headersMs = Date.now() - start;
      status = res.statusCode ?? 0;
      contentType = String(res.headers['content-type'] ?? '');
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        finish({ redirect: res.headers.location });
        return;
      }
      armIdle();
      const length = Number(res.headers['content-length']);
      const expected = Number.isSafeInteger(length) && length >= 0 ? length : undefined;
      const progress = options.progress;
      if (progress) {
        progress.headersAt = Date.now();
        progress.expectedBytes = expected;
      }
      if (status === 200 && options.checkLength && expected !== undefined && expected > maxBytes) {
        return finish(overMax());
      }
      const sink = status === 200 ? options.onChunk : undefined;
      res.on('data', (chunk: Buffer) => {
        armIdle();
        lastByteMs = Date.now() - start;
        size += chunk.length;
        if (progress) {
          progress.bytes = size;
          progress.lastByteAt = start + lastByteMs;
        }
        if (size > maxBytes) return finish(overMax());
        if (!sink) return void chunks.push(chunk);
        const written = sink(chunk);
        if (written) {
          res.pause();
          writing = writing.then(() => written);
          writing.catch(() => undefined); // reported by finish, once
          written.then(
            () => res.resume(),
            () => finish(partial()),
          );
        }
      });
      res.on('end', () => finish(response(true)));
      res.on('error', () => finish(partial()));
    });
    const giveUp = (why: string): void => {
      if (headersMs >= 0) finish(partial());
      else finish({ kind: 'error', code: 'timeout', message: why, elapsedMs: Date.now() - start });
    };
    const timer = setTimeout(
      () => giveUp('no response before the deadline'),
      Math.max(0, deadline - Date.now()),
    );
    let idleTimer: NodeJS.Timeout | undefined;
    const armIdle = (): void => {
      if (options.idleMs === undefined) return;
      clearTimeout(idleTimer);
      idleTimer = setTimeout(
        () => giveUp(`nothing received for ${Math.round((options.idleMs ?? 0) / 1000)}s`),
        options.idleMs,
      );
    };
    armIdle();
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (headersMs >= 0) finish(partial());
      else
        finish({
          kind: 'error',
          code: transportFailure(err),
          message: err.code ? `${err.code}: ${err.message}` : err.message,
          elapsedMs: Date.now() - start,
        });
    });
    req.end();
  });
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

async function observeFile(url: string, start: number): Promise<Observation> {
  try {
    const body = await fs.readFile(fileURLToPath(url));
    const ms = Date.now() - start;
    return {
      kind: 'response',
      status: 200,
      contentType: '',
      body,
      complete: true,
      headersMs: ms,
      totalMs: ms,
      lastByteMs: ms,
    };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const ms = Date.now() - start;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return {
        kind: 'response',
        status: 404,
        contentType: '',
        body: Buffer.alloc(0),
        complete: true,
        headersMs: ms,
        totalMs: ms,
        lastByteMs: ms,
      };
    }
    return { kind: 'error', code: 'other', message: String(err), elapsedMs: ms };
  }
}
