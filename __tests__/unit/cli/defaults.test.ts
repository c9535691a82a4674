import { describe, expect, it } from '@jest/globals';
import { ACTION_DEFAULTS } from '../../../src/cli/defaults.js';
import { loadActionMetadata } from '../../support/action-metadata.js';

describe('ACTION_DEFAULTS', () => {
  it("starts from action.yml's defaults", () => {
    const { inputs } = loadActionMetadata();
    const fromYaml = Object.fromEntries(
      // An expression such as `${{ github.token }}` has no value off a runner.
      Object.entries(inputs).map(([name, spec]) => [
        name,
        spec.default?.startsWith('${{') ? '' : (spec.default ?? ''),
      ]),
    );
    expect(ACTION_DEFAULTS).toEqual(fromYaml);
  });
});
