import fs from 'node:fs';
import path from 'node:path';
import type { Project } from '../gomod/discover.js';
import { escapeModulePath, escapeVersion } from '../gomod/escape.js';
import type { ModuleVersion } from '../gomod/gosum.js';
import { matchesPrefixPatterns } from '../gomod/patterns.js';
import type { Config } from '../config/types.js';
import type { Mirror } from './mirror.js';
import { rejectMissingPrivate, type Health } from './classify.js';
import { probeDirectSumdb } from './probe.js';
import type { ProbeRun } from './probe-types.js';
import { startRound } from './probe-round.js';
import type { DirectSumdbReachability } from './sumdb.js';
import { chooseProbeTargets, type ProbeTarget, type ProbeTargets } from './target.js';

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
