import fs from 'node:fs';
import path from 'node:path';
import type { Mirror } from './proxy/mirror.js';
import type { Log } from './host/log.js';
import { unescapeModulePath } from './gomod/escape.js';
import type { Project } from './gomod/discover.js';
import { collectModuleVersions, parseGoSum, type ModuleVersion } from './gomod/gosum.js';
import { matchesPrefixPatterns } from './gomod/patterns.js';
import { runWatched, type WatchResult } from './go/watch.js';
import { goErrorTail, parseModuleFailures, XTrace, type ModuleFailure } from './go/xtrace.js';
import { staysInChain, type Health } from './proxy/classify.js';
import { buildChain, privateOnlyChain, type Chain, type ProbedMirror } from './proxy/chain.js';
import type { ProbeTarget } from './proxy/target.js';
import { sleep } from './util/time.js';

/** Bounds that make the prefetch's worst case finite; the README quotes them. */
export interface PrefetchLimits {
  /** Kill `go mod download` after this long without output or bytes written. */
  stallMs: number;
  /** Total time all download attempts may take together. */
  budgetMs: number;
  maxAttempts: number;
  /** Wait before retry n is `backoffMs * 2^(n-1)`. */
  backoffMs: number;
}

export const PREFETCH_BUDGET_MS = 15 * 60 * 1000;
export const PREFETCH_MAX_ATTEMPTS = 3;

export function prefetchLimits(probeTimeoutMs: number): PrefetchLimits {
  return {
    stallMs: Math.max(10_000, 3 * probeTimeoutMs),
    budgetMs: PREFETCH_BUDGET_MS,
    maxAttempts: PREFETCH_MAX_ATTEMPTS,
    backoffMs: 2000,
  };
}

export interface PrefetchPlan {
  project: Project;
  goprivate: string;
  gosumdb: string;
  gomodcache: string;
  goflags: string;
  direct: boolean;
  limits: PrefetchLimits;
  /** Environment the go commands start from (the runner's). */
  baseEnv: NodeJS.ProcessEnv;
}

/** The prefetch's view of the probes: probing again, and verdicts that came in late. */
export interface Reprober {
  /** Probes mirrors again, with extra targets: the modules that just failed. */
  reprobe(mirrors: Mirror[], extra: ProbeTarget[]): Promise<Health[]>;
  /** Folds in the verdicts of mirrors cut off by the grace that have come in since; never waits. */
  foldArrivals(probed: readonly ProbedMirror[]): ProbedMirror[];
}

export interface AttemptRecord {
  attempt: number;
  chain: string;
  outcome: 'ok' | 'failed' | 'stalled' | 'deadline';
  durationMs: number;
  /** Mirrors dropped after this attempt, masked, with why. */
  dropped: string[];
}

export interface PrefetchResult {
  ok: boolean;
  /** Every mirror's latest state, in config order. */
  probed: ProbedMirror[];
  /** The chain the last attempt used (the one to export). */
  chain?: Chain;
  attempts: AttemptRecord[];
  /** What could not be fetched in the last attempt. */
  failures: ModuleFailure[];
  /** The end of Go's output for each run that failed in the last attempt. */
  goErrors: GoError[];
  /** Why no further attempt was made, when attempts were left. */
  stopped?: string;
}

/** What Go printed when `go mod download` failed in a directory. */
export interface GoError {
  dir: string;
  lines: string[];
}

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
  const start = Date.now();
  let probed = [...initial];
  const attempts: AttemptRecord[] = [];
  let failures: ModuleFailure[] = [];
  let goErrors: GoError[] = [];
  let chain: Chain | undefined;
  let stopped: string | undefined;
  const done = new Set<string>();

  for (let attempt = 1; attempt <= plan.limits.maxAttempts; attempt++) {
    probed = reprobe.foldArrivals(probed);
    const next = buildChain(probed, plan.direct);
    if (!next) {
      stopped = 'no usable mirror was left after probing again';
      log.warning(`Not retrying: ${stopped}`);
      break;
    }
    chain = next;
    const attemptStart = Date.now();
    log.info(`Attempt ${attempt}: GOPROXY=${chain.display}`);
    const outcome = await runAttempt(plan, chain, done, start);
    failures = outcome.failures;
    goErrors = outcome.goErrors;
    const record: AttemptRecord = {
      attempt,
      chain: chain.display,
      outcome: outcome.killed ?? (outcome.ok ? 'ok' : 'failed'),
      durationMs: Date.now() - attemptStart,
      dropped: [],
    };
    attempts.push(record);
    if (outcome.ok) {
      probed = reprobe.foldArrivals(probed);
      return { ok: true, probed, chain, attempts, failures: [], goErrors: [] };
    }

    // Blame what the trace shows: mirrors that hung or errored mid-download.
    probed = probed.map((p) => {
      const why = outcome.blame.get(p.mirror.url);
      if (!why || !staysInChain(p.health)) return p;
      record.dropped.push(`${p.mirror.display}: ${why}`);
      return { ...p, health: { ...p.health, verdict: 'failed-download', reason: why } };
    });
    for (const d of record.dropped) log.warning(`Dropping mirror ${d}`);
    const remainingMs = plan.limits.budgetMs - (Date.now() - start);
    if (attempt === plan.limits.maxAttempts || remainingMs <= 0) break;
    // A go.mod Go cannot read, or a go line newer than the toolchain, fails the same way
    // through any chain: only a stall, a mirror caught in the trace, or a module that failed
    // to download points at a mirror, and only then can another attempt change anything.
    if (!outcome.killed && outcome.blame.size === 0 && outcome.failures.length === 0) {
      stopped = 'Go failed before any mirror was involved, so another attempt would fail alike';
      log.info(`Not retrying: ${stopped}`);
      break;
    }
    if (!buildChain(probed, plan.direct)) {
      stopped = 'every mirror in the chain failed during the download';
      log.warning(`Not retrying: ${stopped}`);
      break;
    }

    const delay = Math.min(plan.limits.backoffMs * 2 ** (attempt - 1), remainingMs);
    log.info(
      `Attempt ${attempt} failed; probing the mirrors again in ${Math.round(delay / 1000)}s before another attempt`,
    );
    await sleep(delay);

    // Probe again, asking also for the modules that just failed: a mirror
    // serving a wrong zip for one of them shows up here.
    const still = probed.filter((p) => staysInChain(p.health));
    const extra = targetsFor(failures, plan.project.modules);
    const fresh = await reprobe.reprobe(
      still.map((p) => p.mirror),
      extra,
    );
    const byUrl = new Map(still.map((p, i) => [p.mirror.url, fresh[i]]));
    probed = probed.map((p) => {
      const health = byUrl.get(p.mirror.url);
      if (!health) return p;
      if (!staysInChain(health)) {
        record.dropped.push(`${p.mirror.display}: ${health.reason}`);
        log.warning(`Dropping mirror ${p.mirror.display}: ${health.reason}`);
      }
      return { ...p, health };
    });
  }
  return { ok: false, probed, chain, attempts, failures, goErrors, stopped };
}

interface AttemptOutcome {
  ok: boolean;
  killed?: 'stalled' | 'deadline';
  failures: ModuleFailure[];
  goErrors: GoError[];
  /** Mirror URL → why it is to blame for this attempt's failure. */
  blame: Map<string, string>;
}

/** One pass over every download job; jobs that succeeded earlier are skipped. */
async function runAttempt(
  plan: PrefetchPlan,
  chain: Chain,
  done: Set<string>,
  start: number,
): Promise<AttemptOutcome> {
  const failures: ModuleFailure[] = [];
  const goErrors: GoError[] = [];
  const blame = new Map<string, string>();
  let ok = true;
  for (const job of downloadJobs(plan, chain)) {
    if (done.has(job.key)) continue;
    const trace = new XTrace();
    const remaining = plan.limits.budgetMs - (Date.now() - start);
    if (remaining <= 0) return { ok: false, killed: 'deadline', failures, goErrors, blame };
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
    ok = false;
    failures.push(...parseModuleFailures(result.stderr));
    const tail = goErrorTail(result.stderr);
    if (tail.length > 0) goErrors.push({ dir: job.cwd, lines: tail });
    assignBlame(blame, trace, chain, result, plan.gomodcache);
    if (job.key.startsWith('private:')) {
      // The private mirrors could not serve a private module. Dropping them
      // keeps GONOPROXY at GOPRIVATE, so no later step sends it to a public mirror.
      const why = `could not serve the private modules (${lastErrorLine(result.stderr)})`;
      for (const m of chain.members) {
        if (m.mirror.private && !blame.has(m.mirror.url)) blame.set(m.mirror.url, why);
      }
    }
    if (result.killed) {
      for (const url of inFlight(trace, chain, plan.gomodcache)) {
        const m = moduleOfUrl(url, chain);
        if (m) failures.push({ ...m, checksumMismatch: false, message: 'download stalled' });
      }
      return {
        ok: false,
        killed: result.killed === 'stall' ? 'stalled' : 'deadline',
        failures,
        goErrors,
        blame,
      };
    }
  }
  return { ok, failures, goErrors, blame };
}

interface DownloadJob {
  key: string;
  cwd: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/**
 * The `go mod download` runs that fetch everything: private modules first,
 * through private mirrors only (ending in `off`, so a 404 never falls through
 * to a public mirror); then each module on its own; then the workspace.
 */
export function downloadJobs(plan: PrefetchPlan, chain: Chain): DownloadJob[] {
  const env: NodeJS.ProcessEnv = {
    ...plan.baseEnv,
    GOPROXY: chain.goproxy,
    GOSUMDB: plan.gosumdb,
    GOFLAGS: plan.goflags,
  };
  if (plan.goprivate) {
    env.GOPRIVATE = plan.goprivate;
    // Private paths bypass the public chain entirely; they were fetched above.
    env.GONOPROXY = plan.goprivate;
  } else {
    delete env.GONOPROXY;
  }
  const jobs: DownloadJob[] = [];
  const privateChain = privateOnlyChain(chain);
  if (privateChain && plan.goprivate) {
    for (const dir of plan.project.moduleDirs) {
      const privateModules = readGoSum(dir).filter((m) =>
        matchesPrefixPatterns(plan.goprivate, m.module),
      );
      if (privateModules.length === 0) continue;
      jobs.push({
        key: `private:${dir}`,
        cwd: dir,
        args: ['mod', 'download', '-x', ...privateModules.map((m) => `${m.module}@${m.version}`)],
        env: { ...env, GOWORK: 'off', GOPROXY: privateChain, GONOPROXY: 'none' },
      });
    }
  }
  for (const dir of plan.project.moduleDirs) {
    jobs.push({
      key: `module:${dir}`,
      cwd: dir,
      args: ['mod', 'download', '-x'],
      env: { ...env, GOWORK: 'off' },
    });
  }
  if (plan.project.workspaceDir) {
    jobs.push({
      key: `workspace:${plan.project.workspaceDir}`,
      cwd: plan.project.workspaceDir,
      args: ['mod', 'download', '-x'],
      env,
    });
  }
  return jobs;
}

function readGoSum(dir: string): ModuleVersion[] {
  const file = path.join(dir, 'go.sum');
  if (!fs.existsSync(file)) return [];
  return collectModuleVersions(parseGoSum(fs.readFileSync(file, 'utf8'), file));
}

function assignBlame(
  blame: Map<string, string>,
  trace: XTrace,
  chain: Chain,
  result: WatchResult,
  gomodcache: string,
): void {
  const add = (url: string, why: string): void => {
    const member = memberOfUrl(url, chain);
    if (member && !blame.has(member.mirror.url)) blame.set(member.mirror.url, why);
  };
  for (const f of trace.failures()) {
    add(f.url, `${f.outcome} during go mod download (${pathAfterMirror(f.url, chain)})`);
  }
  if (result.killed) {
    for (const url of trace.unanswered()) {
      add(url, `no answer during go mod download (${pathAfterMirror(url, chain)})`);
    }
    for (const url of inFlight(trace, chain, gomodcache)) {
      add(url, `download stalled mid-body (${pathAfterMirror(url, chain)})`);
    }
  }
}

/** Zip downloads whose headers came back but whose zip never landed in the cache. */
function inFlight(trace: XTrace, chain: Chain, gomodcache: string): string[] {
  return trace.answeredOk().filter((url) => {
    if (!url.endsWith('.zip')) return false;
    const rel = pathAfterMirror(url, chain);
    return rel !== undefined && !fs.existsSync(path.join(gomodcache, 'cache', 'download', rel));
  });
}

/** Bytes on disk in the cache directories of downloads still in flight: the watchdog's progress signal. */
async function inFlightBytes(trace: XTrace, chain: Chain, gomodcache: string): Promise<number> {
  const dirs = new Set<string>();
  for (const url of [...trace.unanswered(), ...inFlight(trace, chain, gomodcache)]) {
    const rel = pathAfterMirror(url, chain);
    if (rel) dirs.add(path.dirname(path.join(gomodcache, 'cache', 'download', rel)));
  }
  let total = 0;
  for (const dir of dirs) {
    let names: string[];
    try {
      names = await fs.promises.readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      try {
        total += (await fs.promises.stat(path.join(dir, name))).size;
      } catch {
        // Renamed or removed between readdir and stat: Go is making progress.
        total += 1;
      }
    }
  }
  return total;
}

function memberOfUrl(url: string, chain: Chain): ProbedMirror | undefined {
  return chain.members.find((m) => url.startsWith(`${m.mirror.requestUrl}/`));
}

function pathAfterMirror(url: string, chain: Chain): string | undefined {
  const member = memberOfUrl(url, chain);
  return member ? url.slice(member.mirror.requestUrl.length + 1) : undefined;
}

function moduleOfUrl(url: string, chain: Chain): { module: string; version: string } | undefined {
  const rel = pathAfterMirror(url, chain);
  const m = rel && /^(.+)\/@v\/(.+)\.(?:zip|mod|info)$/.exec(rel);
  if (!m) return undefined;
  try {
    return { module: unescapeModulePath(m[1]), version: unescapeModulePath(m[2]) };
  } catch {
    return undefined;
  }
}

/** Probe targets for failed modules that go.sum pins (at most three, to keep probes quick). */
function targetsFor(
  failures: readonly ModuleFailure[],
  modules: readonly ModuleVersion[],
): ProbeTarget[] {
  const pinned = new Map(modules.map((m) => [`${m.module}@${m.version}`, m]));
  const seen = new Set<string>();
  const targets: ProbeTarget[] = [];
  for (const f of failures) {
    const key = `${f.module}@${f.version}`;
    const m = pinned.get(key);
    if (!m || seen.has(key)) continue;
    seen.add(key);
    targets.push({ module: m.module, version: m.version, zipHash: m.zipHash, modHash: m.modHash });
    if (targets.length === 3) break;
  }
  return targets;
}

/**
 * True when every module the project needs is already in the module cache (checked by Go
 * itself, offline). With no go.sum found, the working directory's module is what is checked;
 * with no module at all, nothing can be vouched for, so the answer is no. With `boundMs`, each
 * check that runs longer throws instead: offline it can only be waiting on a lock another go
 * process holds.
 */
export async function cacheHoldsEverything(
  project: Project,
  goflags: string,
  baseEnv: NodeJS.ProcessEnv,
  boundMs?: number,
): Promise<boolean> {
  const env = { ...baseEnv, GOPROXY: 'off', GOFLAGS: goflags };
  const moduleDirs =
    project.moduleDirs.length > 0
      ? project.moduleDirs
      : project.rootModuleDir
        ? [project.rootModuleDir]
        : [];
  const dirs = [
    ...moduleDirs.map((d) => ({ cwd: d, env: { ...env, GOWORK: 'off' } })),
    ...(project.workspaceDir ? [{ cwd: project.workspaceDir, env }] : []),
  ];
  if (dirs.length === 0) return false;
  for (const d of dirs) {
    const res = await runWatched('go', ['mod', 'download'], {
      cwd: d.cwd,
      env: d.env,
      stallMs: boundMs ?? 60_000,
      deadlineMs: boundMs ?? 120_000,
    });
    if (res.killed && boundMs !== undefined) throw new Error(offlineCheckTimedOut(d.cwd, boundMs));
    if (res.code !== 0) return false;
  }
  return true;
}

function offlineCheckTimedOut(cwd: string, boundMs: number): string {
  return `go mod download (offline check that the module cache holds everything go.sum needs) did not finish within ${Math.round(boundMs / 1000)} s in ${cwd}: another go process is probably holding a lock in the module cache (GOMODCACHE). The snapshot is not saved.`;
}

function lastErrorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('# get '));
  return lines[lines.length - 1] ?? 'go mod download failed';
}
