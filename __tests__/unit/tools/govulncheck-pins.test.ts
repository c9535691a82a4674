import { describe, expect, it } from '@jest/globals';
import {
  buildDigest,
  buildableGo,
  buildModuleFiles,
  GOVULNCHECK_PINS,
  goOutOfRange,
  goOutside,
  newestBuildable,
  pinDigest,
  pinnedVersions,
  vulnSumLine,
  type GovulncheckPin,
} from '../../../src/tools/govulncheck-pins.js';
import { resolveGovulncheck } from '../../../src/tools/resolve-govulncheck.js';

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
      expect(goOutOfRange(v, GOVULNCHECK_PINS[v], 'go1.24.9')).toContain('Go 1.25');
    }
    expect(goOutOfRange('v1.1.3', GOVULNCHECK_PINS['v1.1.3'], 'go1.21.0')).toBeUndefined();
    expect(goOutOfRange('v1.1.3', GOVULNCHECK_PINS['v1.1.3'], 'go1.20.14')).toContain('Go 1.21');
    expect(goOutOfRange('v1.1.4', GOVULNCHECK_PINS['v1.1.4'], 'go1.22.0')).toBeUndefined();
    expect(goOutOfRange('v1.1.4', GOVULNCHECK_PINS['v1.1.4'], 'go1.21.13')).toContain('Go 1.22');
  });

  it('record the newest Go only where one is known to fail: v1.1.3 up to Go 1.24', () => {
    const bounded = Object.entries(GOVULNCHECK_PINS).filter(([, p]) => p.goMax !== undefined);
    expect(bounded.map(([v, p]) => [v, p.goMax])).toEqual([['v1.1.3', '1.24']]);
    expect(GOVULNCHECK_PINS['v1.1.3'].goMaxSource).toContain('invalid array length -delta * delta');
    expect(goOutOfRange('v1.1.3', GOVULNCHECK_PINS['v1.1.3'], 'go1.24.13')).toBeUndefined();
    expect(goOutOfRange('v1.1.3', GOVULNCHECK_PINS['v1.1.3'], 'go1.25.0')).toBe(
      "govulncheck-version: v1.1.3 builds only with Go 1.21 to 1.24: newer Go releases cannot compile it, and this job's Go is go1.25.0. Use govulncheck-version: v1.6.0, the newest pinned release go1.25.0 can build (latest picks it), or install Go 1.24 before this step (e.g. actions/setup-go with go-version: '1.24').",
    );
    expect(goOutOfRange('v1.1.4', GOVULNCHECK_PINS['v1.1.4'], 'go1.26.11')).toBeUndefined();
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

describe('goOutOfRange', () => {
  it('explains what to do before anything is downloaded, naming the newest release that works', () => {
    expect(goOutOfRange('v1.1.4', pin, 'go1.21.5')).toBe(
      "govulncheck-version: v1.1.4 needs Go 1.22 or newer, but this job's Go is go1.21.5. Install a newer Go before this step (e.g. actions/setup-go with go-version: '1.22'), or use govulncheck-version: v1.1.3, the newest pinned release go1.21.5 can build (latest picks it).",
    );
    expect(goOutOfRange('v1.6.0', GOVULNCHECK_PINS['v1.6.0'], 'go1.23.12')).toBe(
      "govulncheck-version: v1.6.0 needs Go 1.25 or newer, but this job's Go is go1.23.12. Install a newer Go before this step (e.g. actions/setup-go with go-version: '1.25'), or use govulncheck-version: v1.1.4, the newest pinned release go1.23.12 can build (latest picks it).",
    );
    expect(goOutOfRange('v1.1.3', GOVULNCHECK_PINS['v1.1.3'], 'go1.20.14')).toContain(
      "go-version: '1.21'), no pinned release builds with it.",
    );
  });

  it('accepts newer, release-candidate and experiment builds, and does not guess about devel ones', () => {
    expect(goOutOfRange('v1.1.4', pin, 'go1.23.5')).toBeUndefined();
    expect(goOutOfRange('v1.1.4', pin, 'go1.22')).toBeUndefined();
    expect(
      goOutOfRange('v1.1.4', { ...pin, go: '1.25' }, 'go1.24.0 X:nocoverageredesign'),
    ).toContain('needs Go 1.25');
    expect(goOutOfRange('v1.1.4', pin, 'devel go1.26-abcdef')).toBeUndefined();
  });

  const bounded: GovulncheckPin = { ...pin, go: '1.21', goMax: '1.24' };

  it.each([
    ['go1.20.14', 'older'],
    ['go1.21.0', undefined],
    ['go1.24.13', undefined],
    ['go1.24rc2', undefined],
    ['go1.25rc1', 'newer'],
    ['go1.25.0', 'newer'],
    ['go1.26.11 X:nocoverageredesign', 'newer'],
    ['devel go1.27-abcdef', undefined],
  ])('places %s against a pin for Go 1.21 to 1.24: %s', (goversion, where) => {
    expect(goOutside(bounded, goversion)).toBe(where);
  });

  it('names both bounds when the Go is too old for a pin that has a newest Go', () => {
    expect(goOutOfRange('v1.1.3', bounded, 'go1.20.14', { 'v1.1.3': bounded })).toBe(
      "govulncheck-version: v1.1.3 needs Go 1.21 to 1.24, but this job's Go is go1.20.14. Install a newer Go before this step (e.g. actions/setup-go with go-version: '1.21'), no pinned release builds with it.",
    );
  });

  it('refuses a Go newer than the pin can build, naming both bounds and what works instead', () => {
    const table = { 'v1.1.3': bounded, 'v1.1.4': pin };
    expect(goOutOfRange('v1.1.3', bounded, 'go1.25.3', table)).toBe(
      "govulncheck-version: v1.1.3 builds only with Go 1.21 to 1.24: newer Go releases cannot compile it, and this job's Go is go1.25.3. Use govulncheck-version: v1.1.4, the newest pinned release go1.25.3 can build (latest picks it), or install Go 1.24 before this step (e.g. actions/setup-go with go-version: '1.24').",
    );
    expect(goOutOfRange('v1.1.3', bounded, 'go1.25.3', { 'v1.1.3': bounded })).toBe(
      "govulncheck-version: v1.1.3 builds only with Go 1.21 to 1.24: newer Go releases cannot compile it, and this job's Go is go1.25.3. No pinned release builds with it: install Go 1.24 before this step (e.g. actions/setup-go with go-version: '1.24').",
    );
  });
});

describe('buildableGo', () => {
  it('says which Go releases build a pin', () => {
    expect(buildableGo({ ...pin, go: '1.25.0' })).toBe('Go 1.25 or newer');
    expect(buildableGo({ ...pin, go: '1.21', goMax: '1.24' })).toBe('Go 1.21 to 1.24');
    expect(buildableGo({ ...pin, go: '1.24.0', goMax: '1.24' })).toBe('Go 1.24');
  });
});

const table3: GovulncheckPin = { ...pin, go: '1.25.0' };

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
      problem: goOutOfRange('v1.6.0', table['v1.6.0'], 'go1.23.12', table),
    });
    expect(goOutOfRange('v1.6.0', table['v1.6.0'], 'go1.23.12', table)).toContain(
      'or use govulncheck-version: v1.1.4, the newest pinned release go1.23.12 can build',
    );
  });

  it('latest picks the newest pin whose range includes the Go, skipping ones it is too new for', () => {
    const ranged = {
      'v1.1.3': { ...pin, go: '1.21' },
      'v1.1.4': { ...pin, goMax: '1.25' },
      'v1.6.0': { ...pin, go: '1.25.0', goMax: '1.25' },
    };
    expect(newestBuildable('go1.25.4', ranged)).toBe('v1.6.0');
    expect(newestBuildable('go1.24.9', ranged)).toBe('v1.1.4');
    expect(newestBuildable('go1.26.0', ranged)).toBe('v1.1.3');
    expect(newestBuildable('go1.20.1', ranged)).toBeUndefined();
  });

  it('latest fails when the Go is too new for every pin, naming what each builds with', () => {
    const ranged = {
      'v1.1.3': { ...pin, go: '1.21', goMax: '1.24' },
      'v1.1.4': { ...pin, goMax: '1.25' },
    };
    expect(resolveGovulncheck({ latest: true }, 'go1.26.0', ranged)).toEqual({
      problem:
        "govulncheck-version: latest: no pinned release builds with this job's Go, go1.26.0. The pinned releases build: v1.1.4 with Go 1.22 to 1.25; v1.1.3 with Go 1.21 to 1.24. Install a Go one of them builds with before this step.",
    });
  });

  it('refuses an explicit version the Go is too new for, before any download', () => {
    const table = { 'v1.1.3': { ...pin, go: '1.21', goMax: '1.24' }, 'v1.6.0': table3 };
    const wanted = { version: 'v1.1.3', pin: table['v1.1.3'] };
    expect(resolveGovulncheck(wanted, 'go1.24.1', table)).toEqual({ resolved: wanted });
    expect(resolveGovulncheck(wanted, 'go1.26.11', table)).toEqual({
      problem: goOutOfRange('v1.1.3', wanted.pin, 'go1.26.11', table),
    });
    expect(goOutOfRange('v1.1.3', wanted.pin, 'go1.26.11', table)).toContain(
      'Use govulncheck-version: v1.6.0, the newest pinned release go1.26.11 can build',
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
