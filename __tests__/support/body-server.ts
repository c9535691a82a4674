// A loopback download server: files as they are, and bodies of zeros too large to hold, sent
// as fast as the client takes them, counting what went out before the client hung up.
import { createServer, type ServerResponse } from 'node:http';
import { listen } from './loopback.js';

/** Zeros, announced with a Content-Length or sent chunked without one. */
export interface Zeros {
  zeros: number;
  contentLength: boolean;
}

export interface BodyServer {
  url: string;
  /** Each request's path, and the body bytes written to the socket once its response closed. */
  requests: { path: string; sent?: number }[];
  /** The body bytes written for the last request to `path`, once its response has closed. */
  sent(path: string): Promise<number>;
  close(): Promise<void>;
}

export async function startBodyServer(routes: Record<string, Buffer | Zeros>): Promise<BodyServer> {
  const requests: BodyServer['requests'] = [];
  const server = createServer((req, res) => {
    const record = { path: (req.url ?? '/').split('?')[0] };
    requests.push(record);
    const route = routes[record.path];
    if (!route) {
      res.writeHead(404).end('not found\n');
      return;
    }
    const body = Buffer.isBuffer(route) ? route : undefined;
    const total = body ? body.length : (route as Zeros).zeros;
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      ...((body || (route as Zeros).contentLength) && { 'content-length': String(total) }),
    });
    pump(res, body, total, (sent) => Object.assign(record, { sent }));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sent: async (path) => {
      for (;;) {
        const last = requests.filter((r) => r.path === path).at(-1);
        if (last?.sent !== undefined) return last.sent;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** Writes the body in 64 KiB pieces as the socket drains, until it is done or the client left. */
function pump(
  res: ServerResponse,
  body: Buffer | undefined,
  total: number,
  closed: (sent: number) => void,
): void {
  const zeros = Buffer.alloc(64 * 1024);
  let sent = 0;
  res.on('close', () => closed(sent));
  const more = (): void => {
    while (sent < total && !res.destroyed) {
      const piece = body ? body.subarray(sent, sent + zeros.length) : zeros;
      const n = Math.min(piece.length, total - sent);
      sent += n;
      if (!res.write(piece.subarray(0, n))) return void res.once('drain', more);
    }
    if (!res.destroyed) res.end();
  };
  more();
}
