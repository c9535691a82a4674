import type { Mirror } from '../proxy/mirror.js';
import { splitUrlList } from '../util/list.js';
import { maskUrl } from '../util/mask.js';
import { credentialSpans, forGoproxy, percentDecode } from '../util/userinfo.js';
import type { InputName } from './inputs.js';

export interface ParsedList {
  mirrors: Mirror[];
  direct: boolean;
}

export function parseMirrorList(
  input: InputName | 'GOPROXY',
  raw: string,
  isPrivate: boolean,
  problems: string[],
): ParsedList {
  const entries = splitUrlList(raw);
  const mirrors: Mirror[] = [];
  let direct = false;
  entries.forEach((entry, i) => {
    const lower = entry.toLowerCase();
    if (lower === 'direct') {
      if (i !== entries.length - 1) {
        problems.push(
          `${input}: "direct" must be the last entry (Go ignores everything after it), but "${maskUrl(entries[i + 1])}" follows it`,
        );
      }
      direct = true;
      return;
    }
    if (lower === 'off') {
      problems.push(
        `${input}: "off" disables module downloads and cannot be part of a fallback chain; remove it`,
      );
      return;
    }
    const mirror = parseMirrorUrl(input, entry, isPrivate, problems);
    if (mirror) mirrors.push(mirror);
  });
  return { mirrors, direct };
}

export function parseMirrorUrl(
  input: InputName | 'GOPROXY',
  entry: string,
  isPrivate: boolean,
  problems: string[],
  example = 'https://proxy.golang.org',
): Mirror | undefined {
  const fail = (problem: string): undefined => {
    problems.push(`${input}: "${maskUrl(entry)}" ${problem}`);
    return undefined;
  };
  const checked = writtenCredentialsProblem(entry) ?? checkedUrl(entry, example);
  if ('problem' in checked) return fail(checked.problem);
  const { url } = checked;
  const credentials = credentialsOf(url);
  if ('problem' in credentials) return fail(credentials.problem);
  // Scheme and host in lower case, as Go compares them; the path as written.
  const normalised = `${url.protocol}//${credentials.userinfo}${url.host}${url.pathname}`.replace(
    /\/+$/,
    '',
  );
  const bare = new URL(normalised);
  bare.username = '';
  bare.password = '';
  return {
    url: normalised,
    display: maskUrl(normalised),
    requestUrl: bare.toString().replace(/\/+$/, ''),
    authorization: credentials.authorization,
    private: isPrivate,
  };
}

/**
 * A URL parser ends the host at the first `/`, `\\`, `?` or `#`: credentials holding one would
 * be cut in two, their first part taken for the host. Only percent-encoded do they reach Go.
 */
function writtenCredentialsProblem(entry: string): { problem: string } | undefined {
  const [span] = credentialSpans(entry);
  if (!span || !/[/\\?#]/.test(span.userinfo)) return undefined;
  return {
    problem:
      'has "/", "\\", "?" or "#" before its last "@": in credentials, percent-encode them (%2F, %5C, %3F, %23); a mirror\'s path cannot hold "@"',
  };
}

/** The URL, or what is wrong with it, credentials aside. */
function checkedUrl(entry: string, example: string): { url: URL } | { problem: string } {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return { problem: `is not a valid URL; expected e.g. ${example}` };
  }
  const problem = placeProblem(url, entry);
  return problem ? { problem } : { url };
}

function placeProblem(url: URL, entry: string): string | undefined {
  if (!['https:', 'http:', 'file:'].includes(url.protocol)) {
    return `uses the unsupported scheme "${url.protocol}"; use https://, http:// or file://`;
  }
  if (url.protocol === 'file:') {
    // Go takes file://<absolute path>; anything else is a relative path or a typo.
    if (!/^file:\/\/(localhost)?\//i.test(entry)) {
      return 'is not a file URL Go accepts; write file:// followed by an absolute path, e.g. file:///srv/goproxy';
    }
  } else if (!url.hostname) {
    return 'has no host name';
  }
  if (url.search || url.hash || entry.includes('?') || entry.includes('#')) {
    return 'must not contain a query string or fragment, because paths are appended to it';
  }
  // Outside the credentials: there the serialiser encodes it.
  if (maskUrl(entry).includes('|')) {
    return 'contains "|"; list mirrors one per line or comma-separated';
  }
  if ((url.username || url.password) && url.protocol !== 'https:') {
    // Go refuses to send them ("refusing to pass credentials to insecure URL"), and the
    // probe must not send them in clear either.
    return `carries credentials over ${url.protocol.slice(0, -1)}, which would send them in clear; use https://`;
  }
  return undefined;
}

/**
 * The userinfo to export, as the serialiser writes it and with `,` encoded (Go splits GOPROXY
 * there), and the `Basic …` header built from it, decoded as Go decodes it.
 */
function credentialsOf(
  url: URL,
): { userinfo: string; authorization?: string } | { problem: string } {
  if (!url.username && !url.password) return { userinfo: '' };
  const user = percentDecode(url.username);
  const password = percentDecode(url.password);
  if (user === undefined || password === undefined) {
    return {
      problem:
        'has a "%" in its credentials that starts no percent-escape; write a literal "%" as %25',
    };
  }
  const userinfo = `${forGoproxy(url.username)}${url.password ? `:${forGoproxy(url.password)}` : ''}@`;
  return {
    userinfo,
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
  };
}
