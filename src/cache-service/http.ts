import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { proxyAgent } from '../util/proxy-agent.js';

/** Sent with every cache request, so the service can tell this client from the toolkit's. */
export const CACHE_USER_AGENT = 'go-resilient-setup-cache';

/**
 * The service is failing: a 5xx or 429, a connection that fails, or no progress in time. The
 * job stops asking it (see breaker.ts).
 */
export class ServiceFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceFailure';
  }
}

export interface ServiceResponse {
  status: number;
  /** At most MAX_ANSWER_BYTES of the body. */
  body: string;
}

/** A lookup answer is a few hundred bytes; anything longer is not one. */
const MAX_ANSWER_BYTES = 64 * 1024;

/** Where a request went, for messages: never the query, which may carry a signature. */
export function where(url: URL): string {
  return `${url.host}${url.pathname}`;
}

/** What a small request got back: the status and at most `maxBytes` of the body. */
export interface SmallAnswer {
  status: number;
  body: string;
  /** Why the body is not whole: longer than the cap, cut short, or too late. */
  incomplete?: string;
}

/**
 * One small request, bounded in time and in the bytes kept. Rejects only when no answer came
 * (a connection that fails, or nothing within `timeoutMs`); an answer that is too long, cut
 * short or too late resolves with what came and says so.
 */
export function smallRequest(
  method: string,
  url: URL,
  opts: { headers: Record<string, string>; body?: string; timeoutMs: number; maxBytes: number },
): Promise<SmallAnswer> {
  return new Promise((resolve, reject) => {
    const late = `no answer within ${Math.round(opts.timeoutMs / 1000)}s`;
    let timedOut = false;
    const req = send(method, url, opts.headers, (res) => {
      const parts: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= opts.maxBytes) parts.push(chunk);
        else res.destroy();
      });
      res.on('close', () => {
        clearTimeout(timer);
        const incomplete =
          size > opts.maxBytes
            ? `answer longer than ${opts.maxBytes} bytes`
            : !res.complete
              ? timedOut
                ? late
                : 'answer cut short'
              : undefined;
        const body = Buffer.concat(parts).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body, ...(incomplete && { incomplete }) });
      });
    });
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy(new Error(late));
    }, opts.timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${method} ${where(url)}: ${err.message}`));
    });
    req.end(opts.body);
  });
}

/** One small request to the service. Throws ServiceFailure when the service is failing. */
export async function callService(
  method: 'GET' | 'POST',
  url: URL,
  opts: { headers: Record<string, string>; body?: string; timeoutMs: number },
): Promise<ServiceResponse> {
  let answer: SmallAnswer;
  try {
    answer = await smallRequest(method, url, { ...opts, maxBytes: MAX_ANSWER_BYTES });
  } catch (err) {
    throw new ServiceFailure((err as Error).message);
  }
  if (isFailing(answer.status)) {
    throw new ServiceFailure(`${method} ${where(url)} answered HTTP ${answer.status}`);
  }
  return { status: answer.status, body: answer.body };
}

/** An archive download under way. */
export interface Download {
  body: IncomingMessage;
  /** Content-Length, when the server sent one. */
  length?: number;
}

/**
 * Starts downloading an archive. Resolves once the headers are in with a 200; rejects with a
 * ServiceFailure for a failing service, or a plain Error for any other answer. While the body
 * streams, it fails with a ServiceFailure once no byte has come for `stallMs` although the
 * reader waits for more, or once `budgetMs` has passed since the start, and with an Error past
 * `maxBytes` (counted on the wire).
 */
export function openDownload(url: URL, opts: DownloadLimits): Promise<Download> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const state: DownloadState = { start, lastByte: start, seen: 0 };
    const fail = (err: Error): void => {
      clearInterval(watch);
      if (state.body) state.body.destroy(err);
      else {
        req.destroy();
        reject(err);
      }
    };
    const watch = setInterval(
      () => {
        const problem = downloadProblem(url, opts, state);
        if (problem) fail(problem);
      },
      Math.min(250, opts.stallMs),
    );
    const req = send('GET', url, {}, (res) => {
      state.body = res;
      state.lastByte = Date.now();
      const status = res.statusCode ?? 0;
      res.on('close', () => clearInterval(watch));
      if (status !== 200) {
        res.resume();
        clearInterval(watch);
        const message = `GET ${where(url)} answered HTTP ${status}`;
        reject(isFailing(status) ? new ServiceFailure(message) : new Error(message));
        return;
      }
      const length = Number(res.headers['content-length']);
      resolve({ body: res, length: Number.isSafeInteger(length) ? length : undefined });
    });
    req.on('error', (err) => {
      clearInterval(watch);
      reject(new ServiceFailure(`GET ${where(url)}: ${err.message}`));
    });
    req.end();
  });
}

interface DownloadLimits {
  stallMs: number;
  budgetMs: number;
  maxBytes: number;
}

/** How a download has gone so far, as the watchdog sees it. */
interface DownloadState {
  start: number;
  /** When the byte count last moved (or the headers came). */
  lastByte: number;
  /** Bytes read on the socket at the last check. */
  seen: number;
  body?: IncomingMessage;
}

/** One watchdog check: notes progress, and returns why to give up, if it is time to. */
function downloadProblem(url: URL, opts: DownloadLimits, state: DownloadState): Error | undefined {
  const { body } = state;
  // Counted on the socket: a 'data' listener would start the body flowing unread.
  const read = body?.socket?.bytesRead ?? 0;
  if (read !== state.seen) {
    state.seen = read;
    state.lastByte = Date.now();
  }
  // A reader that is busy writing to disk pauses the body; only a body that has room for
  // more and gets nothing is stalled.
  const waiting = !body || body.readableLength < body.readableHighWaterMark;
  if (read > opts.maxBytes) {
    return new Error(`${where(url)}: more than ${opts.maxBytes} bytes; abandoned`);
  }
  if (Date.now() - state.start > opts.budgetMs) {
    return new ServiceFailure(`${where(url)}: gave up after ${Math.round(opts.budgetMs / 1000)}s`);
  }
  if (waiting && Date.now() - state.lastByte > opts.stallMs) {
    return new ServiceFailure(
      `the cache service sent nothing for ${Math.round(opts.stallMs / 1000)}s (GET ${where(url)}); abandoned`,
    );
  }
  return undefined;
}

function send(
  method: string,
  url: URL,
  headers: Record<string, string>,
  onResponse: (res: IncomingMessage) => void,
): http.ClientRequest {
  const mod = url.protocol === 'https:' ? https : http;
  return mod.request(
    url,
    { method, headers: { 'user-agent': CACHE_USER_AGENT, ...headers }, agent: proxyAgent(url) },
    onResponse,
  );
}

function isFailing(status: number): boolean {
  return status >= 500 || status === 429;
}
