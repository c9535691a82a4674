import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../../src/config/input-error.js';
import { probeSetup, toolFlagValue } from '../../../src/cli/probe-config.js';
import { UsageError } from '../../../src/cli/flags.js';
import { lintChecksum, lintRelease } from '../../../src/tools/resolve-golangci-lint.js';
import { pinnedGovulncheck } from '../../../src/tools/resolve-govulncheck.js';

describe('toolFlagValue', () => {
  it('passes a value the rules accept', () => {
    expect(toolFlagValue(lintRelease('v2.4.0', false))).toEqual({ version: '2.4.0' });
    expect(toolFlagValue(lintChecksum(''))).toEqual({});
  });

  it("turns the input's problem into a usage error naming the flag", () => {
    const failing = [
      [() => toolFlagValue(lintRelease('latest', false)), /^--golangci-lint: "latest" is not/],
      [
        () => toolFlagValue(lintChecksum('abc')),
        /^--golangci-lint-checksum: "abc" is not a sha256/,
      ],
      [() => toolFlagValue(pinnedGovulncheck('v1.0.0', [])), /^--govulncheck: "v1\.0\.0" has no/],
    ] as const;
    for (const [run, message] of failing) {
      expect(run).toThrow(UsageError);
      expect(run).toThrow(message);
    }
  });
});

describe('probeSetup', () => {
  it('names the flag, not the input, in a bad value', () => {
    const problems = (() => {
      try {
        probeSetup(
          { dir: '/nonexistent/dir', 'probe-timeout': '0', mirrors: 'ftp://x.example' },
          {},
          '/',
        );
      } catch (err) {
        return (err as InputError).problems;
      }
      return [];
    })();
    expect(problems).toEqual([
      expect.stringMatching(/^--mirrors: "ftp:\/\/x\.example" uses the unsupported scheme/),
      expect.stringMatching(/^--probe-timeout: "0" is out of range/),
      expect.stringMatching(/^--dir: "\/nonexistent\/dir" does not exist/),
    ]);
  });
});
