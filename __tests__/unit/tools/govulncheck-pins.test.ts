import { describe, expect, it } from '@jest/globals';
import {
  buildDigest,
  buildModuleFiles,
  GOVULNCHECK_PINS,
  goTooOld,
  newestBuildable,
  pinDigest,
  pinnedVersions,
  resolveGovulncheck,
  vulnSumLine,
  type GovulncheckPin,
} from '../../../src/tools/govulncheck-pins.js';

const pin: GovulncheckPin = {
  go: '1.22.0',
  require: { 'golang.org/x/vuln': 'v1.1.4', 'golang.org/x/mod': 'v0.22.0' },
  sum: [
    'golang.org/x/mod v0.22.0 h1:mod=',
    'golang.org/x/mod v0.22.0/go.mod h1:modmod=',
    'golang.org/x/vuln v1.1.4 h1:vuln=',
    'golang.org/x/vuln v1.1.4/go.mod h1:vulnmod=',
  ],
};

describe('shipped govulncheck pins', () => {
  it('pin golang.org/x/vuln to the published hashes', () => {
    expect(GOVULNCHECK_PINS['v1.1.4'].sum).toEqual(
      expect.arrayContaining([
        'golang.org/x/vuln v1.1.4 h1:Ju8QsuyhX3Hk8ma3CesTbO8vfJD9EvUBgHvkxHBzj0I=',
        'golang.org/x/vuln v1.1.4/go.mod h1:F+45wmU18ym/ca5PLTPLsSzr2KppzswxPP603ldA67s=',
      ]),
    );
    expect(GOVULNCHECK_PINS['v1.1.3'].sum).toContain(
      'golang.org/x/vuln v1.1.3 h1:NPGnvPOTgnjBc9HTaUx+nj+EaUYxl5SJOWqaDYGaFYw=',
    );
  });

  it('need the Go versions govulncheck documents (1.21, 1.22, then 1.25 from v1.2.0)', () => {
    for (const v of ['v1.2.0', 'v1.3.0', 'v1.4.0', 'v1.5.0', 'v1.6.0']) {
      expect(GOVULNCHECK_PINS[v].go).toBe('1.25.0');
      expect(goTooOld(v, GOVULNCHECK_PINS[v], 'go1.24.9')).toContain('Go 1.25');
    }
    expect(goTooOld('v1.1.3', GOVULNCHECK_PINS['v1.1.3'], 'go1.21.0')).toBeUndefined();
    expect(goTooOld('v1.1.3', GOVULNCHECK_PINS['v1.1.3'], 'go1.20.14')).toContain('Go 1.21');
    expect(goTooOld('v1.1.4', GOVULNCHECK_PINS['v1.1.4'], 'go1.22.0')).toBeUndefined();
    expect(goTooOld('v1.1.4', GOVULNCHECK_PINS['v1.1.4'], 'go1.21.13')).toContain('Go 1.22');
  });

  it.each(Object.entries(GOVULNCHECK_PINS))(
    '%s has a zip and a go.mod sum for every requirement, and only go.mod sums besides',
    (version, p) => {
      expect(p.require['golang.org/x/vuln']).toBe(version);
      const expected = Object.entries(p.require).flatMap(([m, v]) => [
        `${m} ${v} `,
        `${m} ${v}/go.mod `,
      ]);
      for (const prefix of expected) {
        expect(p.sum.filter((l) => l.startsWith(prefix))).toEqual([
          expect.stringMatching(/ h1:[A-Za-z0-9+/]{43}=$/),
        ]);
      }
      // Versions the build does not select are in its module graph only by their go.mod.
      const others = p.sum.filter((l) => !expected.some((prefix) => l.startsWith(prefix)));
      for (const line of others) {
        expect(line).toMatch(/^\S+ v\S+\/go\.mod h1:[A-Za-z0-9+/]{43}=$/);
      }
    },
  );

  it('hold the go.mod sum of go-cmp v0.3.1, which go-cmdtest requires', () => {
    for (const p of Object.values(GOVULNCHECK_PINS)) {
      expect(p.sum).toContain(
        'github.com/google/go-cmp v0.3.1/go.mod h1:8QqcDgzrUqlUb/G2PQTWiueGozuR1884gddMywk6iLU=',
      );
    }
  });

  it('lists pinned versions newest first', () => {
    expect(pinnedVersions()).toEqual([
      'v1.6.0',
      'v1.5.0',
      'v1.4.0',
      'v1.3.0',
      'v1.2.0',
      'v1.1.4',
      'v1.1.3',
    ]);
  });
});

describe('buildModuleFiles', () => {
  it('requires x/vuln directly and the rest as indirect, at the pinned go version', () => {
    const { goMod, goSum } = buildModuleFiles(pin);
    expect(goMod).toContain('\ngo 1.22.0\n');
    expect(goMod).toContain('\tgolang.org/x/vuln v1.1.4\n');
    expect(goMod).toContain('\tgolang.org/x/mod v0.22.0 // indirect\n');
    expect(goSum).toBe(`${pin.sum.join('\n')}\n`);
  });
});

describe('goTooOld', () => {
  it('explains what to do before anything is downloaded, naming the newest release that works', () => {
    expect(goTooOld('v1.1.4', pin, 'go1.21.5')).toBe(
      "govulncheck-version: v1.1.4 needs Go 1.22 or newer, but this job's Go is go1.21.5. Install a newer Go before this step (e.g. actions/setup-go with go-version: '1.22'), or use govulncheck-version: v1.1.3, the newest pinned release go1.21.5 can build (latest picks it).",
    );
    expect(goTooOld('v1.6.0', GOVULNCHECK_PINS['v1.6.0'], 'go1.23.12')).toBe(
      "govulncheck-version: v1.6.0 needs Go 1.25 or newer, but this job's Go is go1.23.12. Install a newer Go before this step (e.g. actions/setup-go with go-version: '1.25'), or use govulncheck-version: v1.1.4, the newest pinned release go1.23.12 can build (latest picks it).",
    );
    expect(goTooOld('v1.1.3', GOVULNCHECK_PINS['v1.1.3'], 'go1.20.14')).toContain(
      "go-version: '1.21'), no pinned release builds with it.",
    );
  });

  it('accepts newer, release-candidate and experiment builds, and does not guess about devel ones', () => {
    expect(goTooOld('v1.1.4', pin, 'go1.23.5')).toBeUndefined();
    expect(goTooOld('v1.1.4', pin, 'go1.22')).toBeUndefined();
    expect(goTooOld('v1.1.4', { ...pin, go: '1.25' }, 'go1.24.0 X:nocoverageredesign')).toContain(
      'needs Go 1.25',
    );
    expect(goTooOld('v1.1.4', pin, 'devel go1.26-abcdef')).toBeUndefined();
  });
});

describe('resolveGovulncheck', () => {
  const table = {
    'v1.1.3': { ...pin, go: '1.21' },
    'v1.1.4': pin,
    'v1.6.0': { ...pin, go: '1.25.0' },
  };

  it.each([
    ['go1.26.11', 'v1.6.0'],
    ['go1.25.0', 'v1.6.0'],
    ['go1.25rc1', 'v1.6.0'],
    ['go1.24.9', 'v1.1.4'],
    ['go1.23.12', 'v1.1.4'],
    ['go1.21.0', 'v1.1.3'],
    ['devel go1.27-abcdef', 'v1.6.0'],
  ])('latest with %s is %s, and says so', (goversion, version) => {
    expect(newestBuildable(goversion, table)).toBe(version);
    expect(resolveGovulncheck({ latest: true }, goversion, table)).toEqual({
      resolved: { version, pin: table[version as keyof typeof table] },
      note: `govulncheck-version: latest is ${version}, the newest pinned release ${goversion} can build.`,
    });
  });

  it('latest fails when no pinned release builds with the Go, naming the oldest', () => {
    expect(resolveGovulncheck({ latest: true }, 'go1.20.14', table)).toEqual({
      problem:
        "govulncheck-version: latest: no pinned release builds with this job's Go, go1.20.14; the oldest, v1.1.3, needs Go 1.21 or newer. Install a newer Go before this step.",
    });
  });

  it('keeps an explicit version the Go can build, and refuses one it cannot', () => {
    const wanted = { version: 'v1.6.0', pin: table['v1.6.0'] };
    expect(resolveGovulncheck(wanted, 'go1.26.0', table)).toEqual({ resolved: wanted });
    expect(resolveGovulncheck(wanted, 'go1.23.12', table)).toEqual({
      problem: goTooOld('v1.6.0', table['v1.6.0'], 'go1.23.12', table),
    });
    expect(goTooOld('v1.6.0', table['v1.6.0'], 'go1.23.12', table)).toContain(
      'or use govulncheck-version: v1.1.4, the newest pinned release go1.23.12 can build',
    );
  });

  it('resolves latest with the shipped pins to v1.6.0 on Go 1.25 and newer, v1.1.4 before', () => {
    expect(newestBuildable('go1.26.11')).toBe('v1.6.0');
    expect(newestBuildable('go1.24.9')).toBe('v1.1.4');
  });
});

describe('buildDigest', () => {
  it('digests the go.mod and go.sum a build starts from', () => {
    expect(buildDigest('module a\n', 'x v1 h1:a=\n')).not.toBe(
      buildDigest('module a\n', 'x v1 h1:b=\n'),
    );
    expect(pinDigest(pin)).toBe(
      buildDigest(buildModuleFiles(pin).goMod, buildModuleFiles(pin).goSum),
    );
  });
});

describe('vulnSumLine', () => {
  it('finds the zip line of x/vuln itself', () => {
    expect(vulnSumLine('v1.1.4', pin)).toBe('golang.org/x/vuln v1.1.4 h1:vuln=');
  });
});
