/**
 * Credentials may sit inside mirror URLs (`https://user:token@host`), which Go
 * accepts. Everything that reaches a log, the job summary or an output goes
 * through these helpers first.
 */

const MASK = '***';

/** Returns the URL with any user name and password replaced by `***`. */
export function maskUrl(raw: string): string {
  // Parse leniently by hand: the value may be invalid, and an error message
  // about an invalid value must still not leak its credentials.
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^/?#]*@)(.*)$/s.exec(raw);
  if (!m) return raw;
  const userinfo = m[2].slice(0, -1);
  const masked = userinfo.includes(':') ? `${MASK}:${MASK}` : MASK;
  return `${m[1]}${masked}@${m[3]}`;
}

/**
 * The secrets to register with the runner before anything is logged: each
 * userinfo, its password and its percent-decoded forms, for every URL-shaped
 * token in the raw input text.
 */
export function findUrlSecrets(raw: string): string[] {
  const secrets = new Set<string>();
  for (const m of raw.matchAll(/[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#\s,]*)@/g)) {
    const userinfo = m[1];
    if (!userinfo) continue;
    const colon = userinfo.indexOf(':');
    const parts = colon >= 0 ? [userinfo, userinfo.slice(colon + 1)] : [userinfo];
    for (const part of parts) {
      if (!part) continue;
      secrets.add(part);
      const decoded = safeDecode(part);
      if (decoded) secrets.add(decoded);
    }
  }
  return [...secrets];
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}
