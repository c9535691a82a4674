import { applyJobSettings } from '../config/apply-job-settings.js';
import { secretBearingInputs, type RawInputs } from '../config/inputs.js';
import { parseInputs } from '../config/parse-inputs.js';
import type { Config, JobConfig } from '../config/types.js';
import { readGoEnv, userToolchain, type GoEnv } from '../go/env.js';
import { jobSettings, MANAGED, withUserSettings, type JobSettings } from '../config/job-env.js';
import { resolveGovulncheck } from '../tools/resolve-govulncheck.js';
import { findUrlSecrets } from '../util/mask.js';

/** What the main step works from: the config, Go as installed, and the job's own settings. */
export interface JobSetup {
  /** Its govulncheck is as asked for; resolveJobTools settles which release builds. */
  config: Config;
  goEnv: GoEnv;
  job: JobSettings;
  /** The GOTOOLCHAIN the job's own go commands run with. */
  gotoolchain: string;
  /**
   * The environment the action's own go commands run in: the job's settings, none of an
   * earlier call's exports, and never a toolchain download of their own.
   */
  actionEnv: NodeJS.ProcessEnv;
  /** What the job's settings changed, for the log and the summary. */
  notes: string[];
}

/**
 * Reads the inputs and the job's environment into one config. `register` gets every secret
 * as soon as it is known: before anything is logged, including an error about these very
 * inputs.
 */
export function setUpJob(
  raw: RawInputs,
  env: NodeJS.ProcessEnv,
  register: (secrets: readonly string[]) => void,
): JobSetup {
  register(
    findUrlSecrets([secretBearingInputs(raw), ...MANAGED.map((n) => env[n] ?? '')].join('\n')),
  );
  const job = jobSettings(env);
  const userEnv = withUserSettings(env, job);
  const inputs = parseInputs(raw, env.GITHUB_WORKSPACE || process.cwd());
  // The URLs as exported, which the serialiser may have re-encoded.
  register(inputs.secrets);
  const goEnv = readGoEnv(inputs.workingDirectory, userEnv);
  register(findUrlSecrets(goEnv.GOPROXY));
  const fromJob = applyJobSettings(inputs, raw, {
    ...goEnv,
    gosumdbSet: job.user.GOSUMDB !== undefined,
  });
  register(fromJob.config.secrets);
  return {
    config: fromJob.config,
    goEnv,
    job,
    gotoolchain: userToolchain(goEnv, userEnv),
    actionEnv: { ...userEnv, GOTOOLCHAIN: 'local' },
    notes: [...fromJob.notes],
  };
}

/**
 * Which govulncheck builds depends on the installed Go: settled before anything is downloaded.
 * Throws when the release asked for cannot be built with it.
 */
export function resolveJobTools(setup: JobSetup): { config: JobConfig; note?: string } {
  const wanted = setup.config.govulncheck;
  if (!wanted) return { config: { ...setup.config, govulncheck: undefined } };
  const r = resolveGovulncheck(wanted, setup.goEnv.GOVERSION);
  if ('problem' in r) throw new Error(r.problem);
  return { config: { ...setup.config, govulncheck: r.resolved }, note: r.note };
}
