import table from './known-checksums.json' with { type: 'json' };
import { compareReleases } from './release-version.js';

/** sha256 of each release archive, by version (`2.4.0`) then platform (`linux-amd64`). */
export type ChecksumTable = Record<string, Record<string, string>>;

/** The published checksums this action ships with; `npm run update-checksums` adds to it. */
export const KNOWN_CHECKSUMS: ChecksumTable = table;

export function knownChecksum(
  version: string,
  platform: string,
  known: ChecksumTable = KNOWN_CHECKSUMS,
): string | undefined {
  return known[version]?.[platform];
}

/** Versions with a known checksum for the platform, newest first. */
export function knownVersions(platform: string, known: ChecksumTable = KNOWN_CHECKSUMS): string[] {
  return Object.keys(known)
    .filter((v) => known[v][platform] !== undefined)
    .sort((a, b) => compareReleases(b, a));
}
