// Turning runs into one figure per cell. A quick cell is repeated and its median kept, because
// a second or so of wall time on a shared machine is mostly noise. A failed or cut run is not
// repeated: Go fails the same way every time, and a cut run already took the whole bound.
import type { Outcome, Run } from './strategies.js';

export interface Cell {
  outcome: Outcome;
  /** The median of the passed runs; the only run's time otherwise. */
  ms: number;
  runs: Run[];
  detail?: string;
}

export interface RepeatPolicy {
  repeats: number;
  quickMs: number;
}

export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The worst outcome of the runs: one cut or failed run makes the cell so. */
function worstOutcome(runs: Run[]): Outcome {
  if (runs.some((r) => r.outcome === 'cut')) return 'cut';
  if (runs.some((r) => r.outcome === 'failed')) return 'failed';
  return 'passed';
}

export async function measureCell(
  runOnce: () => Promise<Run>,
  policy: RepeatPolicy,
): Promise<Cell> {
  const runs = [await runOnce()];
  const quick = runs[0].outcome === 'passed' && runs[0].ms < policy.quickMs;
  while (quick && runs.length < policy.repeats) runs.push(await runOnce());
  const outcome = worstOutcome(runs);
  const passed = runs.filter((r) => r.outcome === 'passed').map((r) => r.ms);
  const notPassed = runs.find((r) => r.outcome !== 'passed');
  return {
    outcome,
    ms: outcome === 'passed' ? median(passed) : (notPassed?.ms ?? runs[0].ms),
    runs,
    detail: notPassed?.detail,
  };
}
