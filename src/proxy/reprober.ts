import type { Config } from '../config/types.js';
import type { ProbeRun, Reprober } from './probe-types.js';
import { foldArrivals, judgeRound, startRound, type JudgeOptions } from './probe-round.js';
import { isPrivatePath, listOf } from './start-probes.js';

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
