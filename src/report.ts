import type { Verdict } from './proxy/classify.js';
import type { ProbedMirror } from './proxy/chain.js';
import type { SumdbChoice } from './proxy/sumdb.js';
import type { AttemptRecord } from './prefetch.js';

/** Everything the job summary shows; masked values only. */
export interface RunReport {
  probed: ProbedMirror[];
  direct: boolean;
  goproxyDisplay?: string;
  sumdb?: SumdbChoice;
  goprivate: string;
  gonoproxy?: string;
  /** Why the chain is what it is, when something unusual happened. */
  notes: string[];
  prefetch?: { enabled: boolean; ok?: boolean; attempts: AttemptRecord[]; durationMs?: number };
  probeTarget?: string;
}

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

/** Renders the job summary as GitHub-flavoured Markdown. */
export function renderSummary(r: RunReport): string {
  const out: string[] = ['## go-resilient-setup', ''];
  out.push('### Mirrors', '');
  if (r.probeTarget) out.push(`Probed with \`${r.probeTarget}\` from go.sum.`, '');
  out.push('| mirror | verdict | latency | throughput | reason |', '|---|---|---|---|---|');
  for (const p of r.probed) {
    const h = p.health;
    out.push(
      `| ${cell(p.mirror.display)}${p.mirror.private ? ' (private)' : ''} | ${ICONS[h.verdict]} ${h.verdict} | ${h.latencyMs === undefined ? '' : `${h.latencyMs} ms`} | ${formatRate(h.throughputBps)} | ${cell(h.reason)} |`,
    );
  }
  if (r.direct)
    out.push('| direct | ➖ not probed | | | fetched from version control as a last resort |');
  out.push('');
  out.push(`**GOPROXY**: ${r.goproxyDisplay ? code(r.goproxyDisplay) : '_not exported_'}  `);
  if (r.sumdb) out.push(`**GOSUMDB**: ${code(r.sumdb.value)} (${r.sumdb.via})  `);
  if (r.goprivate) out.push(`**GOPRIVATE**: ${code(r.goprivate)}  `);
  if (r.gonoproxy) out.push(`**GONOPROXY**: ${code(r.gonoproxy)}  `);
  out.push('');
  for (const note of r.notes) out.push(`> ${note}`, '');

  if (r.prefetch?.enabled && r.prefetch.attempts.length > 0) {
    out.push('### Prefetch', '');
    out.push('| attempt | GOPROXY | outcome | time | dropped |', '|---|---|---|---|---|');
    for (const a of r.prefetch.attempts) {
      out.push(
        `| ${a.attempt} | ${code(a.chain)} | ${a.outcome} | ${formatMs(a.durationMs)} | ${cell(a.dropped.join('; '))} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

/** Escapes a value for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(text: string): string {
  return `\`${text.replace(/\|/g, '\\|').replace(/`/g, "'")}\``;
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function formatRate(bps: number | undefined): string {
  if (bps === undefined) return '';
  if (bps >= 1024 * 1024) return `${(bps / 1024 / 1024).toFixed(1)} MiB/s`;
  if (bps >= 1024) return `${(bps / 1024).toFixed(1)} KiB/s`;
  return `${bps} B/s`;
}

/** One line per mirror for the failure message: every mirror and why it was rejected. */
export function describeMirrors(probed: readonly ProbedMirror[]): string {
  return probed
    .map(
      (p) =>
        `  - ${p.mirror.display}: ${p.health.verdict}${p.health.reason ? ` (${p.health.reason})` : ''}`,
    )
    .join('\n');
}
