import { applyJobSettings } from '../config/apply-job-settings.js';
import { InputError } from '../config/input-error.js';
import type { InputName, RawInputs } from '../config/inputs.js';
import { parseInputs } from '../config/parse-inputs.js';
import type { Config } from '../config/types.js';
import { readGoEnv, type GoEnv } from '../go/env.js';
import { ACTION_DEFAULTS } from './defaults.js';
import { UsageError } from './flags.js';

/** The flags of `probe` that stand for an input of the action, and that input. */
export const PROBE_INPUT_FLAGS = {
  mirrors: 'mirrors',
  'private-mirrors': 'private-mirrors',
  private: 'private',
  sumdb: 'sumdb',
  'probe-timeout': 'probe-timeout',
  dir: 'working-directory',
} as const satisfies Record<string, InputName>;
export type ProbeInputFlag = keyof typeof PROBE_INPUT_FLAGS;

/** The flags of `bundle` that ask for a tool as an input of the action does, and that input. */
export const TOOL_INPUT_FLAGS = {
  'golangci-lint': 'golangci-lint-version',
  'golangci-lint-checksum': 'golangci-lint-checksum',
  govulncheck: 'govulncheck-version',
} as const satisfies Record<string, InputName>;

export interface ProbeSetup {
  config: Config;
  goEnv: GoEnv;
}

/**
 * Builds the action's config from the flags, so a bad value is judged by the same rules and
 * reads the same as a bad input, with the flag's name in place of the input's. Go's own
 * settings (`go env`: the environment, then `go env -w`) fill in what the flags leave out,
 * as they do for a job: on a laptop the probe checks what Go would use.
 */
export function probeSetup(
  flags: Partial<Record<string, string>>,
  env: NodeJS.ProcessEnv,
  cwd: string,
  inputFlags: Record<string, InputName> = PROBE_INPUT_FLAGS,
): ProbeSetup {
  const raw: RawInputs = { ...ACTION_DEFAULTS };
  for (const [flag, input] of Object.entries(inputFlags)) {
    const value = flags[flag];
    if (value !== undefined) raw[input] = value;
  }
  const withFlagNames = <T>(parse: () => T): T => {
    try {
      return parse();
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      throw new InputError(err.problems.map((p) => renameInput(p, inputFlags)));
    }
  };
  const inputs = withFlagNames(() => parseInputs(raw, cwd));
  const goEnv = readGoEnv(inputs.workingDirectory, env);
  const { config } = withFlagNames(() =>
    applyJobSettings(inputs, raw, {
      ...goEnv,
      // --mirrors wins over GOPROXY even when it names Go's default list.
      GOPROXY: flags.mirrors === undefined ? goEnv.GOPROXY : '',
      gosumdbSet: Boolean(env.GOSUMDB?.trim()),
    }),
  );
  return { config, goEnv };
}

/**
 * A tool flag's value as the action's rules for its input resolve it. What they find wrong is
 * a usage error that names the flag in place of the input.
 */
export function toolFlagValue<T extends object>(resolved: T | { problem: string }): T {
  if ('problem' in resolved && typeof resolved.problem === 'string') {
    throw new UsageError(renameInput(resolved.problem, TOOL_INPUT_FLAGS));
  }
  return resolved as T;
}

/** `working-directory: "x" does not exist` → `--dir: "x" does not exist`. */
function renameInput(problem: string, inputFlags: Record<string, InputName>): string {
  for (const [flag, input] of Object.entries(inputFlags)) {
    if (problem.startsWith(`${input}: `)) return `--${flag}${problem.slice(input.length)}`;
  }
  return problem;
}
