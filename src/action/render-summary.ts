import type { BuildCacheRestoreReport } from '../buildcache/restore-build-cache.js';
import type { BundleReport } from '../bundle/offline-bundle.js';
import type { RestoreReport } from '../modcache/restore-snapshot.js';
import { MIRROR_COLUMNS, mirrorRows } from '../report/mirror-table.js';
import type { ToolReport } from '../tools/tool-report.js';
import { formatBytes } from '../util/bytes.js';
import { cell, code, formatMs } from './markdown.js';
import type { RunReport } from './run-report.js';

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
