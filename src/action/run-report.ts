import type { BuildCacheRestoreReport } from '../buildcache/restore-build-cache.js';
import type { BundleReport } from '../bundle/offline-bundle.js';
import type { RestoreReport } from '../modcache/restore-snapshot.js';
import type { AttemptRecord } from '../prefetch/types.js';
import type { ProbedMirror } from '../proxy/chain.js';
import type { SumdbChoice } from '../proxy/sumdb.js';
import type { ToolReport } from '../tools/tool-report.js';

/** What the summary says of the prefetch. */
export interface PrefetchReport {
  enabled: boolean;
  ok?: boolean;
  attempts: AttemptRecord[];
  durationMs?: number;
  /** Why no download was attempted, e.g. a vendored project. */
  skipped?: string;
}

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
  prefetch?: PrefetchReport;
  probeTarget?: string;
  cache?: RestoreReport;
  buildCache?: BuildCacheRestoreReport;
  tools?: ToolReport[];
  bundle?: BundleReport;
}
