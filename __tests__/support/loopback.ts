// Listening on loopback for the test servers (mirrors, the cache service).
import { createServer, type Server } from 'node:http';

/** Listens on an ephemeral 127.0.0.1 port and returns it. */
export function listen(server: Server): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      if (addr && typeof addr === 'object') resolvePort(addr.port);
      else reject(new Error('loopback server: no address'));
    });
  });
}

/** A port that was just free: connecting to it gets ECONNREFUSED. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}
