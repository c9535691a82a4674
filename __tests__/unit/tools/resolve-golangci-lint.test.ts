import { describe, expect, it } from '@jest/globals';
import { entrySha256, KNOWN_CHECKSUMS } from '../../../src/tools/known-checksums.js';
import { toolPlatform } from '../../../src/tools/platform.js';
import {
  lintChecksum,
  lintRelease,
  lintReleaseFromGoMod,
  resolveGolangciLint,
} from '../../../src/tools/resolve-golangci-lint.js';

const LINT = 'github.com/golangci/golangci-lint/v2';
const linux = toolPlatform('linux', 'x64');

describe('lintChecksum', () => {
  it('takes nothing from an empty input', () => {
    expect(lintChecksum('')).toEqual({});
    expect(lintChecksum(' \n')).toEqual({});
  });

  it('takes 64 hex digits, with or without sha256:, in lower case', () => {
    expect(lintChecksum(` sha256:${'AB'.repeat(32)} `)).toEqual({ sha256: 'ab'.repeat(32) });
    expect(lintChecksum('c'.repeat(64))).toEqual({ sha256: 'c'.repeat(64) });
  });

  it('names anything else as the input as written', () => {
    expect(lintChecksum(' abc123 ')).toEqual({
      problem:
        'golangci-lint-checksum: "abc123" is not a sha256; expected 64 hex digits, as in the release\'s checksums.txt',
    });
    expect(lintChecksum('c'.repeat(63))).toHaveProperty('problem');
  });
});

describe('lintRelease', () => {
  it('takes a release with or without the v', () => {
    expect(lintRelease('v2.4.0')).toEqual({ version: '2.4.0' });
    expect(lintRelease(' 2.4.0 ')).toEqual({ version: '2.4.0' });
  });

  it('refuses ranges and latest, suggesting go.mod only where it may be written', () => {
    expect(lintRelease('latest')).toEqual({
      problem:
        'golangci-lint-version: "latest" is not a release version; pin one such as v2.4.0, or write go.mod to take the one the project\'s go.mod requires (ranges and "latest" cannot be verified)',
    });
    expect(lintRelease('^2.4', false)).toEqual({
      problem:
        'golangci-lint-version: "^2.4" is not a release version; pin one such as v2.4.0 (ranges and "latest" cannot be verified)',
    });
  });
});

describe('lintReleaseFromGoMod', () => {
  it('takes the release go.mod requires, with the line it was read from', () => {
    const goMod = ['module example.com/app', '', 'go 1.24', '', `require ${LINT} v2.4.0`, ''];
    expect(lintReleaseFromGoMod(goMod.join('\n'), 'app/go.mod')).toEqual({
      version: '2.4.0',
      versionFrom: { file: 'app/go.mod', line: `app/go.mod:5: require ${LINT} v2.4.0` },
    });
  });

  it('names the go.mod that is not there', () => {
    expect(lintReleaseFromGoMod(undefined, 'app/go.mod')).toEqual({
      problem: expect.stringMatching(/^golangci-lint-version: go\.mod: there is no app\/go\.mod;/),
    });
  });
});

describe('resolveGolangciLint', () => {
  it("takes the table's sha256 for a release it knows", () => {
    expect(resolveGolangciLint({ version: '2.4.0' }, undefined, linux)).toEqual({
      version: '2.4.0',
      sha256: entrySha256(KNOWN_CHECKSUMS['2.4.0']['linux-amd64']),
      sha256From: 'known checksums',
    });
  });

  it("takes the user's sha256 over the table's, and keeps where the version came from", () => {
    const versionFrom = { file: 'go.mod', line: `go.mod:4: require ${LINT} v2.4.0` };
    expect(resolveGolangciLint({ version: '2.4.0', versionFrom }, 'd'.repeat(64), linux)).toEqual({
      version: '2.4.0',
      versionFrom,
      sha256: 'd'.repeat(64),
      sha256From: 'golangci-lint-checksum',
    });
  });

  it('names the release, or the go.mod line, that no table vouches for', () => {
    const unknown = resolveGolangciLint({ version: '9.9.9' }, undefined, linux);
    expect(unknown).toEqual({
      problem: expect.stringMatching(
        /^golangci-lint-version: "v9\.9\.9" has no known sha256 for linux-amd64, so it cannot be verified/,
      ),
    });
    const line = `go.mod:4: require ${LINT} v9.9.9`;
    const fromGoMod = resolveGolangciLint(
      { version: '9.9.9', versionFrom: { file: 'go.mod', line } },
      undefined,
      linux,
    );
    expect(fromGoMod).toEqual({
      problem: expect.stringContaining(`golangci-lint-version: go.mod: v9.9.9 (${line}) has no`),
    });
  });

  it('names the request as the caller says it', () => {
    expect(
      resolveGolangciLint({ version: '9.9.9' }, undefined, linux, '--golangci-lint v9.9.9'),
    ).toEqual({ problem: expect.stringMatching(/^--golangci-lint v9\.9\.9 has no known sha256/) });
  });
});
