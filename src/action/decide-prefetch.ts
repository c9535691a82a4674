import type { Config } from '../config/types.js';
import type { Project } from '../gomod/discover.js';
import type { Vendoring } from '../gomod/vendor.js';
import type { PrefetchResult } from '../prefetch/types.js';
import type { Chain } from '../proxy/chain.js';
import { describeGoErrors, describeMirrors } from '../report/describe-failures.js';
import type { Message } from './decide-mirrors.js';
import type { PrefetchReport } from './run-report.js';

/** Whether to download the modules now, and which module directories. */
export type PrefetchStep =
  | { run: false; messages: Message[]; report?: PrefetchReport }
  | { run: true; moduleDirs: string[] };

/** Vendored modules read vendor/; after a cache hit a download would fetch nothing. */
export function decidePrefetch(
  config: Config,
  project: Project,
  vendoring: Vendoring,
  cacheHit: boolean,
): PrefetchStep {
  const toFetch = vendoring.all
    ? []
    : project.moduleDirs.filter((d) => !vendoring.dirs.includes(d));
  if (!config.prefetch || toFetch.length === 0) return { run: false, messages: [] };
  if (cacheHit) {
    // cache-hit means Go itself found every module offline: a download would fetch nothing.
    const why = 'cache-hit: Go found every module in the restored snapshot, offline';
    return {
      run: false,
      messages: [{ level: 'info', text: `Prefetch skipped (${why}).` }],
      report: { enabled: true, attempts: [], skipped: why },
    };
  }
  return { run: true, moduleDirs: toFetch };
}

/** What a prefetch means for the export and the summary, and the error when it failed. */
export interface PrefetchDecision {
  report: PrefetchReport;
  chain: Chain;
  error?: string;
}

export function decideAfterPrefetch(
  result: PrefetchResult,
  chain: Chain,
  durationMs: number,
): PrefetchDecision {
  const report: PrefetchReport = {
    enabled: true,
    ok: result.ok,
    attempts: result.attempts,
    durationMs,
  };
  const next = result.chain ?? chain;
  if (result.ok) return { report, chain: next };
  const missing = result.failures.map((f) => `  - ${f.module}@${f.version}: ${f.message}`);
  const error = [
    `go mod download failed after ${result.attempts.length} attempt(s)${result.stopped ? ` (not retried: ${result.stopped})` : ''}.`,
    describeGoErrors(result.goErrors),
    missing.length > 0 ? `Could not fetch:\n${[...new Set(missing)].join('\n')}` : '',
    `Mirrors:\n${describeMirrors(result.probed)}`,
  ]
    .filter(Boolean)
    .join('\n');
  return { report, chain: next, error };
}
