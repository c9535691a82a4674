import { maskUrl } from '../util/mask.js';

/**
 * Where a redirect leads, or why it is not followed. Go's own client decides the same way: only
 * http and https, and never from https down to http ("redirected from secure URL … to
 * insecure URL"), so a mirror whose answers need either fails for Go and must fail its probe.
 */
export function redirectTarget(
  location: string,
  from: URL,
  first: URL,
): { url: URL } | { problem: string } {
  let url: URL;
  try {
    url = new URL(location, from);
  } catch {
    return { problem: `redirected to "${maskUrl(location)}", which is not a URL` };
  }
  const shown = maskUrl(url.href);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { problem: `redirected to ${shown}, which is not http or https` };
  }
  if (first.protocol === 'https:' && url.protocol !== 'https:') {
    return { problem: `redirected from https to ${shown}, which Go refuses` };
  }
  return { url };
}
