import { knownChecksum, knownVersions, type ChecksumTable } from './known-checksums.js';
import type { ToolPlatform } from './platform.js';

/** Where golangci-lint publishes its release archives. */
export const UPSTREAM_RELEASES = 'https://github.com/golangci/golangci-lint/releases/download';

/** The archive's file name, e.g. `golangci-lint-2.4.0-linux-amd64.tar.gz`. */
export function archiveName(version: string, platform: ToolPlatform): string {
  return `golangci-lint-${version}-${platform.key}.${platform.archive}`;
}

/** The directory the archive unpacks into, holding the binary. */
export function archiveRoot(version: string, platform: ToolPlatform): string {
  return `golangci-lint-${version}-${platform.key}`;
}

/** The binary in that directory: `golangci-lint.exe` on Windows. */
export function binaryName(platform: ToolPlatform): string {
  return `golangci-lint${platform.exeSuffix}`;
}

/** `<base>/v<ver>/<archive>`, the layout of the release download URL and of its mirrors. */
export function archiveUrl(base: string, version: string, platform: ToolPlatform): string {
  return `${base.replace(/\/+$/, '')}/v${version}/${archiveName(version, platform)}`;
}

/** Which input or table vouched for a sha256, as the log and the summary say it. */
export type ChecksumFrom =
  | 'golangci-lint-checksum'
  | 'known checksums'
  | 'known checksums, found in one published list only';

export interface ExpectedChecksum {
  sha256: string;
  from: ChecksumFrom;
}

/**
 * The sha256 the archive must have: the user's `golangci-lint-checksum` when given (it always
 * wins), else the shipped table. Returns a problem to show instead when neither knows it;
 * `asked` says where the version came from.
 */
export function expectedChecksum(
  version: string,
  platform: ToolPlatform,
  userChecksum: string | undefined,
  table?: ChecksumTable,
  asked = `golangci-lint-version: "v${version}"`,
): ExpectedChecksum | { problem: string } {
  if (userChecksum) return { sha256: userChecksum, from: 'golangci-lint-checksum' };
  const known = knownChecksum(version, platform.key, table);
  if (known) {
    return {
      sha256: known.sha256,
      from: known.singleSource
        ? 'known checksums, found in one published list only'
        : 'known checksums',
    };
  }
  const versions = knownVersions(platform.key, table).map((v) => `v${v}`);
  return {
    problem:
      `${asked} has no known sha256 for ${platform.key}, so it cannot be verified and is not installed. ` +
      `Pass the archive's sha256 as golangci-lint-checksum: it is the line for ${archiveName(version, platform)} in ` +
      `golangci-lint-${version}-checksums.txt, published with the release (${UPSTREAM_RELEASES}/v${version}/golangci-lint-${version}-checksums.txt)` +
      (versions.length > 0
        ? `. Versions this action can verify on its own: ${versions.join(', ')}`
        : ''),
  };
}
