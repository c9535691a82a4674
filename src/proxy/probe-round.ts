import type { Mirror } from './mirror.js';
import type { Health } from './classify.js';
import { answeredLate, hedge, type ProbeState } from './hedge.js';
import { startMirrorProbe } from './probe.js';
import type { ProbeTarget } from './target.js';
import { waitAtMost } from '../util/time.js';

/** Mirrors probed together, each probe running until its verdict or probe-timeout. */
export interface ProbeRound {
  mirrors: readonly Mirror[];
  startedAt: number;
  /** Every probe as far as it has got, in the mirrors' order (live: read, never kept). */
  states(): readonly ProbeState[];
  /** Resolves when the next verdict comes in. */
  nextVerdict(): Promise<void>;
  /** Every verdict; each probe ends by probe-timeout. */
  all: Promise<Health[]>;
}

/**
 * Starts probing every mirror. `adjust` refines a verdict with what only the caller knows
 * (whether a private mirror's 404 was for a private module).
 */
export function startRound(
  mirrors: readonly Mirror[],
  targetsFor: (m: Mirror) => ProbeTarget[],
  timeoutMs: number,
  adjust: (m: Mirror, h: Health) => Health = (_m, h) => h,
): ProbeRound {
  const startedAt = Date.now();
  let waiters: (() => void)[] = [];
  const probes = mirrors.map((mirror) => {
    const probe = startMirrorProbe(mirror, targetsFor(mirror), timeoutMs);
    const state: ProbeState = { display: mirror.display, requests: probe.requests };
    const health = probe.health.then((h) => {
      const adjusted = adjust(mirror, h);
      state.done = { health: adjusted, atMs: Date.now() - startedAt };
      const wake = waiters;
      waiters = [];
      for (const w of wake) w();
      return adjusted;
    });
    return { state, health };
  });
  return {
    mirrors,
    startedAt,
    states: () => probes.map((p) => p.state),
    nextVerdict: () => new Promise<void>((resolve) => waiters.push(resolve)),
    all: Promise.all(probes.map((p) => p.health)),
  };
}

export interface JudgeOptions {
  /**
   * Judge once the grace after the first pass has run out, cutting off the mirrors still
   * probing; otherwise wait for every verdict (a diagnosis wants them all).
   */
  hedge: boolean;
  /** The job downloads nothing: no mirror is worth waiting for beyond the grace. */
  nothingToDownload?: boolean;
}

/** Waits until the round can be judged, and judges every mirror against the first that passed. */
export async function judgeRound(round: ProbeRound, options: JudgeOptions): Promise<Health[]> {
  if (!options.hedge) await round.all;
  for (;;) {
    const step = hedge(round.states(), {
      startedAt: round.startedAt,
      now: Date.now(),
      nothingToDownload: options.nothingToDownload,
    });
    if (step.kind === 'settle') return step.verdicts;
    await untilOrVerdict(round, step.until);
  }
}

/**
 * Verdicts that have come in since the mirrors were cut off, folded into their last judgement:
 * a pass stays behind (as slow), a failure takes the mirror out. Never waits.
 */
export function foldArrivals<T extends { mirror: Mirror; health: Health }>(
  judged: readonly T[],
  rounds: readonly ProbeRound[],
): T[] {
  return judged.map((p) => {
    if (!p.health.pending) return p;
    const arrived = lastStateOf(p.mirror, rounds)?.done;
    return arrived ? { ...p, health: answeredLate(arrived.health, arrived.atMs) } : p;
  });
}

function lastStateOf(mirror: Mirror, rounds: readonly ProbeRound[]): ProbeState | undefined {
  for (let r = rounds.length - 1; r >= 0; r--) {
    const i = rounds[r].mirrors.findIndex((m) => m.url === mirror.url);
    if (i >= 0) return rounds[r].states()[i];
  }
  return undefined;
}

function untilOrVerdict(round: ProbeRound, until: number): Promise<void> {
  const next = round.nextVerdict();
  return Number.isFinite(until) ? waitAtMost(next, until - Date.now()) : next;
}
