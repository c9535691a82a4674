// A loopback "release mirror": serves release archives under /v<ver>/<file> the way GitHub's
// release download URL and its mirrors do, with the faults a mirror shows in the wild.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen } from './loopback.js';

export type ReleaseFault = 'none' | 'status502' | 'impostor' | 'notfound' | 'hang';

export interface ReleaseMirrorOptions {
  /** URL path (e.g. `/v2.4.0/golangci-lint-2.4.0-linux-amd64.tar.gz`) → the real bytes. */
  files: Record<string, Buffer>;
  fault?: ReleaseFault;
  /** What an `impostor` mirror serves instead of every file. */
  impostor?: Buffer;
}

export interface ReleaseMirror {
  url: string;
  requests: { path: string; status: number }[];
  close(): Promise<void>;
}

export async function startReleaseMirror(opts: ReleaseMirrorOptions): Promise<ReleaseMirror> {
  const requests: ReleaseMirror['requests'] = [];
  const fault = opts.fault ?? 'none';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body?: Buffer): void => {
      requests.push({ path, status });
      res.writeHead(status, { 'content-type': 'application/octet-stream' });
      res.end(body);
    };
    if (fault === 'hang') {
      requests.push({ path, status: 0 });
      return;
    }
    if (fault === 'status502') return send(502, Buffer.from('bad gateway\n'));
    const real = opts.files[path];
    if (!real || fault === 'notfound') return send(404, Buffer.from('not found\n'));
    if (fault === 'impostor') return send(200, opts.impostor ?? Buffer.from('not the release\n'));
    send(200, real);
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
