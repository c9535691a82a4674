// A throwaway self-signed certificate for 127.0.0.1. Needed because go never sends
// credentials (URL userinfo or .netrc) over plain http, so authenticated mirrors must be https.
// Node has no X.509 generation built in; the openssl CLI is on every GitHub Linux image.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SelfSignedCert {
  key: string;
  cert: string;
}

let cached: SelfSignedCert | undefined;

/** One certificate per test process, kept in memory (callers write it where they need it). */
export function selfSignedCert(): SelfSignedCert {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'mirror-tls-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    // go ignores the CN; only the subjectAltName makes the cert valid for 127.0.0.1.
    const args = [
      ...'req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2'.split(' '),
      ...['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
      ...['-keyout', keyFile, '-out', certFile],
    ];
    execFileSync('openssl', args, { stdio: 'pipe' });
    cached = { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
