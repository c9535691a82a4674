import { describe, expect, it } from '@jest/globals';
import { describeGoErrors } from '../../../src/report/describe-failures.js';

describe('describeGoErrors', () => {
  it("quotes Go's words under the directory, with a hint for a too-new go line", () => {
    const text = describeGoErrors([
      {
        dir: '/w/app',
        lines: ['go: go.mod requires go >= 1.25 (running go 1.23.5; GOTOOLCHAIN=local)'],
      },
    ]);
    expect(text).toBe(
      'go in /w/app said:\n' +
        '    go: go.mod requires go >= 1.25 (running go 1.23.5; GOTOOLCHAIN=local)\n' +
        '  Install Go 1.25 or later before this step (for example actions/setup-go with go-version-file: go.mod).',
    );
  });
});
