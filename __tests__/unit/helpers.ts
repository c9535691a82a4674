import { ACTION_DEFAULTS } from '../../src/cli/defaults.js';
import { applyJobSettings } from '../../src/config/apply-job-settings.js';
import type { RawInputs } from '../../src/config/inputs.js';
import { parseInputs } from '../../src/config/parse-inputs.js';
import type { PathKind } from '../../src/config/read-files.js';
import type { Config } from '../../src/config/types.js';
import type { Mirror } from '../../src/proxy/mirror.js';
import type { Health, Verdict } from '../../src/proxy/classify.js';
import type { ProbedMirror } from '../../src/proxy/chain.js';

/** A mirror as parseConfig would build it, for tests of the pure parts. */
export function mirror(url: string, isPrivate = false): Mirror {
  const u = new URL(url);
  const display = u.username ? url.replace(/\/\/[^@]*@/, '//***:***@') : url;
  u.username = '';
  u.password = '';
  return { url, display, requestUrl: u.toString().replace(/\/$/, ''), private: isPrivate };
}

export function health(verdict: Verdict, extra: Partial<Health> = {}): Health {
  return { verdict, reason: '', scoreMs: 10, proxiesSumdb: false, ...extra };
}

export function probed(
  url: string,
  verdict: Verdict,
  extra: Partial<Health> = {},
  isPrivate = false,
): ProbedMirror {
  return { mirror: mirror(url, isPrivate), health: health(verdict, extra) };
}

/** The inputs as a runner hands them over when a workflow sets none (action.yml's defaults). */
export const DEFAULT_INPUTS: RawInputs = ACTION_DEFAULTS;

/**
 * The config the action makes from `raw` in a job that set no Go settings of its own: the
 * inputs parsed, then folded with an empty job environment, as the main step does.
 */
export function configFrom(
  raw: RawInputs,
  workspace: string,
  stat?: (p: string) => PathKind,
): Config {
  const job = { GOPROXY: '', GOSUMDB: '', GOPRIVATE: '', GONOPROXY: '', GONOSUMDB: '' };
  return applyJobSettings(parseInputs(raw, workspace, stat), raw, { ...job, gosumdbSet: false })
    .config;
}
