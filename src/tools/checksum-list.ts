import { entrySha256, type ChecksumTable } from './known-checksums.js';

/**
 * Reads a release's `golangci-lint-<ver>-checksums.txt` (`<sha256>  <file name>` per line) into
 * `{ "<os>-<arch>": sha256 }` for the release archives only. The whole file name must match:
 * `.deb`, `.rpm` and `….tar.gz.sbom.json` lines share prefixes with the archives and must never
 * be taken for them.
 */
export function parseChecksumList(text: string, version: string): Record<string, string> {
  const escaped = version.replace(/\./g, '\\.');
  const line = new RegExp(
    `^([0-9a-fA-F]{64}) [ *]?golangci-lint-${escaped}-([a-z0-9]+)-([a-z0-9]+)\\.(tar\\.gz|zip)$`,
  );
  const found: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const m = line.exec(raw.trim().replace(/\s+/, ' '));
    if (!m) continue;
    const [, sha, os, arch, ext] = m;
    // Releases ship Windows as zip and everything else as tar.gz; the action downloads those.
    if ((os === 'windows') !== (ext === 'zip')) continue;
    found[`${os}-${arch}`] = sha.toLowerCase();
  }
  return found;
}

export interface MergeResult {
  table: ChecksumTable;
  added: string[];
  /** Platforms whose published checksum differs from the one already known. */
  conflicts: { platform: string; known: string; listed: string }[];
}

/**
 * Adds a release's checksums to the table. A published checksum never changes, so a differing
 * value is reported as a conflict and the known value is kept, as it is written: one list
 * cannot tell whether it is independent of the one a single-source value came from.
 */
export function mergeChecksums(
  table: ChecksumTable,
  version: string,
  listed: Record<string, string>,
): MergeResult {
  const current = { ...(table[version] ?? {}) };
  const added: string[] = [];
  const conflicts: MergeResult['conflicts'] = [];
  for (const [platform, sha] of Object.entries(listed)) {
    const entry = current[platform];
    if (entry === undefined) {
      current[platform] = sha;
      added.push(platform);
    } else if (entrySha256(entry) !== sha) {
      conflicts.push({ platform, known: entrySha256(entry), listed: sha });
    }
  }
  const sortedEntries = Object.fromEntries(
    Object.keys(current)
      .sort()
      .map((p) => [p, current[p]]),
  );
  return { table: { ...table, [version]: sortedEntries }, added: added.sort(), conflicts };
}
