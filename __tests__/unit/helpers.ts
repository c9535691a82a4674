import { ACTION_DEFAULTS } from '../../src/cli/defaults.js';
import type { RawInputs } from '../../src/config/inputs.js';
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
