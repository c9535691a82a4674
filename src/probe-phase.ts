import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';
import type { Log } from './host/log.js';
import type { Project } from './gomod/discover.js';
import { escapeModulePath, escapeVersion } from './gomod/escape.js';
import type { ModuleVersion } from './gomod/gosum.js';
import { matchesPrefixPatterns } from './gomod/patterns.js';
import { buildChain, markSlow, type Chain, type ProbedMirror } from './proxy/chain.js';
import { rejectMissingPrivate, type Health } from './proxy/classify.js';
import { probeDirectSumdb, probeMirrors } from './proxy/probe.js';
import { chooseSumdb, type DirectSumdbReachability, type SumdbChoice } from './proxy/sumdb.js';
import { chooseProbeTargets, type ProbeTarget, type ProbeTargets } from './proxy/target.js';
import type { Reprober } from './prefetch.js';

/** Probes under way: started as soon as the targets can be chosen, judged when needed. */
export interface ProbeRun {
  targets: ProbeTargets;
  /** What to ask a mirror for: a public mirror never gets a private path. */
  targetFor: (isPrivate: boolean) => ProbeTarget | undefined;
  pending: Promise<[Health[], DirectSumdbReachability | undefined]>;
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
  const pending = Promise.all([
    probeMirrors(config.mirrors, (m) => listOf(targetFor(m.private)), config.probeTimeoutMs),
    config.sumdb === 'auto' ? probeDirectSumdb(config.probeTimeoutMs) : undefined,
  ]);
  return { targets, targetFor, pending };
}

/** Waits for the probes, judges the mirrors against each other and logs each verdict. */
export async function judgeProbes(config: Config, run: ProbeRun, log: Log): Promise<Probed> {
  return log.group('Probing mirrors', async () => {
    const [healths, direct] = await run.pending;
    const privateTarget = run.targets.private;
    const privateModule =
      privateTarget && isPrivatePath(config.noPublic, privateTarget.module)
        ? privateTarget.module
        : undefined;
    const result = markSlow(
      config.mirrors.map((mirror, i) => ({
        mirror,
        health:
          mirror.private && privateModule
            ? rejectMissingPrivate(healths[i], privateModule)
            : healths[i],
      })),
    );
    for (const p of result) {
      log.info(
        `${p.mirror.display}: ${p.health.verdict}${p.health.reason ? ` (${p.health.reason})` : ''}`,
      );
    }
    return { result, direct };
  });
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
 * mirror's targets: a public mirror is never asked for a private path.
 */
export function reprober(config: Config, run: ProbeRun): Reprober {
  return (mirrors, extra) =>
    probeMirrors(
      mirrors,
      (m) => [
        ...listOf(run.targetFor(m.private)),
        ...extra.filter((t) => m.private || !isPrivatePath(config.noPublic, t.module)),
      ],
      config.probeTimeoutMs,
    );
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
