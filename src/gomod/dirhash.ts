// Go's "h1:" hashes (golang.org/x/mod/sumdb/dirhash.Hash1), the hashes recorded in go.sum.
import { createHash } from 'node:crypto';
import { readZip } from './zip.js';

/**
 * Computes the `h1:` hash of a module zip exactly as dirhash.HashZip does: over every entry the
 * zip lists (directory entries included), by name and uncompressed content.
 */
export function hashZip(buf: Buffer): string {
  const entries = readZip(buf);
  // Go looks names up in a map, so a duplicated name is hashed twice with the last entry's content.
  const contents = new Map(entries.map((entry) => [entry.name, entry.data]));
  return hash1(
    entries.map((entry) => entry.name),
    (name) => contents.get(name) as Buffer,
  );
}

/** Computes the `h1:` hash go.sum records for a module's `/go.mod` line. */
export function hashGoMod(content: Buffer | string): string {
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return hash1(['go.mod'], () => data);
}

// Hash1 is sha256 over lines of "<hex sha256 of file>  <name>\n", names in byte order, like
// `sha256sum $(find . -type f | sort) | sha256sum`.
function hash1(names: string[], open: (name: string) => Buffer): string {
  const summary = createHash('sha256');
  for (const name of sortByUtf8Bytes(names)) {
    // A newline in a name would let one file's line impersonate two.
    if (name.includes('\n')) throw new Error('dirhash: filenames with newlines are not supported');
    const fileHash = createHash('sha256').update(open(name)).digest('hex');
    summary.update(`${fileHash}  ${name}\n`, 'utf8');
  }
  return 'h1:' + summary.digest('base64');
}

// Go's sort.Strings compares bytes; JavaScript's default sort compares UTF-16 code units, which
// orders some non-ASCII characters differently.
function sortByUtf8Bytes(names: string[]): string[] {
  return names
    .map((name) => ({ name, bytes: Buffer.from(name, 'utf8') }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
    .map(({ name }) => name);
}
