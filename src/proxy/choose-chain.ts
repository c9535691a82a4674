import type { Config } from '../config/types.js';
import { buildChain } from './chain.js';
import type { Outcome, Probed } from './probe-types.js';
import { chooseSumdb } from './sumdb.js';

/** The chain the judged mirrors add up to, and the checksum database that goes with it. */
export function chooseChain(config: Config, probed: Probed): Outcome {
  const chain = buildChain(probed.result, config.direct);
  return { chain, sumdb: chooseSumdb(config.sumdb, chain?.members ?? [], probed.direct) };
}

/**
 * The chain and checksum database the judged mirrors add up to for a job. With a complete
 * snapshot (`cacheHit`) nothing is downloaded, so mirrors that have not answered yet are not
 * worth a place on their own: the chain is then made of the ones that did (or none, and
 * GOPROXY=off fails fast).
 */
export function chainToExport(config: Config, probed: Probed, cacheHit: boolean): Outcome {
  const outcome = chooseChain(config, probed);
  const chain = outcome.chain;
  if (!cacheHit || !chain || chain.members.some((m) => !m.health.pending)) {
    return outcome;
  }
  const answered = probed.result.filter((p) => !p.health.pending);
  return { ...outcome, chain: buildChain(answered, config.direct) };
}
