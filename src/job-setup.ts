import * as core from '@actions/core';
import { applyJobSettings } from './config/apply-job-settings.js';
import { INPUT_NAMES, secretBearingInputs, type RawInputs } from './config/inputs.js';
import { jobSettings, MANAGED, withUserSettings, type JobSettings } from './config/job-env.js';
import { parseInputs } from './config/parse-inputs.js';
import type { Config, JobConfig } from './config/types.js';
import { discoverProject, type Project } from './gomod/discover.js';
import type { Log } from './host/log.js';
import { readGoEnv, userToolchain, type GoEnv } from './go/env.js';
import { resolveGovulncheck } from './tools/resolve-govulncheck.js';
import { findUrlSecrets } from './util/mask.js';

/** What the main step works from: the config, Go as installed, and the job's own settings. */
export interface JobSetup {
  config: JobConfig;
  goEnv: GoEnv;
  job: JobSettings;
  /** The GOTOOLCHAIN the job's own go commands run with. */
  gotoolchain: string;
  /** What the job's settings changed, for the summary. */
  notes: string[];
}

/**
 * Reads the inputs and the job's environment into one config. Secrets are registered before
 * anything is logged; afterwards the action's own go commands see the job's settings, none of
 * an earlier call's exports, and never download a toolchain by themselves.
 */
export function setUpJob(): JobSetup {
  const raw = readRawInputs();
  const register = secretRegistry();
  // Before anything can be logged, including an error about these very inputs.
  register(
    findUrlSecrets(
      [secretBearingInputs(raw), ...MANAGED.map((n) => process.env[n] ?? '')].join('\n'),
    ),
  );
  const job = jobSettings(process.env);
  const userEnv = withUserSettings(process.env, job);
  const inputs = parseInputs(raw, process.env.GITHUB_WORKSPACE || process.cwd());
  // The URLs as exported, which the serialiser may have re-encoded.
  register(inputs.secrets);
  const goEnv = readGoEnv(inputs.workingDirectory, userEnv);
  register(findUrlSecrets(goEnv.GOPROXY));
  const fromJob = applyJobSettings(inputs, raw, {
    ...goEnv,
    gosumdbSet: job.user.GOSUMDB !== undefined,
  });
  register(fromJob.config.secrets);
  const { notes } = fromJob;
  for (const note of notes) core.info(note);
  const gotoolchain = userToolchain(goEnv, userEnv);
  // The action's own go commands see the job's settings, none of an earlier call's exports,
  // and never download a toolchain on their own.
  replaceProcessEnv({ ...userEnv, GOTOOLCHAIN: 'local' });
  core.info(`Go ${goEnv.GOVERSION}, GOMODCACHE=${goEnv.GOMODCACHE}`);
  // Which govulncheck builds depends on the installed Go: settled before anything is downloaded.
  let govulncheck: JobConfig['govulncheck'];
  if (fromJob.config.govulncheck) {
    const r = resolveGovulncheck(fromJob.config.govulncheck, goEnv.GOVERSION);
    if ('problem' in r) throw new Error(r.problem);
    govulncheck = r.resolved;
    if (r.note) {
      core.info(r.note);
      notes.push(r.note);
    }
  }
  const config: JobConfig = { ...fromJob.config, govulncheck };
  return { config, goEnv, job, gotoolchain, notes };
}

/** The project's go.sum files and modules; a glob that matches nothing is named in a warning. */
export async function findProject(config: Config, log: Log): Promise<Project> {
  const project = await discoverProject(config.workingDirectory, config.cacheDependencyPath);
  log.info(
    `${project.goSumFiles.length} go.sum file(s), ${project.moduleDirs.length} module(s), ${project.modules.length} dependency version(s)`,
  );
  for (const pattern of project.unmatched) {
    // A typo here silently shrinks what is prefetched and keyed, whatever `cache` says.
    log.warning(
      `cache-dependency-path: "${pattern}" matches no go.sum under ${config.workingDirectory}; its modules are neither prefetched nor part of the snapshot key. Fix the glob (default: **/go.sum).`,
    );
  }
  if (project.rejectedSumLines.length > 0) {
    log.warning(
      `go.sum: ${project.rejectedSumLines.length} line(s) name no module version Go could download, and are ignored: ${project.rejectedSumLines.slice(0, 5).join('; ')}`,
    );
  }
  return project;
}

/** Registers each secret with the runner once: every registration is a line in the log. */
function secretRegistry(): (secrets: readonly string[]) => void {
  const registered = new Set<string>();
  return (secrets) => {
    for (const secret of secrets) {
      if (registered.has(secret)) continue;
      registered.add(secret);
      core.setSecret(secret);
    }
  };
}

function readRawInputs(): RawInputs {
  const raw = {} as RawInputs;
  for (const name of INPUT_NAMES) raw[name] = core.getInput(name);
  return raw;
}

function replaceProcessEnv(env: NodeJS.ProcessEnv): void {
  for (const name of Object.keys(process.env)) if (!(name in env)) delete process.env[name];
  Object.assign(process.env, env);
}
