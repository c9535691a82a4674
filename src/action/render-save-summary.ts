import type { CleanupReport } from '../buildcache/delete-superseded.js';
import type { BuildCacheSaveReport } from '../buildcache/save-build-cache.js';
import type { SaveReport } from '../modcache/save-snapshot.js';
import { formatBytes } from '../util/bytes.js';
import { cell, code, formatMs } from './markdown.js';

/** The post step's summary of the build cache: what the job used, made and left out. */
export function renderBuildCacheSaveSummary(s: BuildCacheSaveReport): string {
  return [
    '### Build cache save',
    '',
    '| | |',
    '|---|---|',
    `| key | ${s.key ? code(s.key) : '_none_'} |`,
    `| outcome | ${s.outcome}${s.reason ? `: ${cell(s.reason)}` : ''} |`,
    `| entries used (restored) | ${s.used} |`,
    `| entries created | ${s.created}${s.indexes ? ` (and ${s.indexes} directory-index entries, which alone never cause a save)` : ''} |`,
    `| entries left out (unused) | ${s.leftOut} |`,
    `| bytes saved (before compression) | ${formatBytes(s.bytesSaved)} |`,
    `| save time | ${formatMs(s.saveMs)} |`,
    '',
  ].join('\n');
}

/** The post step's summary: what was saved, or why not. */
export function renderSaveSummary(s: SaveReport): string {
  return [
    '### Module cache save',
    '',
    '| | |',
    '|---|---|',
    `| key | ${code(s.key)} |`,
    `| outcome | ${s.outcome}${s.reason ? `: ${cell(s.reason)}` : ''} |`,
    `| module versions trimmed | ${s.trimmedVersions} |`,
    `| bytes saved (before compression) | ${formatBytes(s.bytesSaved)} |`,
    `| save time | ${formatMs(s.saveMs)} |`,
    '',
  ].join('\n');
}

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
    `| outcome | ${cell(cleanupText(c))} |`,
    '',
  ].join('\n');
}
