import table from './known-checksums.json' with { type: 'json' };
import { compareReleases } from '../util/release-version.js';

/**
 * One archive's sha256. A plain string was found alike in two or more independent published
 * checksum lists. A value found in only one is written `{ "sha256": …, "sources": 1 }`, so
 * that an install verified against it can say so.
 */
export type ChecksumEntry = string | { sha256: string; sources: number };

/** sha256 of each release archive, by version (`2.4.0`) then platform (`linux-amd64`). */
export type ChecksumTable = Record<string, Record<string, ChecksumEntry>>;

/** A sha256 from the table, with how well it is vouched for. */
export interface KnownChecksum {
  sha256: string;
  /** Found in one published list only. */
  singleSource: boolean;
}

/** The published checksums this action ships with; `npm run update-checksums` adds to it. */
export const KNOWN_CHECKSUMS: ChecksumTable = table;

export function knownChecksum(
  version: string,
  platform: string,
  known: ChecksumTable = KNOWN_CHECKSUMS,
): KnownChecksum | undefined {
  const entry = known[version]?.[platform];
  if (entry === undefined) return undefined;
  return typeof entry === 'string'
    ? { sha256: entry, singleSource: false }
    : { sha256: entry.sha256, singleSource: entry.sources < 2 };
}

/** The sha256 of an entry, whichever way it is written. */
export function entrySha256(entry: ChecksumEntry): string {
  return typeof entry === 'string' ? entry : entry.sha256;
}

/** Versions with a known checksum for the platform, newest first. */
export function knownVersions(platform: string, known: ChecksumTable = KNOWN_CHECKSUMS): string[] {
  return Object.keys(known)
    .filter((v) => known[v][platform] !== undefined)
    .sort((a, b) => compareReleases(b, a));
}
