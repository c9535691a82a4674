import * as core from '@actions/core';
import { INPUT_NAMES, type RawInputs } from '../config/inputs.js';

/** The action's inputs as the runner hands them over, before any parsing. */
export function readRawInputs(): RawInputs {
  const raw = {} as RawInputs;
  for (const name of INPUT_NAMES) raw[name] = core.getInput(name);
  return raw;
}
