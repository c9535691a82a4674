import { credentialSpans } from './userinfo.js';

/**
 * Splits a list input the way the README promises: entries separated by
 * newlines or commas, trimmed, with blank entries dropped.
 */
export function splitList(raw: string): string[] {
  return raw
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Splits a list of URLs like splitList, at newlines and at each of `separators`, except inside
 * a URL's credentials: a password may hold a `,`, and splitting it would show its halves in
 * an error as two entries.
 */
export function splitUrlList(raw: string, separators = ','): string[] {
  const spans = credentialSpans(raw);
  const inCredentials = (i: number) => spans.some((s) => i >= s.start && i < s.end);
  const entries: string[] = [];
  let from = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== '\n' && (!separators.includes(c) || inCredentials(i))) continue;
    entries.push(raw.slice(from, i));
    from = i + 1;
  }
  entries.push(raw.slice(from));
  return entries.map((s) => s.trim()).filter((s) => s.length > 0);
}
