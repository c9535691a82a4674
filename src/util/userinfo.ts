/**
 * Where credentials sit in URL text, and the forms one credential takes on its way to a log.
 * The same password shows up as the user wrote it, as the URL serialiser re-encodes it (the
 * form GOPROXY carries), decoded (what is sent), and escaped the way Go's net/url escapes it
 * (Go prints a URL whose user name is the token in full, in that form).
 */

const URL_START = '[a-zA-Z][a-zA-Z0-9+.-]*://';

/**
 * A URL's credentials run from `://` to the LAST `@` before the next URL of a list (after a
 * `,`, `|` or blank) or the line's end: URL parsers take the last `@` too, and a password
 * holding a raw `/`, `?`, `#` or `,` must not end the credentials early, or part of it would
 * show. A `/` right after `://` is an empty authority (`file:///path@x`): no credentials. A
 * scheme starts where a word does, which also keeps a long Location header from a server
 * quick to scan.
 */
const CREDENTIALS = new RegExp(
  `(?<![a-zA-Z0-9+.-])(${URL_START})(?!/)((?:(?![,|\\s]${URL_START})[^\\r\\n])*)@`,
  'g',
);

export interface CredentialSpan {
  /** Where the credentials start, right after `://`. */
  start: number;
  /** Where they end: the index of their `@`. */
  end: number;
  userinfo: string;
}

/** The credentials of every URL in the text, lists and invalid URLs included. */
export function credentialSpans(text: string): CredentialSpan[] {
  const spans: CredentialSpan[] = [];
  for (const m of text.matchAll(CREDENTIALS)) {
    const start = (m.index ?? 0) + m[1].length;
    spans.push({ start, end: start + m[2].length, userinfo: m[2] });
  }
  return spans;
}

/** The user name and the password, as written; the password is empty when there is none. */
export function splitUserinfo(userinfo: string): { user: string; password: string } {
  const colon = userinfo.indexOf(':');
  if (colon < 0) return { user: userinfo, password: '' };
  return { user: userinfo.slice(0, colon), password: userinfo.slice(colon + 1) };
}

/** Percent-decoded, or undefined when a `%` is not followed by two hex digits. */
export function percentDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** A user name or password as the URL serialiser writes it (what `new URL()` leaves in the URL). */
export function serialised(written: string): string {
  const url = new URL('https://host.invalid');
  url.password = written;
  return url.password;
}

/**
 * A serialised user name or password, fit for GOPROXY: Go splits GOPROXY at `,` and `|`
 * before it parses a URL, and the serialiser leaves `,` alone.
 */
export function forGoproxy(serialisedPart: string): string {
  return serialisedPart.replace(/,/g, '%2C');
}

/** What Go's url.User(…).String() makes of a decoded user name or password. */
export function goEscaped(decoded: string): string {
  let out = '';
  for (const byte of Buffer.from(decoded, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += GO_USERINFO_KEEPS.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The characters net/url leaves as they are in a user name or password (checked against Go 1.23 and 1.26). */
const GO_USERINFO_KEEPS = /^[A-Za-z0-9$&+,\-.;=_~]$/;

/** Every form one credential may take: as written, serialised, for GOPROXY, decoded, Go-escaped. */
export function credentialForms(written: string): string[] {
  const ser = serialised(written);
  const forms = new Set([written, ser, forGoproxy(ser)]);
  const decoded = percentDecode(written);
  if (decoded !== undefined) {
    forms.add(decoded);
    forms.add(goEscaped(decoded));
  }
  return [...forms];
}
