import fs from 'node:fs';
import path from 'node:path';
import type { Log } from './host/log.js';
import type { Project } from './gomod/discover.js';
import { escapeModulePath, escapeVersion } from './gomod/escape.js';
import type { ModuleVersion } from './gomod/gosum.js';
import { matchesPrefixPatterns } from './gomod/patterns.js';
import type { Config } from './config/types.js';
import type { Mirror } from './proxy/mirror.js';
import { buildChain, type Chain, type ProbedMirror } from './proxy/chain.js';
import { rejectMissingPrivate, type Health } from './proxy/classify.js';
import { GRACE_FLOOR_MS } from './proxy/hedge.js';
import { probeDirectSumdb } from './proxy/probe.js';
import {
  foldArrivals,
  judgeRound,
  startRound,
  type JudgeOptions,
  type ProbeRound,
} from './proxy/probe-round.js';
import {
  chooseSumdb,
  proxiesSumdb,
  type DirectSumdbReachability,
  type SumdbChoice,
} from './proxy/sumdb.js';
import { chooseProbeTargets, type ProbeTarget, type ProbeTargets } from './proxy/target.js';
import type { Reprober } from './prefetch.js';
import { waitAtMost } from './util/time.js';

/** Probes under way: started as soon as the targets can be chosen, judged when needed. */
export interface ProbeRun {
  targets: ProbeTargets;
  /** What to ask a mirror for: a public mirror never gets a private path. */
  targetFor: (isPrivate: boolean) => ProbeTarget | undefined;
  /** The first round, then one per re-probe: late verdicts are looked up in the newest. */
  rounds: ProbeRound[];
  /** Reachability of the checksum databases, once known (only probed with `sumdb: auto`). */
  direct(): DirectSumdbReachability | undefined;
  directDone: Promise<void>;
  /** Refines a verdict: a private mirror's 404 for a private module rules it out. */
  adjust: (m: Mirror, h: Health) => Health;
}

export interface Probed {
  result: ProbedMirror[];
  direct?: DirectSumdbReachability;
}

/**
 * Starts probing every mirror. `downloadDir` is a module download cache (the restored
 * snapshot, possibly still in its staging directory) whose zip sizes let the probe ask for
 * the smallest module the project needs. Starting here lets the probes wait on the network
 * while the snapshot is verified.
 */
export function startProbes(config: Config, project: Project, downloadDir: string): ProbeRun {
  const targets = chooseProbeTargets(project.modules, config.noPublic, (m) =>
    cachedZipSize(downloadDir, m),
  );
  const targetFor = (isPrivate: boolean): ProbeTarget | undefined =>
    isPrivate ? targets.private : targets.public;
  const privateTarget = targets.private;
  const privateModule =
    privateTarget && isPrivatePath(config.noPublic, privateTarget.module)
      ? privateTarget.module
      : undefined;
  const adjust = (m: Mirror, h: Health): Health =>
    m.private && privateModule ? rejectMissingPrivate(h, privateModule) : h;
  const round = startRound(
    config.mirrors,
    (m) => listOf(targetFor(m.private)),
    config.probeTimeoutMs,
    adjust,
  );
  let direct: DirectSumdbReachability | undefined;
  const directDone =
    config.sumdb === 'auto'
      ? probeDirectSumdb(config.probeTimeoutMs).then((d) => void (direct = d))
      : Promise.resolve();
  return { targets, targetFor, rounds: [round], direct: () => direct, directDone, adjust };
}

/**
 * Judges the first round's mirrors against each other and logs each verdict. Hedged, it does
 * not wait out the mirrors still probing once the grace after the first pass has run out.
 */
export async function judgeProbes(
  config: Config,
  run: ProbeRun,
  log: Log,
  options: JudgeOptions = { hedge: false },
): Promise<Probed> {
  return log.group('Probing mirrors', async () => {
    const healths = await judgeRound(run.rounds[0], options);
    // The checksum-database hosts only matter when no mirror proxies the database. Hedged, they
    // get the grace's floor at most; a later answer is folded in before the export.
    if (!options.hedge) await run.directDone;
    else if (!healths.some(proxiesSumdb)) await waitAtMost(run.directDone, GRACE_FLOOR_MS);
    const result = config.mirrors.map((mirror, i) => ({ mirror, health: healths[i] }));
    for (const p of result) {
      log.info(
        `${p.mirror.display}: ${p.health.verdict}${p.health.reason ? ` (${p.health.reason})` : ''}`,
      );
    }
    return { result, direct: run.direct() };
  });
}

/**
 * Verdicts that came in after the mirrors were judged, never waiting: a mirror cut off by the
 * grace stays behind if it passed, and leaves the chain if it failed.
 */
export function foldLateVerdicts(run: ProbeRun, probed: Probed): Probed {
  return { result: foldArrivals(probed.result, run.rounds), direct: run.direct() };
}

/** What the judged mirrors add up to: the GOPROXY chain (none when nothing is usable) and GOSUMDB. */
export interface Outcome {
  chain?: Chain;
  sumdb: SumdbChoice;
}

export function chooseChain(config: Config, probed: Probed): Outcome {
  const chain = buildChain(probed.result, config.direct);
  return { chain, sumdb: chooseSumdb(config.sumdb, chain?.members ?? [], probed.direct) };
}

/**
 * Probes mirrors again during the prefetch, adding the modules that just failed to each
 * mirror's targets (a public mirror is never asked for a private path), judged by the same
 * rule as the first round.
 */
export function reprober(config: Config, run: ProbeRun, options: JudgeOptions): Reprober {
  return {
    reprobe: (mirrors, extra) => {
      const round = startRound(
        mirrors,
        (m) => [
          ...listOf(run.targetFor(m.private)),
          ...extra.filter((t) => m.private || !isPrivatePath(config.noPublic, t.module)),
        ],
        config.probeTimeoutMs,
        run.adjust,
      );
      run.rounds.push(round);
      return judgeRound(round, options);
    },
    foldArrivals: (probed) => foldArrivals(probed, run.rounds),
  };
}

export function describeTarget(t: ProbeTargets): string | undefined {
  const target = t.public ?? t.private;
  return target && `${target.module}@${target.version}`;
}

export function isPrivatePath(goprivate: string, module: string): boolean {
  return goprivate !== '' && matchesPrefixPatterns(goprivate, module);
}

export function listOf<T>(x: T | undefined): T[] {
  return x === undefined ? [] : [x];
}

function cachedZipSize(downloadDir: string, m: ModuleVersion): number | undefined {
  try {
    return fs.statSync(
      path.join(downloadDir, escapeModulePath(m.module), '@v', `${escapeVersion(m.version)}.zip`),
    ).size;
  } catch {
    return undefined;
  }
}
