import dc from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';

/** What the HTTP traffic of one cache call looks like so far. */
export interface HttpWatch {
  /** How long bytes have not moved while a request was waiting for them; 0 when none waits. */
  idleMs(): number;
  /** The first sign that the service is failing: a 5xx or 429 answer, or a request error. */
  failure(): string | undefined;
  stop(): void;
}

const START = 'http.client.request.start';
const RESPONSE = 'http.client.response.finish';

/**
 * Watches every HTTP request this process makes until stopped. @actions/cache reports no
 * progress and retries a failing service for about half a minute per call, so its own
 * traffic is the only signal of a stalled download or a failing service. While a cache
 * call runs, nothing else in the step makes requests.
 */
export function watchHttp(now: () => number = Date.now): HttpWatch {
  const waiting = new Map<ClientRequest, number>();
  let lastMoved = now();
  let failure: string | undefined;
  let stopped = false;

  const where = (req: ClientRequest): string =>
    `${req.method} ${req.host}${req.path.split('?')[0]}`;
  const bytesOf = (req: ClientRequest): number =>
    req.socket ? req.socket.bytesRead + req.socket.bytesWritten : 0;

  const onStart = (message: unknown): void => {
    const req = (message as { request: ClientRequest }).request;
    if (stopped) return;
    waiting.set(req, bytesOf(req));
    lastMoved = now();
    req.once('close', () => waiting.delete(req));
    req.on('error', (err: Error) => {
      failure ??= `${where(req)}: ${err.message || err.name}`;
    });
  };
  const onResponse = (message: unknown): void => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    const status = response.statusCode ?? 0;
    if (!stopped && (status >= 500 || status === 429)) {
      failure ??= `${where(request)} answered HTTP ${status}`;
    }
  };
  dc.subscribe(START, onStart);
  dc.subscribe(RESPONSE, onResponse);

  return {
    idleMs() {
      let moved = waiting.size === 0;
      for (const [req, seen] of waiting) {
        const bytes = bytesOf(req);
        if (bytes !== seen) {
          waiting.set(req, bytes);
          moved = true;
        }
      }
      if (moved) lastMoved = now();
      return now() - lastMoved;
    },
    failure: () => failure,
    stop() {
      stopped = true;
      dc.unsubscribe(START, onStart);
      dc.unsubscribe(RESPONSE, onResponse);
      waiting.clear();
    },
  };
}
