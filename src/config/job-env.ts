/**
 * The Go settings this action exports, and what the job had before it.
 *
 * A job may call the action more than once. Each call must leave a consistent
 * set: whatever it does not set goes back to the job's own value, not to what
 * an earlier call exported (a stale `GONOPROXY=none` would send private paths
 * to a public mirror). The first call records the job's values in a variable
 * of its own; later calls read them back from there.
 */

export const MANAGED = ['GOPROXY', 'GOSUMDB', 'GOPRIVATE', 'GONOPROXY'] as const;
export type Managed = (typeof MANAGED)[number];
export type Settings = Partial<Record<Managed, string>>;

/** Exported by the first call: the job's own values, and what the latest call exported. */
export const MARKER = 'GO_RESILIENT_SETUP_JOB_ENV';

interface Marker {
  before: Settings;
  exported: Settings;
}

export interface JobSettings {
  /** What the job itself set, this action's own exports taken out. */
  user: Settings;
  /** The job's values before the first call. */
  before: Settings;
}

/** Separates the job's own settings from this action's earlier exports. */
export function jobSettings(env: NodeJS.ProcessEnv): JobSettings {
  const current = pick(env);
  const marker = readMarker(env[MARKER]);
  if (!marker) return { user: current, before: current };
  const user: Settings = {};
  for (const name of MANAGED) {
    // A value other than the one exported was set since by the workflow (a step's env:, a
    // later export): it is the job's. Otherwise the job's is what it had before.
    const value = env[name] !== (marker.exported[name] ?? '') ? current[name] : marker.before[name];
    if (value) user[name] = value;
  }
  return { user, before: marker.before };
}

/**
 * The full set to export: what this call sets, and for everything else the
 * job's own value (empty means unset to Go), plus the marker for later calls.
 */
export function exportSet(job: JobSettings, wanted: Settings): Record<string, string> {
  const out: Record<string, string> = {};
  const exported: Settings = {};
  for (const name of MANAGED) {
    out[name] = wanted[name] ?? job.user[name] ?? '';
    exported[name] = out[name];
  }
  const marker: Marker = { before: job.before, exported };
  out[MARKER] = JSON.stringify(marker);
  return out;
}

/** The environment the action's own go commands start from: the job's settings, none of ours. */
export function withUserSettings(env: NodeJS.ProcessEnv, job: JobSettings): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const name of MANAGED) {
    if (job.user[name]) out[name] = job.user[name];
    else delete out[name];
  }
  return out;
}

/**
 * Which of the job's own pattern settings this call exported differently. (GOPROXY and
 * GOSUMDB are described when the config is made, from what `go env` reports.)
 */
export function replacedPatterns(user: Settings, wanted: Settings): string[] {
  const notes: string[] = [];
  for (const name of ['GOPRIVATE', 'GONOPROXY'] as const) {
    const had = user[name];
    const now = wanted[name];
    if (had && now !== undefined && now !== had) {
      notes.push(`${name}=${had} from the job's environment is exported as ${name}=${now}.`);
    }
  }
  return notes;
}

function pick(env: NodeJS.ProcessEnv): Settings {
  const out: Settings = {};
  for (const name of MANAGED) {
    const value = env[name]?.trim();
    if (value) out[name] = value;
  }
  return out;
}

function readMarker(raw: string | undefined): Marker | undefined {
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<Marker>;
    if (typeof parsed.before !== 'object' || typeof parsed.exported !== 'object') return undefined;
    return { before: parsed.before ?? {}, exported: parsed.exported ?? {} };
  } catch {
    return undefined;
  }
}
