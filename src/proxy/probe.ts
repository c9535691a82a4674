import type { Mirror } from './mirror.js';
import { escapeModulePath, escapeVersion } from '../gomod/escape.js';
import { classifyMirror, isTreeHead, type Health, type TargetObservations } from './classify.js';
import { observe, type Observation, type RequestProgress } from './fetch.js';
import { SUMDB_HOSTS, type DirectSumdbReachability } from './sumdb.js';
import type { ProbeTarget } from './target.js';

const MiB = 1024 * 1024;

/**
 * What a probe reads of each answer, at most: far above any real one, far below what could
 * hurt. A `.zip` past its cap is read only partly, enough to measure, not to verify; Go's own
 * limit for a module zip is 500 MiB (MaxZipFile), and probes pick small modules.
 */
export const PROBE_CAPS = {
  /** `.info` JSON, and the checksum database's `/supported` and `/latest`. */
  small: 1 * MiB,
  /** Go's own limit for a go.mod (MaxGoMod). */
  mod: 16 * MiB,
  zip: 64 * MiB,
} as const;

/** A mirror's probe under way. */
export interface MirrorProbe {
  /** The verdict, within the probe's timeout. */
  health: Promise<Health>;
  /** Every request made so far, live: how far along the probe is. */
  requests: readonly RequestProgress[];
}

/**
 * Probes one mirror: `.info`, `.mod` and `.zip` of each target plus the
 * checksum-database endpoint, all at once and all within `timeoutMs`, so a
 * slow answer from one never delays the verdict beyond the timeout.
 */
export function startMirrorProbe(
  mirror: Mirror,
  targets: readonly ProbeTarget[],
  timeoutMs: number,
): MirrorProbe {
  const deadline = Date.now() + timeoutMs;
  const requests: RequestProgress[] = [];
  const get = (suffix: string, maxBytes: number = PROBE_CAPS.small): Promise<Observation> => {
    const progress: RequestProgress = { bytes: 0, done: false };
    requests.push(progress);
    return observe(`${mirror.requestUrl}/${suffix}`, {
      authorization: mirror.authorization,
      timeoutMs: Math.max(0, deadline - Date.now()),
      maxBytes,
      progress,
    });
  };

  const targetProbes = targets.map(async (target): Promise<TargetObservations> => {
    const base = `${escapeModulePath(target.module)}/@v/${escapeVersion(target.version)}`;
    const [info, mod, zip] = await Promise.all([
      get(`${base}.info`),
      get(`${base}.mod`, PROBE_CAPS.mod),
      get(`${base}.zip`, PROBE_CAPS.zip),
    ]);
    return { target, info, mod, zip };
  });
  const sumdbProbe = (async () => {
    const supported = await get('sumdb/sum.golang.org/supported');
    const latest =
      supported.kind === 'response' && supported.status === 200 && supported.complete
        ? await get('sumdb/sum.golang.org/latest')
        : undefined;
    return { supported, latest };
  })();

  const health = Promise.all([Promise.all(targetProbes), sumdbProbe]).then(([observed, sumdb]) =>
    classifyMirror({ targets: observed, ...sumdb }, timeoutMs),
  );
  return { health, requests };
}

/** Whether each checksum database host answers `/latest` with a tree head. */
export async function probeDirectSumdb(timeoutMs: number): Promise<DirectSumdbReachability> {
  const reachable = async (base: string): Promise<boolean> => {
    const o = await observe(`${base}/latest`, { timeoutMs, maxBytes: PROBE_CAPS.small });
    return o.kind === 'response' && o.status === 200 && o.complete && isTreeHead(o.body.toString());
  };
  const [official, china] = await Promise.all([
    reachable(SUMDB_HOSTS.official.url),
    reachable(SUMDB_HOSTS.china.url),
  ]);
  return { official, china };
}
