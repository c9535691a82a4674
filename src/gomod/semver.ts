// Module version order, as golang.org/x/mod/semver.Compare and module.Sort define it.

interface Parsed {
  nums: [string, string, string];
  pre: string;
}

const SEMVER =
  /^v(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?)?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

function parse(v: string): Parsed | undefined {
  const m = SEMVER.exec(v);
  if (!m) return undefined;
  // Shorthands (v1, v1.2) take no prerelease or build suffix.
  if (m[3] === undefined && /[-+]/.test(v)) return undefined;
  // Numeric prerelease identifiers have no leading zeros.
  if (m[4]?.split('.').some((id) => /^0\d+$/.test(id))) return undefined;
  return { nums: [m[1], m[2] ?? '0', m[3] ?? '0'], pre: m[4] ? `-${m[4]}` : '' };
}

// Decimal strings without leading zeros compare by length, then text: no precision limit.
function compareInt(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const x = a.slice(1).split('.');
  const y = b.slice(1).split('.');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] === y[i]) continue;
    const xn = /^\d+$/.test(x[i]);
    const yn = /^\d+$/.test(y[i]);
    if (xn && yn) return compareInt(x[i], y[i]);
    if (xn !== yn) return xn ? -1 : 1;
    return x[i] < y[i] ? -1 : 1;
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

/**
 * Orders semantic versions like semver.Compare: invalid versions sort before valid ones and
 * equal to each other; build metadata is ignored.
 */
export function compareSemver(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return x ? 1 : y ? -1 : 0;
  for (let i = 0; i < 3; i++) {
    const c = compareInt(x.nums[i], y.nums[i]);
    if (c !== 0) return c;
  }
  return comparePre(x.pre, y.pre);
}

/**
 * The order go.sum lines are written in (module.Sort): by path, then by version, with a
 * `/go.mod` line after its version's zip line.
 */
export function compareModuleVersions(
  a: { path: string; version: string },
  b: { path: string; version: string },
): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  const [va, fa = ''] = splitFile(a.version);
  const [vb, fb = ''] = splitFile(b.version);
  if (va !== vb) return compareSemver(va, vb);
  return fa < fb ? -1 : fa > fb ? 1 : 0;
}

function splitFile(version: string): [string, string?] {
  const slash = version.indexOf('/');
  return slash < 0 ? [version] : [version.slice(0, slash), version.slice(slash)];
}
