import type { ModuleVersion } from '../gomod/gosum.js';
import { matchesPrefixPatterns } from '../gomod/patterns.js';

/** A module version that a probe asks a mirror for, with the hashes go.sum pins. */
export interface ProbeTarget {
  module: string;
  version: string;
  zipHash?: string;
  modHash?: string;
}

export interface ProbeTargets {
  /** What public mirrors are asked for: never a private module path. */
  public?: ProbeTarget;
  /** What private mirrors are asked for: a private module when there is one. */
  private?: ProbeTarget;
}

/**
 * Picks what to probe with: something the project really depends on, with
 * both hashes pinned so content can be verified. `zipSize` reports the size
 * of a zip already in the local module cache; the smallest known one wins so
 * the probe stays quick, otherwise the first in sorted order (stable runs).
 */
export function chooseProbeTargets(
  modules: readonly ModuleVersion[],
  goprivate: string,
  zipSize: (m: ModuleVersion) => number | undefined = () => undefined,
): ProbeTargets {
  const pinned = modules.filter((m) => m.zipHash?.startsWith('h1:') && m.modHash);
  const isPrivate = (m: ModuleVersion): boolean =>
    goprivate !== '' && matchesPrefixPatterns(goprivate, m.module);
  const publicOnes = pinned.filter((m) => !isPrivate(m));
  const privateOnes = pinned.filter(isPrivate);
  const pub = smallest(publicOnes, zipSize);
  return {
    public: pub && toTarget(pub),
    private: toTarget(smallest(privateOnes, zipSize) ?? pub),
  };
}

function smallest(
  candidates: readonly ModuleVersion[],
  zipSize: (m: ModuleVersion) => number | undefined,
): ModuleVersion | undefined {
  let best: ModuleVersion | undefined;
  let bestSize = Number.POSITIVE_INFINITY;
  for (const m of candidates) {
    const size = zipSize(m);
    if (size !== undefined && size < bestSize) {
      best = m;
      bestSize = size;
    }
  }
  return best ?? candidates[0];
}

function toTarget(m: ModuleVersion): ProbeTarget;
function toTarget(m: ModuleVersion | undefined): ProbeTarget | undefined;
function toTarget(m: ModuleVersion | undefined): ProbeTarget | undefined {
  if (!m) return undefined;
  return { module: m.module, version: m.version, zipHash: m.zipHash, modHash: m.modHash };
}
