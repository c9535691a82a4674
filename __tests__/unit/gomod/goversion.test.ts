import { describe, it, expect } from '@jest/globals';
import { compareSemver } from '../../../src/gomod/goversion.js';
import { runGoPairOracle } from './go-oracle.js';

// In ascending order; versions on one row have equal precedence.
const ordered: string[][] = [
  ['bogus', 'v1.2.3.4', 'v01.2.3', 'v1.2-pre', 'v1.2.3-01', '1.2.3', ''],
  ['v0.0.0-20190101000000-aaaaaaaaaaaa'],
  ['v0.0.0-20240101000000-abcdef123456'],
  ['v0.0.0'],
  ['v0.1.0-0.20240101000000-abcdef123456'],
  ['v0.1.0'],
  // Identifiers compare in ASCII order, so uppercase sorts first.
  ['v1.0.0-RC1'],
  ['v1.0.0-alpha'],
  ['v1.0.0-alpha.1'],
  ['v1.0.0-alpha.beta'],
  ['v1.0.0-beta'],
  ['v1.0.0-beta.2'],
  ['v1.0.0-beta.11'],
  ['v1.0.0-rc.1'],
  ['v1.0.0-rc1'],
  ['v1', 'v1.0', 'v1.0.0', 'v1.0.0+build.5'],
  ['v1.2.3'],
  ['v1.10.0'],
  ['v2.0.0-pre', 'v2.0.0-pre+incompatible'],
  ['v2.0.0+incompatible', 'v2.0.0'],
  ['v10.0.0'],
  ['v99999999999999999999.0.0'],
];

const cases: [string, string, number][] = ordered.flatMap((row, i) =>
  ordered.flatMap((other, j) =>
    row.flatMap((a) => other.map((b): [string, string, number] => [a, b, Math.sign(i - j)])),
  ),
);

describe('compareSemver', () => {
  it.each([
    ['v1.2.3', 'v1.2.4', -1],
    ['v1.10.0', 'v1.9.0', 1],
    ['v1.0.0-rc.1', 'v1.0.0', -1],
    ['v2.0.0+incompatible', 'v2.0.0', 0],
    ['v0.0.0-20240101000000-abcdef123456', 'v0.0.0-20231231235959-ffffffffffff', 1],
    ['not-a-version', 'v0.0.0', -1],
  ])('compareSemver(%j, %j) = %d', (a, b, expected) => {
    expect(compareSemver(a as string, b as string)).toBe(expected);
  });

  it('orders every pair of a ladder of versions', () => {
    for (const [a, b, expected] of cases) {
      expect([a, b, compareSemver(a, b)]).toEqual([a, b, expected]);
    }
  });

  it('sorts as a comparator', () => {
    const sorted = ['v1.10.0', 'v1.2.0', 'v1.2.0-rc.1', 'v0.9.0', 'v1.2.0-beta'].sort(
      compareSemver,
    );
    expect(sorted).toEqual(['v0.9.0', 'v1.2.0-beta', 'v1.2.0-rc.1', 'v1.2.0', 'v1.10.0']);
  });

  it('agrees with golang.org/x/mod/semver.Compare from the Go toolchain', () => {
    const pairs = cases.map(([a, b]): [string, string] => [a, b]);
    expect(pairs.map(([a, b]) => compareSemver(a, b))).toEqual(
      runGoPairOracle<number>('semver', 'Compare', pairs),
    );
  }, 120_000);
});
