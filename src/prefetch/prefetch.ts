import type { Log } from '../host/log.js';
import { staysInChain } from '../proxy/classify.js';
import { buildChain, type Chain, type ProbedMirror } from '../proxy/chain.js';
import type { Reprober } from '../proxy/probe-types.js';
import { sleep } from '../util/time.js';
import { retryTargets } from './retry-targets.js';
import { runAttempt, type AttemptOutcome } from './run-attempt.js';
import type { AttemptRecord, PrefetchPlan, PrefetchResult } from './types.js';

/** What the attempts so far have left: the mirrors' state and what went wrong last. */
type Progress = Omit<PrefetchResult, 'ok'> & { start: number; done: Set<string> };

/**
 * Downloads every module the project needs, with a watchdog Go lacks: an
 * attempt that stops making progress is killed, the mirrors are probed
 * again, the chain is rebuilt without the ones that failed, and the
 * download is retried with backoff, within a fixed budget.
 */
export async function prefetch(
  plan: PrefetchPlan,
  initial: readonly ProbedMirror[],
  reprobe: Reprober,
  log: Log,
): Promise<PrefetchResult> {
  const run: Progress = {
    start: Date.now(),
    done: new Set(),
    probed: [...initial],
    attempts: [],
    failures: [],
    goErrors: [],
  };
  for (let attempt = 1; attempt <= plan.limits.maxAttempts; attempt++) {
    run.probed = reprobe.foldArrivals(run.probed);
    const chain = buildChain(run.probed, plan.direct);
    if (!chain) {
      run.stopped = 'no usable mirror was left after probing again';
      log.warning(`Not retrying: ${run.stopped}`);
      break;
    }
    run.chain = chain;
    const outcome = await attemptOnce(plan, run, chain, attempt, log);
    if (outcome.ok) {
      const probed = reprobe.foldArrivals(run.probed);
      return { ok: true, probed, chain, attempts: run.attempts, failures: [], goErrors: [] };
    }
    const record = run.attempts[run.attempts.length - 1];
    const remainingMs = plan.limits.budgetMs - (Date.now() - run.start);
    if (attempt === plan.limits.maxAttempts || remainingMs <= 0) break;
    if (stopsHere(plan, run, outcome, log)) break;
    const delay = Math.min(plan.limits.backoffMs * 2 ** (attempt - 1), remainingMs);
    log.info(
      `Attempt ${attempt} failed; probing the mirrors again in ${Math.round(delay / 1000)}s before another attempt`,
    );
    await sleep(delay);
    run.probed = await probeAgain(plan, run, reprobe, record, log);
  }
  const { probed, chain, attempts, failures, goErrors, stopped } = run;
  return { ok: false, probed, chain, attempts, failures, goErrors, stopped };
}

/** Runs one attempt, records it, and drops the mirrors Go's trace blames. */
async function attemptOnce(
  plan: PrefetchPlan,
  run: Progress,
  chain: Chain,
  attempt: number,
  log: Log,
): Promise<AttemptOutcome> {
  const attemptStart = Date.now();
  log.info(`Attempt ${attempt}: GOPROXY=${chain.display}`);
  const outcome = await runAttempt(plan, chain, run.done, run.start);
  run.failures = outcome.failures;
  run.goErrors = outcome.goErrors;
  const record: AttemptRecord = {
    attempt,
    chain: chain.display,
    outcome: outcome.killed ?? (outcome.ok ? 'ok' : 'failed'),
    durationMs: Date.now() - attemptStart,
    dropped: [],
  };
  run.attempts.push(record);
  if (outcome.ok) return outcome;
  // Blame what the trace shows: mirrors that hung or errored mid-download.
  run.probed = run.probed.map((p) => {
    const why = outcome.blame.get(p.mirror.url);
    if (!why || !staysInChain(p.health)) return p;
    record.dropped.push(`${p.mirror.display}: ${why}`);
    return { ...p, health: { ...p.health, verdict: 'failed-download', reason: why } };
  });
  for (const d of record.dropped) log.warning(`Dropping mirror ${d}`);
  return outcome;
}

/** Whether another attempt could change anything; says why not when it could not. */
function stopsHere(plan: PrefetchPlan, run: Progress, outcome: AttemptOutcome, log: Log): boolean {
  // A go.mod Go cannot read, or a go line newer than the toolchain, fails the same way
  // through any chain: only a stall, a mirror caught in the trace, or a module that failed
  // to download points at a mirror, and only then can another attempt change anything.
  if (!outcome.killed && outcome.blame.size === 0 && outcome.failures.length === 0) {
    run.stopped = 'Go failed before any mirror was involved, so another attempt would fail alike';
    log.info(`Not retrying: ${run.stopped}`);
    return true;
  }
  if (!buildChain(run.probed, plan.direct)) {
    run.stopped = 'every mirror in the chain failed during the download';
    log.warning(`Not retrying: ${run.stopped}`);
    return true;
  }
  return false;
}

/**
 * Probes again, asking also for the modules that just failed: a mirror serving a wrong zip
 * for one of them shows up here.
 */
async function probeAgain(
  plan: PrefetchPlan,
  run: Progress,
  reprobe: Reprober,
  record: AttemptRecord,
  log: Log,
): Promise<ProbedMirror[]> {
  const still = run.probed.filter((p) => staysInChain(p.health));
  const extra = retryTargets(run.failures, plan.project.modules);
  const fresh = await reprobe.reprobe(
    still.map((p) => p.mirror),
    extra,
  );
  const byUrl = new Map(still.map((p, i) => [p.mirror.url, fresh[i]]));
  return run.probed.map((p) => {
    const health = byUrl.get(p.mirror.url);
    if (!health) return p;
    if (!staysInChain(health)) {
      record.dropped.push(`${p.mirror.display}: ${health.reason}`);
      log.warning(`Dropping mirror ${p.mirror.display}: ${health.reason}`);
    }
    return { ...p, health };
  });
}
