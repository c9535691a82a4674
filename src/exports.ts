import * as core from '@actions/core';
import {
  exportSet,
  replacedPatterns,
  type JobSettings,
  type Managed,
  type Settings,
} from './config/job-env.js';
import type { Chain } from './proxy/chain.js';
import type { RunReport } from './report.js';

/** What this call exports, and the job's own settings for everything it leaves alone. */
export interface Exports {
  job: JobSettings;
  wanted: Settings;
}

/** Exports GOPROXY (and GONOPROXY) for later steps; undefined means `off`. */
export function exportChain(chain: Chain | undefined, report: RunReport, exports: Exports): void {
  const display = chain?.display ?? 'off';
  exportEnv(exports, 'GOPROXY', chain?.goproxy ?? 'off');
  // Without private mirrors in front, GONOPROXY goes back to the job's own value.
  exportEnv(exports, 'GONOPROXY', chain?.gonoproxy);
  report.goproxyDisplay = display;
  report.gonoproxy = chain?.gonoproxy;
  core.setOutput('goproxy', display);
}

/** Exports at once, so the action's own later go commands (govulncheck's build) see it too. */
export function exportEnv(exports: Exports, name: Managed, value: string | undefined): void {
  if (value === undefined) delete exports.wanted[name];
  else exports.wanted[name] = value;
  core.exportVariable(name, value ?? exports.job.user[name] ?? '');
  if (name === 'GOSUMDB' && value !== undefined) core.setOutput('gosumdb', value);
}

/**
 * Exports the whole set once more at the end, whatever happened: each Go setting this call did
 * not set goes back to the job's own value, so no earlier call's export lingers.
 */
export function exportSettings(exports: Exports): string[] {
  for (const [name, value] of Object.entries(exportSet(exports.job, exports.wanted))) {
    core.exportVariable(name, value);
  }
  const notes = replacedPatterns(exports.job.user, exports.wanted);
  for (const note of notes) core.info(note);
  return notes;
}
