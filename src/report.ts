import type { Verdict } from './proxy/classify.js';
import type { ProbedMirror } from './proxy/chain.js';
import type { SumdbChoice } from './proxy/sumdb.js';
import type { AttemptRecord, GoError } from './prefetch.js';
import type { BuildCacheRestoreReport } from './buildcache/restore-phase.js';
import type { BuildCacheSaveReport } from './buildcache/save-build-cache.js';
import type { RestoreReport } from './modcache/restore-phase.js';
import type { SaveReport } from './modcache/save-snapshot.js';
import type { ToolReport } from './tools/tool-report.js';
import type { BundleReport } from './offline/bundle-phase.js';
import { formatBytes } from './util/bytes.js';

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
  prefetch?: {
    enabled: boolean;
    ok?: boolean;
    attempts: AttemptRecord[];
    durationMs?: number;
    /** Why no download was attempted, e.g. a vendored project. */
    skipped?: string;
  };
  probeTarget?: string;
  cache?: RestoreReport;
  buildCache?: BuildCacheRestoreReport;
  tools?: ToolReport[];
  bundle?: BundleReport;
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

/** Renders the job summary as GitHub-flavoured Markdown. */
export function renderSummary(r: RunReport): string {
  const out: string[] = ['## go-resilient-setup', ''];
  if (r.bundle) out.push(...renderBundle(r.bundle));
  if (r.cache) out.push(...renderRestore(r.cache));
  if (r.buildCache) out.push(...renderBuildCacheRestore(r.buildCache));
  out.push('### Mirrors', '');
  if (r.probeTarget) out.push(`Probed with \`${r.probeTarget}\` from go.sum.`, '');
  out.push(`| ${MIRROR_COLUMNS.join(' | ')} |`, `|${MIRROR_COLUMNS.map(() => '---').join('|')}|`);
  for (const row of mirrorRows(r.probed, r.direct)) {
    out.push(
      `| ${cell(row.mirror)} | ${row.icon} ${row.verdict} | ${row.latency} | ${row.throughput} | ${cell(row.reason)} |`,
    );
  }
  out.push('');
  out.push(`**GOPROXY**: ${r.goproxyDisplay ? code(r.goproxyDisplay) : '_not exported_'}  `);
  if (r.sumdb) out.push(`**GOSUMDB**: ${code(r.sumdb.value)} (${r.sumdb.via})  `);
  if (r.goprivate) out.push(`**GOPRIVATE**: ${code(r.goprivate)}  `);
  if (r.gonoproxy) out.push(`**GONOPROXY**: ${code(r.gonoproxy)}  `);
  out.push('');
  for (const note of r.notes) out.push(`> ${note}`, '');

  if (r.prefetch?.skipped) {
    out.push('### Prefetch', '', `Skipped: ${r.prefetch.skipped}.`, '');
  } else if (r.prefetch?.enabled && r.prefetch.attempts.length > 0) {
    out.push('### Prefetch', '');
    out.push('| attempt | GOPROXY | outcome | time | dropped |', '|---|---|---|---|---|');
    for (const a of r.prefetch.attempts) {
      out.push(
        `| ${a.attempt} | ${code(a.chain)} | ${a.outcome} | ${formatMs(a.durationMs)} | ${cell(a.dropped.join('; '))} |`,
      );
    }
    out.push('');
  }
  if (r.tools && r.tools.length > 0) out.push(...renderTools(r.tools));
  return out.join('\n');
}

/** What the offline bundle held, how long checking it took, and what the job took from it. */
export function renderBundle(b: BundleReport): string[] {
  const fetched = b.downloadMs === undefined ? '' : `downloaded in ${formatMs(b.downloadMs)}, `;
  return [
    '### Offline bundle',
    '',
    `${code(b.display)}: ${b.modules} module versions and ${b.tools.length} tool(s), ${formatBytes(b.bytes)}; ${fetched}verified against its manifest and go.sum in ${formatMs(b.verifyMs)}. Its mirror is ${b.position} in the chain.`,
    '',
    ...(b.tools.length > 0 ? [`Tools in it: ${b.tools.map(code).join(', ')}.`, ''] : []),
    `Taken from it: ${b.used.length > 0 ? b.used.join(', ') : 'modules only, as Go needs them through GOPROXY'}.`,
    '',
  ];
}

function renderTools(tools: ToolReport[]): string[] {
  const out = [
    '### Tools',
    '',
    '| tool | version | verified against | source | cached |',
    '|---|---|---|---|---|',
  ];
  for (const t of tools) {
    out.push(
      `| ${t.failed ? '❌' : '✅'} ${t.tool} | ${code(t.version)}${t.versionFrom ? ` from ${cell(t.versionFrom)}` : ''} | ${cell(t.integrity)} | ${cell(t.source)} | ${t.cached} |`,
    );
  }
  out.push('');
  return out;
}

function renderRestore(c: RestoreReport): string[] {
  const out = ['### Module cache', ''];
  if (!c.key) return [...out, `_${c.note ?? 'skipped'}_`, ''];
  out.push('| | |', '|---|---|');
  out.push(`| key | ${code(c.key)} |`);
  out.push(`| matched key | ${c.matchedKey ? code(c.matchedKey) : 'none (miss)'} |`);
  out.push(`| cache-hit | ${c.hit ? '✅ true' : 'false'} |`);
  out.push(`| restored | ${formatBytes(c.bytesRestored)} in ${formatMs(c.restoreMs)} |`);
  out.push(
    `| verified against go.sum | ${c.verified}${c.verifyMs === undefined ? '' : ` in ${formatMs(c.verifyMs)}`} |`,
  );
  out.push(
    `| dropped (hash differs from go.sum) | ${c.dropped.length}${c.dropped.length ? `: ${cell(c.dropped.join(', '))}` : ''} |`,
  );
  const skipped = Object.entries(c.skipped ?? {});
  if (skipped.length > 0) {
    out.push(
      `| left out, never unpacked | ${cell(skipped.map(([why, n]) => `${n} ${why}`).join(', '))} |`,
    );
  }
  if (c.note) out.push(`| note | ${cell(c.note)} |`);
  out.push('');
  return out;
}

function renderBuildCacheRestore(b: BuildCacheRestoreReport): string[] {
  const out = ['### Build cache', ''];
  if (!b.prefix) return [...out, `_${b.note ?? 'skipped'}_`, ''];
  out.push('| | |', '|---|---|');
  out.push(`| key prefix | ${code(b.prefix)} |`);
  out.push(`| matched key | ${b.matchedKey ? code(b.matchedKey) : 'none (miss)'} |`);
  out.push(`| build-cache-hit (same go.sum) | ${b.hit ? '✅ true' : 'false'} |`);
  out.push(
    `| restored | ${b.filesRestored} file(s), ${formatBytes(b.bytesRestored)} in ${formatMs(b.restoreMs)} |`,
  );
  if (b.entries !== undefined) out.push(`| entries before the job's steps | ${b.entries} |`);
  if (b.note) out.push(`| note | ${cell(b.note)} |`);
  out.push('');
  return out;
}

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

export { formatBytes };

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

/** Go's own words for each directory where `go mod download` failed, for the failure message. */
export function describeGoErrors(errors: readonly GoError[]): string {
  return errors
    .map((e) => {
      const newer = e.lines.map((l) => /requires go >= (\S+)/.exec(l)?.[1]).find(Boolean);
      const hint = newer
        ? `\n  Install Go ${newer} or later before this step (for example actions/setup-go with go-version-file: go.mod).`
        : '';
      return `go in ${e.dir} said:\n${e.lines.map((l) => `    ${l}`).join('\n')}${hint}`;
    })
    .join('\n');
}
