import type { Config } from '../config/types.js';
import type { Log } from '../host/log.js';
import { GRACE_FLOOR_MS } from './hedge.js';
import type { Probed, ProbeRun } from './probe-types.js';
import { foldArrivals, judgeRound, type JudgeOptions } from './probe-round.js';
import { proxiesSumdb } from './sumdb.js';
import { waitAtMost } from '../util/time.js';

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
