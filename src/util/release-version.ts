/** A release version as `major.minor.patch`, compared numerically. */
export type Triple = [number, number, number];

const RELEASE = /^v?(\d+)\.(\d+)\.(\d+)$/;

/** `v2.4.0` or `2.4.0` → `2.4.0`; undefined for anything else (ranges, `latest`, pre-releases). */
export function normaliseRelease(raw: string): string | undefined {
  const m = RELEASE.exec(raw.trim());
  return m ? `${Number(m[1])}.${Number(m[2])}.${Number(m[3])}` : undefined;
}

export function parseTriple(version: string): Triple | undefined {
  const m = RELEASE.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** Orders `1.2.3`-style versions; unparsable ones sort first. */
export function compareReleases(a: string, b: string): number {
  const x = parseTriple(a) ?? [-1, 0, 0];
  const y = parseTriple(b) ?? [-1, 0, 0];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/**
 * The release of a Go toolchain as `major.minor.patch`, from `go1.23.5`, `go1.22`,
 * `go1.25rc1` or `go1.24.0 X:nocoverageredesign`; undefined for devel builds.
 */
export function goRelease(goversion: string): string | undefined {
  const m = /^go(\d+)\.(\d+)(?:\.(\d+))?/.exec(goversion.trim());
  if (!m) return undefined;
  return `${m[1]}.${m[2]}.${m[3] ?? '0'}`;
}
