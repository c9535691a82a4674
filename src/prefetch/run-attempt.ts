import { runWatched, type WatchResult } from '../go/watch.js';
import { goErrorTail, parseModuleFailures, XTrace, type ModuleFailure } from '../go/xtrace.js';
import type { Chain } from '../proxy/chain.js';
import { downloadJobs, type DownloadJob } from './download-jobs.js';
import { assignBlame, inFlight, inFlightBytes, lastErrorLine, moduleOfUrl } from './trace-blame.js';
import type { GoError, PrefetchPlan } from './types.js';

export interface AttemptOutcome {
  ok: boolean;
  killed?: 'stalled' | 'deadline';
  failures: ModuleFailure[];
  goErrors: GoError[];
  /** Mirror URL → why it is to blame for this attempt's failure. */
  blame: Map<string, string>;
}

/** One pass over every download job; jobs that succeeded earlier are skipped. */
export async function runAttempt(
  plan: PrefetchPlan,
  chain: Chain,
  done: Set<string>,
  start: number,
): Promise<AttemptOutcome> {
  const out: AttemptOutcome = { ok: true, failures: [], goErrors: [], blame: new Map() };
  for (const job of downloadJobs(plan, chain)) {
    if (done.has(job.key)) continue;
    const trace = new XTrace();
    const remaining = plan.limits.budgetMs - (Date.now() - start);
    if (remaining <= 0) return { ...out, ok: false, killed: 'deadline' };
    const result = await runWatched('go', job.args, {
      cwd: job.cwd,
      env: job.env,
      stallMs: plan.limits.stallMs,
      deadlineMs: remaining,
      progress: () => inFlightBytes(trace, chain, plan.gomodcache),
      onStderrLine: (line) => trace.feed(line),
    });
    if (result.code === 0 && !result.killed) {
      done.add(job.key);
      continue;
    }
    out.ok = false;
    recordFailure(out, plan, chain, job, trace, result);
    if (result.killed) {
      for (const url of inFlight(trace, chain, plan.gomodcache)) {
        const m = moduleOfUrl(url, chain);
        if (m) out.failures.push({ ...m, checksumMismatch: false, message: 'download stalled' });
      }
      return { ...out, killed: result.killed === 'stall' ? 'stalled' : 'deadline' };
    }
  }
  return out;
}

function recordFailure(
  out: AttemptOutcome,
  plan: PrefetchPlan,
  chain: Chain,
  job: DownloadJob,
  trace: XTrace,
  result: WatchResult,
): void {
  out.failures.push(...parseModuleFailures(result.stderr));
  const tail = goErrorTail(result.stderr);
  if (tail.length > 0) out.goErrors.push({ dir: job.cwd, lines: tail });
  assignBlame(out.blame, trace, chain, result, plan.gomodcache);
  if (job.key.startsWith('private:')) {
    // The private mirrors could not serve a private module. Dropping them
    // keeps GONOPROXY at GOPRIVATE, so no later step sends it to a public mirror.
    const why = `could not serve the private modules (${lastErrorLine(result.stderr)})`;
    for (const m of chain.members) {
      if (m.mirror.private && !out.blame.has(m.mirror.url)) out.blame.set(m.mirror.url, why);
    }
  }
}
