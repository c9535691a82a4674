import type { ModuleVersion } from '../gomod/gosum.js';
import type { ModuleFailure } from '../go/xtrace.js';
import type { ProbeTarget } from '../proxy/target.js';

/** Probe targets for failed modules that go.sum pins (at most three, to keep probes quick). */
export function retryTargets(
  failures: readonly ModuleFailure[],
  modules: readonly ModuleVersion[],
): ProbeTarget[] {
  const pinned = new Map(modules.map((m) => [`${m.module}@${m.version}`, m]));
  const seen = new Set<string>();
  const targets: ProbeTarget[] = [];
  for (const f of failures) {
    const key = `${f.module}@${f.version}`;
    const m = pinned.get(key);
    if (!m || seen.has(key)) continue;
    seen.add(key);
    targets.push({ module: m.module, version: m.version, zipHash: m.zipHash, modHash: m.modHash });
    if (targets.length === 3) break;
  }
  return targets;
}
