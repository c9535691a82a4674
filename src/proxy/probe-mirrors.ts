import type { Config } from '../config/types.js';
import type { Project } from '../gomod/discover.js';
import type { Log } from '../host/log.js';
import { chooseChain } from './choose-chain.js';
import { judgeProbes } from './judge-probes.js';
import type { Outcome, Probed, ProbeRun } from './probe-types.js';
import { describeTarget, startProbes } from './start-probes.js';

/** The mirrors probed and judged, and the chain and checksum database they add up to. */
export interface MirrorsProbed {
  run: ProbeRun;
  probed: Probed;
  outcome: Outcome;
  /** The module version the mirrors were asked for, as `module@version`. */
  probeTarget?: string;
}

/**
 * Probes every mirror and waits for every verdict (no hedging): the command line's view of the
 * action's probe phases. `downloadDir` is a module download cache whose zip sizes let the probe
 * ask for the smallest module the project needs.
 */
export async function probeMirrors(
  config: Config,
  project: Project,
  downloadDir: string,
  log: Log,
): Promise<MirrorsProbed> {
  const run = startProbes(config, project, downloadDir);
  const probed = await judgeProbes(config, run, log);
  const outcome = chooseChain(config, probed);
  return { run, probed, outcome, probeTarget: describeTarget(run.targets) };
}
