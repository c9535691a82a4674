// Ordering of Go module versions, following golang.org/x/mod/semver.Compare.

// Go accepts the shorthands v1 and v1.2 (as v1.0.0 and v1.2.0) but only a full vX.Y.Z may carry a
// prerelease or build suffix. Numbers must not have leading zeros, nor may numeric prerelease
// identifiers.
const NUMBER = '(0|[1-9]\\d*)';
const PRERELEASE_ID = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)';
const BUILD_ID = '[0-9A-Za-z-]+';
const SEMVER = new RegExp(
  `^v${NUMBER}(?:\\.${NUMBER}(?:\\.${NUMBER}` +
    `(?:-(${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*))?(?:\\+${BUILD_ID}(?:\\.${BUILD_ID})*)?)?)?$`,
);

interface Parsed {
  numbers: [string, string, string];
  prerelease: string[];
}

/**
 * Compares two Go module versions by semver precedence (build metadata such as `+incompatible`
 * is ignored), returning a negative number, zero or a positive number. As in Go, an invalid
 * version sorts before every valid one and two invalid versions compare equal.
 */
export function compareSemver(a: string, b: string): number {
  return Math.sign(comparePrecedence(a, b));
}

function comparePrecedence(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return (pa ? 1 : 0) - (pb ? 1 : 0);
  for (let i = 0; i < 3; i++) {
    const c = compareNumeric(pa.numbers[i], pb.numbers[i]);
    if (c !== 0) return c;
  }
  return comparePrerelease(pa.prerelease, pb.prerelease);
}

function parse(version: string): Parsed | undefined {
  const m = SEMVER.exec(version);
  if (!m) return undefined;
  return {
    numbers: [m[1], m[2] ?? '0', m[3] ?? '0'],
    prerelease: m[4] === undefined ? [] : m[4].split('.'),
  };
}

// Digit strings may exceed Number's exact range (pseudo-version timestamps are 14 digits, and
// nothing stops larger ones), so compare them as text: without leading zeros, longer is larger.
function compareNumeric(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePrerelease(a: string[], b: string[]): number {
  // A release ranks above any of its prereleases.
  if (a.length === 0 || b.length === 0) return (a.length === 0 ? 1 : 0) - (b.length === 0 ? 1 : 0);
  for (let i = 0; i < a.length && i < b.length; i++) {
    const c = compareIdentifier(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function compareIdentifier(a: string, b: string): number {
  const aNumeric = /^\d+$/.test(a);
  const bNumeric = /^\d+$/.test(b);
  if (aNumeric && bNumeric) return compareNumeric(a, b);
  // Numeric identifiers rank below alphanumeric ones.
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
