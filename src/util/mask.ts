/**
 * Credentials may sit inside mirror URLs (`https://user:token@host`), which Go
 * accepts. Everything that reaches a log, the job summary or an output goes
 * through these helpers first.
 */
import {
  credentialForms,
  credentialSpans,
  forGoproxy,
  percentDecode,
  serialised,
  splitUserinfo,
} from './userinfo.js';

const MASK = '***';

/**
 * Returns the text with the credentials of every URL in it replaced by `***`: one URL, a list,
 * or a value no parser accepts. Everything from `://` to the last `@` goes, so a password
 * holding a `/` or `,` never shows in part.
 */
export function maskUrl(text: string): string {
  let out = '';
  let from = 0;
  for (const span of credentialSpans(text)) {
    const masked = span.userinfo.includes(':') ? `${MASK}:${MASK}` : MASK;
    out += text.slice(from, span.start) + masked;
    from = span.end;
  }
  return out + text.slice(from);
}

/**
 * The secrets to register with the runner before anything is logged, for every URL in the
 * text: each password, or the user name when it stands alone (then it is the token), in every
 * form the action or Go may print it (see credentialForms); the userinfo as written and as
 * exported; and the Basic auth value a server could echo. A runner masks line by line, so a
 * value that decodes to several lines is registered line by line too.
 */
export function findUrlSecrets(text: string): string[] {
  const secrets = new Set<string>();
  for (const { userinfo } of credentialSpans(text)) {
    const { user, password } = splitUserinfo(userinfo);
    const token = password || user;
    if (!token) continue;
    for (const form of credentialForms(token)) secrets.add(form);
    if (user && password) {
      secrets.add(userinfo);
      secrets.add(`${forGoproxy(serialised(user))}:${forGoproxy(serialised(password))}`);
    }
    const basic = `${percentDecode(user) ?? user}:${percentDecode(password) ?? password}`;
    secrets.add(Buffer.from(basic).toString('base64'));
  }
  const lines = [...secrets].flatMap((s) => (/[\r\n]/.test(s) ? [s, ...s.split(/\r?\n|\r/)] : [s]));
  return [...new Set(lines)].filter((s) => s.trim() !== '');
}
