import { formatBytes } from '../util/bytes.js';
import type { OverCap, ResponseObservation } from './fetch.js';

/** How much of a server's error text a reason quotes. */
const MAX_QUOTE = 160;

/**
 * `HTTP 502: "upstream timed out"`: the status and the first line of what the server said,
 * short and on one line, as Go quotes a server's response. An HTML page's first line says
 * nothing, so it is left out.
 */
export function describeStatus(o: ResponseObservation): string {
  if (/html/i.test(o.contentType)) return `HTTP ${o.status}`;
  const line = o.body
    .toString('utf8')
    .split(/\r?\n/)
    .map((l) => l.replace(/\p{Cc}/gu, ' ').trim())
    .find((l) => l !== '');
  if (!line || line.startsWith('<')) return `HTTP ${o.status}`;
  const quote = line.length > MAX_QUOTE ? `${line.slice(0, MAX_QUOTE)}…` : line;
  return `HTTP ${o.status}: ${JSON.stringify(quote)}`;
}

/** Why a body was cut off: the cap and what had arrived by then. */
export function describeOverCap(cap: OverCap): string {
  return `larger than the ${formatBytes(cap.maxBytes)} cap (${cap.seenBytes} bytes seen before the request was closed)`;
}
