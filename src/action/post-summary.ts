import type { CleanupReport } from '../buildcache/delete-superseded.js';
import { formatBytes } from '../util/bytes.js';

/** What became of the older entries, in words: the log line's tail and the summary's cell. */
export function cleanupText(c: CleanupReport): string {
  const kept = (n: number | undefined): string =>
    n === undefined ? 'kept the older entries' : `kept ${n} older ${n === 1 ? 'entry' : 'entries'}`;
  if (c.deleted > 0) {
    const text = `deleted ${c.deleted} older ${c.deleted === 1 ? 'entry' : 'entries'} (${formatBytes(c.deletedBytes)})`;
    return c.kept ? `${text}, ${kept(c.kept)}: ${c.reason}` : text;
  }
  if (c.kept === 0 && !c.reason) return 'no older entries to delete';
  if (c.kept === 0) return `deleted nothing: ${c.reason}`;
  return `${kept(c.kept)}: ${c.reason}`;
}

/** The post step's summary of the older build-cache entries of this job and ref. */
export function renderCleanupSummary(c: CleanupReport): string {
  return [
    '### Build cache cleanup',
    '',
    '| | |',
    '|---|---|',
    `| older entries of | \`${c.keyPrefix}\` on \`${c.ref}\` |`,
    `| outcome | ${cleanupText(c).replace(/\|/g, '\\|')} |`,
    '',
  ].join('\n');
}
