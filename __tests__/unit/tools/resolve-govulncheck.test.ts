import { describe, expect, it } from '@jest/globals';
import { GOVULNCHECK_PINS, type GovulncheckPin } from '../../../src/tools/govulncheck-pins.js';
import {
  pinnedGovulncheck,
  projectGovulncheck,
  requestedGovulncheck,
  resolveGovulncheck,
} from '../../../src/tools/resolve-govulncheck.js';

const VULN = 'golang.org/x/vuln';
const pin: GovulncheckPin = { go: '1.22.0', require: { [VULN]: 'v1.1.4' }, sum: [] };
const table = { 'v1.1.4': pin, 'v1.6.0': { ...pin, go: '1.25.0' } };

describe('pinnedGovulncheck', () => {
  it('takes a pinned release with or without the v', () => {
    expect(pinnedGovulncheck('1.1.4', [], table)).toEqual({ version: 'v1.1.4', pin });
    expect(pinnedGovulncheck(' v1.6.0 ')).toEqual({
      version: 'v1.6.0',
      pin: GOVULNCHECK_PINS['v1.6.0'],
    });
  });

  it("names the pinned releases and what else the caller takes, the input's way by default", () => {
    expect(pinnedGovulncheck('v1.0.0', undefined, table)).toEqual({
      problem:
        'govulncheck-version: "v1.0.0" has no pinned go.mod and go.sum in this action, so it cannot be built verifiably; use one of v1.6.0, v1.1.4, latest, or go.mod to build the version the project\'s go.mod requires',
    });
    expect(pinnedGovulncheck('latest', [], table)).toEqual({
      problem:
        'govulncheck-version: "latest" has no pinned go.mod and go.sum in this action, so it cannot be built verifiably; use one of v1.6.0, v1.1.4',
    });
  });
});

describe('requestedGovulncheck', () => {
  it('leaves latest to the Go the job has, in any case', () => {
    expect(requestedGovulncheck(' Latest ')).toEqual({ latest: true });
  });

  it('takes a pinned release, and refuses anything else', () => {
    expect(requestedGovulncheck('v1.1.4')).toMatchObject({ version: 'v1.1.4' });
    expect(requestedGovulncheck('v1.0.0')).toHaveProperty('problem');
  });
});

describe('projectGovulncheck', () => {
  const goMod = (...lines: string[]) =>
    ['module example.com/app', '', 'go 1.24', ...lines, ''].join('\n');

  it('builds in the module directory, from the line go.mod pins it on', () => {
    expect(projectGovulncheck(goMod(`require ${VULN} v1.9.0`), 'app/go.mod', '/ws/app')).toEqual({
      version: 'v1.9.0',
      fromGoMod: {
        dir: '/ws/app',
        file: 'app/go.mod',
        line: `app/go.mod:4: require ${VULN} v1.9.0`,
      },
    });
  });

  it('names the module a replace builds instead', () => {
    const text = goMod(`require ${VULN} v1.1.4`, `replace ${VULN} => example.com/fork v1.1.5`);
    expect(projectGovulncheck(text, 'go.mod', '/ws')).toMatchObject({
      fromGoMod: { replacedBy: 'example.com/fork@v1.1.5' },
    });
  });

  it('names the go.mod that is not there', () => {
    expect(projectGovulncheck(undefined, 'go.mod', '/ws')).toEqual({
      problem: expect.stringMatching(/^govulncheck-version: go\.mod: there is no go\.mod;/),
    });
  });
});

describe('resolveGovulncheck', () => {
  it("leaves the project's own build to the project's go directive", () => {
    const wanted = {
      version: 'v1.9.0',
      fromGoMod: { dir: '/ws', file: 'go.mod', line: `go.mod:4: require ${VULN} v1.9.0` },
    };
    expect(resolveGovulncheck(wanted, 'go1.20.1', table)).toEqual({ resolved: wanted });
  });

  it('refuses a pinned release the Go is too old for, naming what it can build', () => {
    const wanted = { version: 'v1.6.0', pin: table['v1.6.0'] };
    expect(resolveGovulncheck(wanted, 'go1.24.0', table)).toEqual({
      problem: expect.stringMatching(
        /^govulncheck-version: v1\.6\.0 needs Go 1\.25 or newer, but this job's Go is go1\.24\.0\..*or use govulncheck-version: v1\.1\.4/,
      ),
    });
  });
});
