// A GOPROXY server over a proxy tree (see writeProxyTree) that can misbehave in the ways real
// mirrors do, so tests can watch how go and the action react.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { readZip } from '../../src/gomod/zip.js';
import { selfSignedCert } from './tls-cert.js';
import { writeZip } from './zipwriter.js';
import { closedPort, listen } from './loopback.js';

export type Fault =
  | 'none'
  | 'notfound'
  | 'status502'
  | 'refused'
  | 'dns'
  | 'hang'
  | 'stall'
  | 'throttle'
  | 'flaky'
  | 'corruptZip'
  | 'wrongZip'
  | 'html200'
  | 'sumdb502'
  /** Every answer, headers included, comes `delayMs` late, and right. */
  | 'delay'
  /** A 302 to `redirectTo`. */
  | 'redirect'
  /** A 500 whose body of `errorBytes` is made as the client reads it, never held whole. */
  | 'hugeError';

export type SumdbMode = 'notfound' | 'supported' | 'status502' | 'supportedBroken';

export type FaultWhen = (path: string, n: number) => boolean;

export interface MirrorOptions {
  root: string;
  fault?: Fault;
  /** Applies the fault only where this returns true; n is the request's index in the log. */
  faultWhen?: FaultWhen;
  sumdb?: SumdbMode;
  /** How late the 'delay' fault answers (default 1000 ms). */
  delayMs?: number;
  /** Where the 'redirect' fault sends every request (any URL, any scheme). */
  redirectTo?: string;
  /** How big the 'hugeError' fault's body is (default 400 MiB). */
  errorBytes?: number;
  /** The credentials the mirror accepts, decoded: what a client sends as Basic auth. */
  basicAuth?: { user: string; password: string };
  /**
   * Serve https with a self-signed cert (trust it via mirror.caFile). go only sends basicAuth
   * credentials to https mirrors.
   */
  tls?: boolean;
}

export interface MirrorRequest {
  method: string;
  path: string;
  at: number;
  status?: number;
  /** Whether the request carried an Authorization header (only tracked with basicAuth). */
  auth?: boolean;
  /** Whether the fault was applied to this request. */
  faulted?: boolean;
  /** Tells the action's own probes (go-resilient-setup) from go's requests. */
  userAgent: string;
  /** Sent by the go command: `Go-http-client/…` up to Go 1.26, `GoCommand/…` from Go 1.27. */
  fromGo: boolean;
  /** Body bytes handed to the socket so far (counted for the 'hugeError' fault). */
  bodyBytes?: number;
}

export interface Mirror {
  url: string;
  /** url with the basicAuth credentials embedded, as a GOPROXY entry would carry them. */
  authUrl: string;
  port: number;
  /** With tls: the certificate to trust (SSL_CERT_FILE for go, NODE_EXTRA_CA_CERTS for node). */
  caFile?: string;
  requests: MirrorRequest[];
  /** Changes the fault mid-test, e.g. healthy while probed, broken while downloading. */
  setFault(fault: Fault, faultWhen?: FaultWhen): void;
  close(): Promise<void>;
}

const THROTTLE_CHUNK = 256;
const THROTTLE_DELAY_MS = 64; // 256 B per 64 ms is about 4 KB/s
const SUMDB_PREFIX = '/sumdb/';

// Shaped like a real signed tree head note; go cannot verify it, which is fine: it only has
// to look like a sumdb that is up.
function fakeTreeHead(): string {
  const hash = createHash('sha256').update('fixture tree').digest('base64');
  const sig = Buffer.concat([
    createHash('sha256').update('key').digest().subarray(0, 4),
    createHash('sha512').update('sig').digest(),
  ]).toString('base64');
  return `go.sum database tree\n31337\n${hash}\n\n\u2014 sum.golang.org ${sig}\n`;
}

function contentType(path: string): string {
  if (path.endsWith('.info')) return 'application/json';
  if (path.endsWith('.zip')) return 'application/zip';
  return 'text/plain; charset=utf-8';
}

// Only the files a GOPROXY serves; `@latest` and anything else is a 404 so go falls through.
const SERVABLE = /\/@v\/(list|[^/]+\.(info|mod|zip))$/;

function corrupt(zip: Buffer): Buffer {
  const out = Buffer.from(zip);
  const mid = Math.floor(out.length / 2);
  for (let i = Math.max(0, mid - 8); i < Math.min(out.length, mid + 8); i++) out[i] ^= 0xff;
  return out;
}

// Still a valid zip of the same module, but with different source: only go.sum can tell.
function tamper(zip: Buffer): Buffer {
  const entries = readZip(zip);
  const victim = entries.find((e) => e.name.endsWith('.go')) ?? entries[entries.length - 1];
  victim.data = Buffer.concat([victim.data, Buffer.from('\n// tampered by mirror\n')]);
  return writeZip(entries, { deflate: true });
}

export async function startMirror(opts: MirrorOptions): Promise<Mirror> {
  let fault: Fault = opts.fault ?? 'none';
  let faultWhen: FaultWhen | undefined = opts.faultWhen;
  const requests: MirrorRequest[] = [];
  const scheme = opts.tls ? 'https' : 'http';
  const noServer = (url: string, port: number): Mirror => ({
    url,
    authUrl: url,
    port,
    requests,
    setFault: () => {
      throw new Error(`mirror: fault '${fault}' has no server to reconfigure`);
    },
    close: async () => {},
  });
  if (fault === 'refused') {
    const port = await closedPort();
    return noServer(`${scheme}://127.0.0.1:${port}`, port);
  }
  if (fault === 'dns') return noServer(`${scheme}://mirror.invalid`, opts.tls ? 443 : 80);

  const root = resolve(opts.root);
  const sumdb = opts.sumdb ?? 'notfound';
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let eligible = 0; // requests the fault could apply to; 'flaky' fails every second one

  const expectedAuth = opts.basicAuth
    ? 'Basic ' + Buffer.from(`${opts.basicAuth.user}:${opts.basicAuth.password}`).toString('base64')
    : undefined;

  function send(
    res: ServerResponse,
    rec: MirrorRequest,
    status: number,
    type: string,
    body: Buffer | string,
  ): void {
    rec.status = status;
    const buf = typeof body === 'string' ? Buffer.from(body) : body;
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': buf.length });
    res.end(buf);
  }

  function sendStalled(res: ServerResponse, rec: MirrorRequest, type: string, body: Buffer) {
    rec.status = 200;
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length });
    // Half the body, then silence on an open socket: the client waits for the rest forever.
    res.write(body.subarray(0, Math.floor(body.length / 2)));
  }

  function sendThrottled(res: ServerResponse, rec: MirrorRequest, type: string, body: Buffer) {
    rec.status = 200;
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length });
    let offset = 0;
    const tick = () => {
      if (res.destroyed) return;
      const chunk = body.subarray(offset, offset + THROTTLE_CHUNK);
      offset += chunk.length;
      if (offset >= body.length) return void res.end(chunk);
      res.write(chunk);
      const timer = setTimeout(() => {
        timers.delete(timer);
        tick();
      }, THROTTLE_DELAY_MS);
      timers.add(timer);
    };
    tick();
  }

  // Written only as fast as the client reads (each write waits for 'drain'), so what the
  // mirror wrote shows how much the client took before it closed the request.
  function sendHugeError(res: ServerResponse, rec: MirrorRequest): void {
    rec.status = 500;
    rec.bodyBytes = 0;
    const total = opts.errorBytes ?? 400 * 1024 * 1024;
    const chunk = Buffer.from('internal error: '.padEnd(64 * 1024, 'x'));
    res.writeHead(500, { 'Content-Type': 'text/plain', 'Content-Length': total });
    const pump = (): void => {
      while (!res.destroyed && rec.bodyBytes! < total) {
        const part = chunk.subarray(0, Math.min(chunk.length, total - rec.bodyBytes!));
        rec.bodyBytes! += part.length;
        if (!res.write(part)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  }

  function serveSumdb(path: string, res: ServerResponse, rec: MirrorRequest): void {
    const notFound = () => send(res, rec, 404, 'text/plain', 'not found\n');
    if (sumdb === 'status502') return send(res, rec, 502, 'text/plain', 'bad gateway\n');
    if (sumdb === 'notfound') return notFound();
    if (path === '/sumdb/sum.golang.org/supported') return send(res, rec, 200, 'text/plain', '');
    if (path === '/sumdb/sum.golang.org/latest') {
      if (sumdb === 'supportedBroken') return send(res, rec, 500, 'text/plain', 'internal error\n');
      return send(res, rec, 200, 'text/plain; charset=utf-8', fakeTreeHead());
    }
    return notFound();
  }

  function readTreeFile(path: string): Buffer | undefined {
    if (!SERVABLE.test(path)) return undefined;
    const file = join(root, path);
    if (!file.startsWith(root + sep)) return undefined;
    try {
      if (!statSync(file).isFile()) return undefined;
      return readFileSync(file);
    } catch {
      return undefined;
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://mirror').pathname);
    const n = requests.length;
    const rec: MirrorRequest = {
      method: req.method ?? 'GET',
      path,
      at: Date.now(),
      userAgent: String(req.headers['user-agent'] ?? ''),
      fromGo: /^(Go-http-client|GoCommand)\//.test(String(req.headers['user-agent'] ?? '')),
    };
    if (expectedAuth) rec.auth = req.headers.authorization !== undefined;
    requests.push(rec);

    if (expectedAuth && req.headers.authorization !== expectedAuth) {
      rec.status = 401;
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="goproxy"', 'Content-Length': 0 });
      return void res.end();
    }

    const active = fault !== 'none' && (faultWhen ? faultWhen(path, n) : true);
    let mode: Fault = 'none';
    if (active) {
      mode = fault;
      if (fault === 'flaky') mode = eligible++ % 2 === 1 ? 'status502' : 'none';
      if (fault === 'sumdb502') mode = path.startsWith(SUMDB_PREFIX) ? 'status502' : 'none';
      if ((fault === 'corruptZip' || fault === 'wrongZip') && !path.endsWith('.zip')) mode = 'none';
    }
    rec.faulted = mode !== 'none';

    if (mode === 'delay') {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) serve(path, res, rec, 'none');
      }, opts.delayMs ?? 1000);
      timers.add(timer);
      return;
    }
    serve(path, res, rec, mode);
  }

  function serve(path: string, res: ServerResponse, rec: MirrorRequest, mode: Fault): void {
    switch (mode) {
      case 'hang':
        return; // never answered; close() destroys the socket
      case 'notfound':
        return send(res, rec, 404, 'text/plain', 'not found\n');
      case 'status502':
        return send(res, rec, 502, 'text/plain', 'bad gateway\n');
      case 'html200':
        return send(res, rec, 200, 'text/html', '<html>captive portal</html>');
      case 'hugeError':
        return sendHugeError(res, rec);
      case 'redirect':
        rec.status = 302;
        res.writeHead(302, { Location: opts.redirectTo ?? '', 'Content-Length': 0 });
        return void res.end();
    }

    if (path.startsWith(SUMDB_PREFIX)) return serveSumdb(path, res, rec);
    const body = readTreeFile(path);
    if (!body) return send(res, rec, 404, 'text/plain', `not found: ${path}\n`);
    const type = contentType(path);
    if (mode === 'stall') return sendStalled(res, rec, type, body);
    if (mode === 'throttle') return sendThrottled(res, rec, type, body);
    if (mode === 'corruptZip') return send(res, rec, 200, type, corrupt(body));
    if (mode === 'wrongZip') return send(res, rec, 200, type, tamper(body));
    return send(res, rec, 200, type, body);
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    try {
      handle(req, res);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`mirror error: ${(err as Error).message}\n`);
    }
  };
  const cert = opts.tls ? selfSignedCert() : undefined;
  // The trust file lives as long as the mirror, so nothing is left behind after close().
  const caDir = cert ? mkdtempSync(join(tmpdir(), 'mirror-ca-')) : undefined;
  const caFile = caDir ? join(caDir, 'ca.pem') : undefined;
  if (caFile) writeFileSync(caFile, cert!.cert);
  const server: Server = cert
    ? createHttpsServer({ key: cert.key, cert: cert.cert }, onRequest)
    : createServer(onRequest);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server);
  const url = `${scheme}://127.0.0.1:${port}`;
  const authUrl = opts.basicAuth
    ? `${scheme}://${encodeURIComponent(opts.basicAuth.user)}:${encodeURIComponent(opts.basicAuth.password)}@127.0.0.1:${port}`
    : url;

  return {
    url,
    authUrl,
    port,
    caFile,
    requests,
    setFault(next, when) {
      fault = next;
      faultWhen = when;
    },
    close: () =>
      new Promise<void>((done) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        if (caDir) rmSync(caDir, { recursive: true, force: true });
        server.close(() => done());
        // Hung and stalled responses would otherwise keep the server (and Jest) alive.
        server.closeAllConnections?.();
        for (const socket of sockets) socket.destroy();
      }),
  };
}

export function startMirrors(list: MirrorOptions[]): Promise<Mirror[]> {
  return Promise.all(list.map((opts) => startMirror(opts)));
}

export async function closeMirrors(mirrors: Mirror[]): Promise<void> {
  await Promise.all(mirrors.map((m) => m.close()));
}
