import type { Mirror } from './mirror.js';
import type { ProbedMirror, Chain } from './chain.js';
import type { Health } from './classify.js';
import type { ProbeRound } from './probe-round.js';
import type { DirectSumdbReachability, SumdbChoice } from './sumdb.js';
import type { ProbeTarget, ProbeTargets } from './target.js';

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

/** What the judged mirrors add up to: the GOPROXY chain (none when nothing is usable) and GOSUMDB. */
export interface Outcome {
  chain?: Chain;
  sumdb: SumdbChoice;
}

/** The prefetch's view of the probes: probing again, and verdicts that came in late. */
export interface Reprober {
  /** Probes mirrors again, with extra targets: the modules that just failed. */
  reprobe(mirrors: Mirror[], extra: ProbeTarget[]): Promise<Health[]>;
  /** Folds in the verdicts of mirrors cut off by the grace that have come in since; never waits. */
  foldArrivals(probed: readonly ProbedMirror[]): ProbedMirror[];
}
