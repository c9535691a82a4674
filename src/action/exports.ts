import {
  exportSet,
  replacedPatterns,
  type JobSettings,
  type Managed,
  type Settings,
} from '../config/job-env.js';
import type { Chain } from '../proxy/chain.js';

/** What this call exports, and the job's own settings for everything it leaves alone. */
export interface Exports {
  job: JobSettings;
  wanted: Settings;
}

/** One variable to export now, and the output that goes with it, if any. */
export interface Export {
  name: Managed;
  /** What later steps see: this call's value, or the job's own (empty means unset to Go). */
  value: string;
  output?: { name: string; value: string };
}

/**
 * Records `value` (undefined: the job's own) as wanted, and says what to export at once, so
 * that the action's own later go commands (govulncheck's build) see it too.
 */
export function exportEnv(exports: Exports, name: Managed, value: string | undefined): Export {
  if (value === undefined) delete exports.wanted[name];
  else exports.wanted[name] = value;
  return {
    name,
    value: value ?? exports.job.user[name] ?? '',
    ...(name === 'GOSUMDB' && value !== undefined && { output: { name: 'gosumdb', value } }),
  };
}

/** GOPROXY (and GONOPROXY) for a chain; none means `off`. */
export function exportChain(exports: Exports, chain: Chain | undefined): Export[] {
  return [
    exportEnv(exports, 'GOPROXY', chain?.goproxy ?? 'off'),
    // Without private mirrors in front, GONOPROXY goes back to the job's own value.
    exportEnv(exports, 'GONOPROXY', chain?.gonoproxy),
  ];
}

/**
 * The whole set once more at the end, whatever happened: each Go setting this call did not
 * set goes back to the job's own value, so no earlier call's export lingers. The notes say
 * which of the job's own patterns were replaced.
 */
export function finalExports(exports: Exports): { set: Record<string, string>; notes: string[] } {
  return {
    set: exportSet(exports.job, exports.wanted),
    notes: replacedPatterns(exports.job.user, exports.wanted),
  };
}

/** The healthy-mirrors output: members that answered in time and are healthy or slow. */
export function healthyMirrors(chain: Chain | undefined): string {
  return (chain?.members ?? [])
    .filter((m) => !m.health.pending)
    .filter((m) => m.health.verdict === 'healthy' || m.health.verdict === 'slow')
    .map((m) => m.mirror.display)
    .join(',');
}
