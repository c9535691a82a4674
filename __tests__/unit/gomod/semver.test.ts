import { describe, expect, it } from '@jest/globals';
import { compareModuleVersions, compareSemver } from '../../../src/gomod/semver.js';
import { runGoPairOracle } from './go-oracle.js';

const versions = [
  'v0.0.0-20220921163831-55ab3332a786',
  'v0.1.1-deprecated',
  'v0.1.1',
  'v0.3.1',
  'v0.4.1-0.20220921163831-55ab3332a786',
  'v0.10.0',
  'v0.9.0',
  'v1',
  'v1.2',
  'v1.0.0',
  'v1.0.0-rc.1',
  'v1.0.0-rc.2',
  'v1.0.0-rc.10',
  'v1.0.0-alpha',
  'v1.0.0-alpha.beta',
  'v1.0.0-1',
  'v1.0.0+build.5',
  'v2.0.0+incompatible',
  'v1.0.0-01',
  'v1.2-pre',
  'v01.0.0',
  '1.0.0',
  'latest',
  '',
];

describe('compareSemver', () => {
  it('orders versions exactly as golang.org/x/mod/semver.Compare does', () => {
    const pairs = versions.flatMap((a) => versions.map((b): [string, string] => [a, b]));
    const sign = (n: number) => Math.sign(n) + 0;
    expect(pairs.map(([a, b]) => sign(compareSemver(a, b)))).toEqual(
      runGoPairOracle<number>('semver', 'Compare', pairs),
    );
  });

  it('compares numbers of any length without losing precision', () => {
    expect(compareSemver('v0.0.0-20260708182218', 'v0.0.0-20260708182219')).toBe(-1);
    expect(compareSemver('v1.99999999999999999999.0', 'v1.99999999999999999998.0')).toBe(1);
  });
});

describe('compareModuleVersions', () => {
  it('sorts go.sum lines as module.Sort does: path, version, then zip before go.mod', () => {
    const lines = [
      { path: 'golang.org/x/vuln', version: 'v1.6.0/go.mod' },
      { path: 'golang.org/x/tools/go/expect', version: 'v0.1.1-deprecated' },
      { path: 'golang.org/x/tools', version: 'v0.48.0/go.mod' },
      { path: 'golang.org/x/tools', version: 'v0.48.0' },
      { path: 'golang.org/x/tools', version: 'v0.9.0' },
      { path: 'golang.org/x/vuln', version: 'v1.6.0' },
    ];
    expect([...lines].sort(compareModuleVersions).map((l) => `${l.path} ${l.version}`)).toEqual([
      'golang.org/x/tools v0.9.0',
      'golang.org/x/tools v0.48.0',
      'golang.org/x/tools v0.48.0/go.mod',
      'golang.org/x/tools/go/expect v0.1.1-deprecated',
      'golang.org/x/vuln v1.6.0',
      'golang.org/x/vuln v1.6.0/go.mod',
    ]);
  });
});
