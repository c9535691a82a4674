import { describe, expect, it } from '@jest/globals';
import { INPUT_NAMES, secretBearingInputs } from '../../../src/config/inputs.js';
import { DEFAULT_INPUTS } from '../helpers.js';

describe('secretBearingInputs', () => {
  it('joins the inputs whose URLs may carry credentials, and no other', () => {
    const raw = Object.fromEntries(INPUT_NAMES.map((n) => [n, `<${n}>`])) as typeof DEFAULT_INPUTS;
    expect(secretBearingInputs(raw).split('\n')).toEqual([
      '<mirrors>',
      '<private-mirrors>',
      '<tool-mirrors>',
      '<offline-bundle>',
    ]);
  });
});
