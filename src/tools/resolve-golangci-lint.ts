// Which golangci-lint release to install and the sha256 its archive must have, from what the
// user wrote: the action's inputs and the command line's flags are judged by these same rules.
import { expectedChecksum, type ChecksumFrom } from './golangci-lint-release.js';
import { golangciLintFromGoMod } from './golangci-lint-gomod.js';
import { toolPlatform, type ToolPlatform } from './platform.js';
import { normaliseRelease } from '../util/release-version.js';

/** A golangci-lint release asked for, before its sha256 is known. */
export interface LintRelease {
  /** `2.4.0`: no leading v, as in the archive names. */
  version: string;
  /** With `golangci-lint-version: go.mod`: the go.mod and line it was read from. */
  versionFrom?: { file: string; line: string };
}

/** golangci-lint to install: a release, and the sha256 its archive must have. */
export interface ResolvedGolangciLint extends LintRelease {
  /** The sha256 the archive must have. */
  sha256: string;
  /** Who vouched for the sha256. */
  sha256From: ChecksumFrom;
}

/** `golangci-lint-checksum` as 64 lowercase hex digits; no sha256 when it is empty. */
export function lintChecksum(raw: string): { sha256?: string } | { problem: string } {
  const written = raw.trim();
  if (!written) return {};
  const hex = written.replace(/^sha256:/i, '');
  if (/^[0-9a-fA-F]{64}$/.test(hex)) return { sha256: hex.toLowerCase() };
  return {
    problem: `golangci-lint-checksum: "${written}" is not a sha256; expected 64 hex digits, as in the release's checksums.txt`,
  };
}

/**
 * A release written as `v2.4.0` or `2.4.0`. `goModToo` says whether `go.mod` may be written
 * instead, as the problem then suggests.
 */
export function lintRelease(raw: string, goModToo = true): LintRelease | { problem: string } {
  const written = raw.trim();
  const version = normaliseRelease(written);
  if (version) return { version };
  const orGoMod = goModToo ? ", or write go.mod to take the one the project's go.mod requires" : '';
  return {
    problem: `golangci-lint-version: "${written}" is not a release version; pin one such as v2.4.0${orGoMod} (ranges and "latest" cannot be verified)`,
  };
}

/** `golangci-lint-version: go.mod`: the release `goMod` pins (undefined: there is no such file). */
export function lintReleaseFromGoMod(
  goMod: string | undefined,
  file: string,
): LintRelease | { problem: string } {
  const pinned = golangciLintFromGoMod(goMod, file);
  if ('problem' in pinned) return pinned;
  return { version: pinned.version, versionFrom: { file, line: pinned.from } };
}

/**
 * The release with the sha256 its archive for `platform` must have: the user's `sha256` when
 * given, else the shipped table's. `asked` names the request in the problem when neither knows it.
 */
export function resolveGolangciLint(
  release: LintRelease,
  sha256: string | undefined,
  platform: ToolPlatform = toolPlatform(),
  asked: string | undefined = release.versionFrom &&
    `golangci-lint-version: go.mod: v${release.version} (${release.versionFrom.line})`,
): ResolvedGolangciLint | { problem: string } {
  const expected = expectedChecksum(release.version, platform, sha256, undefined, asked);
  if ('problem' in expected) return expected;
  return {
    version: release.version,
    ...(release.versionFrom && { versionFrom: release.versionFrom }),
    sha256: expected.sha256,
    sha256From: expected.from,
  };
}
