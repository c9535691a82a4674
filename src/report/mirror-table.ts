import type { ProbedMirror } from '../proxy/chain.js';
import type { Verdict } from '../proxy/classify.js';

const ICONS: Record<Verdict, string> = {
  healthy: '✅',
  slow: '🐢',
  'not-found': '➖',
  unprobed: '➖',
  erroring: '❌',
  refused: '❌',
  dns: '❌',
  timeout: '⏱️',
  stalled: '⏱️',
  'wrong-content': '☠️',
  'sumdb-broken': '❌',
  'missing-private': '❌',
  'failed-download': '❌',
};

/** The mirrors table's columns: the job summary and the command line show the same table. */
export const MIRROR_COLUMNS = ['mirror', 'verdict', 'latency', 'throughput', 'reason'] as const;

/** One row of the mirrors table, each cell as text; `icon` goes before the verdict where emoji fit. */
export interface MirrorRow {
  mirror: string;
  icon: string;
  verdict: string;
  latency: string;
  throughput: string;
  reason: string;
}

/** A row per mirror in the order given, then `direct` when it ends the list. Masked values only. */
export function mirrorRows(probed: readonly ProbedMirror[], direct: boolean): MirrorRow[] {
  const rows = probed.map(({ mirror, health: h }): MirrorRow => ({
    mirror: `${mirror.display}${mirror.private ? ' (private)' : ''}`,
    icon: ICONS[h.verdict],
    // A verdict given before the probe finished says so: the mirror may yet answer.
    verdict: h.pending ? `${h.verdict} (cut off)` : h.verdict,
    latency: h.latencyMs === undefined ? '' : `${h.latencyMs} ms`,
    throughput: formatRate(h.throughputBps),
    reason: h.reason,
  }));
  if (direct) {
    rows.push({
      mirror: 'direct',
      icon: '➖',
      verdict: 'not probed',
      latency: '',
      throughput: '',
      reason: 'fetched from version control as a last resort',
    });
  }
  return rows;
}

export function formatRate(bps: number | undefined): string {
  if (bps === undefined) return '';
  if (bps >= 1024 * 1024) return `${(bps / 1024 / 1024).toFixed(1)} MiB/s`;
  if (bps >= 1024) return `${(bps / 1024).toFixed(1)} KiB/s`;
  return `${bps} B/s`;
}
