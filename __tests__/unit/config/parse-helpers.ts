import { expect } from '@jest/globals';
import { InputError } from '../../../src/config/input-error.js';
import type { RawInputs } from '../../../src/config/inputs.js';
import { parseInputs } from '../../../src/config/parse-inputs.js';
import { DEFAULT_INPUTS } from '../helpers.js';

export const defaults = DEFAULT_INPUTS;

/** parseInputs over the workspace /ws, where only go.mod files are files and "missing" paths are missing. */
export function parse(overrides: Partial<RawInputs>) {
  return parseInputs({ ...defaults, ...overrides }, '/ws', (p) =>
    p.endsWith('go.mod') ? 'file' : p.includes('missing') ? 'missing' : 'directory',
  );
}

export function problemsOf(overrides: Partial<RawInputs>): string[] {
  try {
    parse(overrides);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as InputError).problems;
  }
  throw new Error('expected an InputError');
}
