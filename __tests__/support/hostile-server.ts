// A loopback server, plain and TLS, whose routes a test sets: what a server can do to a request
// of the action, such as an endless body or a redirect somewhere no client should go.
import { expect } from '@jest/globals';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { selfSignedCert } from './tls-cert.js';

const CHUNK = Buffer.alloc(64 * 1024, 'x');

/** One request as the server saw it. */
export interface Seen {
  path: string;
  authorization?: string;
  /** Body bytes the server managed to hand to the socket. */
  written: number;
  /** The client went away (closed the connection). */
  closed: boolean;
}

export type Route = (req: http.IncomingMessage, res: http.ServerResponse, rec: Seen) => void;

/** Every request since the last `forget()`. */
export const seen: Seen[] = [];
/** By path; any other path answers 200 `ok`. */
export const routes = new Map<string, Route>();

/** Writes `CHUNK`s for as long as the client reads, forever: only the client can end it. */
export function endless(status: number): Route {
  return (_req, res, rec) => {
    res.writeHead(status, { 'content-type': 'text/plain' });
    const pump = (): void => {
      while (!res.destroyed) {
        rec.written += CHUNK.length;
        if (!res.write(CHUNK)) return void res.once('drain', pump);
      }
    };
    pump();
  };
}

export function redirect(location: string, status = 302): Route {
  return (_req, res) => {
    res.writeHead(status, { location });
    res.end();
  };
}

function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  const rec: Seen = {
    path: req.url ?? '',
    authorization: req.headers.authorization,
    written: 0,
    closed: false,
  };
  seen.push(rec);
  res.on('close', () => (rec.closed = true));
  const route = routes.get(rec.path);
  if (route) return route(req, res, rec);
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok\n');
}

export interface HostileServers {
  base: string;
  secureBase: string;
  close(): Promise<void>;
}

const listen = async (server: http.Server | https.Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

export async function startHostileServers(): Promise<HostileServers> {
  const cert = selfSignedCert();
  const plain = http.createServer(handler);
  const secure = https.createServer({ key: cert.key, cert: cert.cert }, handler);
  const base = `http://127.0.0.1:${await listen(plain)}`;
  const secureBase = `https://127.0.0.1:${await listen(secure)}`;
  // Requests without a proxy go through the global agent: it trusts the test certificate.
  https.globalAgent.options.ca = [cert.cert];
  return {
    base,
    secureBase,
    close: async () => {
      delete https.globalAgent.options.ca;
      for (const server of [plain, secure]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}

/** Clears the requests seen and the routes set, for the next test. */
export function forget(): void {
  seen.length = 0;
  routes.clear();
}

/** Waits until the server has seen the client close each request. */
export async function closedByClient(): Promise<void> {
  for (let i = 0; i < 100 && seen.some((r) => !r.closed); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(seen.map((r) => r.closed)).toEqual(seen.map(() => true));
}
