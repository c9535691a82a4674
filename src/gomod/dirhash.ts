// Go's "h1:" hashes (golang.org/x/mod/sumdb/dirhash.Hash1), the hashes recorded in go.sum.
import crypto, { createHash } from 'node:crypto';
import { readZip } from './zip.js';

/** One file for Hash1: its name and the hex SHA-256 of its content. */
export interface FileDigest {
  name: string;
  sha256: string;
}

/**
 * Computes the `h1:` hash of a module zip exactly as dirhash.HashZip does: over every entry the
 * zip lists (directory entries included), by name and uncompressed content.
 */
export function hashZip(buf: Buffer): string {
  return hash1(readZip(buf).map((entry) => ({ name: entry.name, sha256: sha256Hex(entry.data) })));
}

/** Computes the `h1:` hash go.sum records for a module's `/go.mod` line. */
export function hashGoMod(content: Buffer | string): string {
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return hash1([{ name: 'go.mod', sha256: sha256Hex(data) }]);
}

/** The hex SHA-256 of `data`. */
export const sha256Hex: (data: Buffer) => string =
  // crypto.hash (Node 20.12 and later) skips the Hash object, a few microseconds per small file.
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'hex')
    : (data) => createHash('sha256').update(data).digest('hex');

/**
 * Hash1 over a zip's entries, given in archive order, the way dirhash.HashZip sees them. Go looks
 * names up in a map, so a duplicated name is hashed twice with the last entry's content.
 */
export function hash1(files: readonly FileDigest[]): string {
  const digests = new Map(files.map((f) => [f.name, f.sha256]));
  return summarize(
    files.map((f) => f.name),
    (name) => digests.get(name) as string,
  );
}

// Hash1 is sha256 over lines of "<hex sha256 of file>  <name>\n", names in byte order, like
// `sha256sum $(find . -type f | sort) | sha256sum`.
function summarize(names: string[], digestOf: (name: string) => string): string {
  const lines: string[] = [];
  for (const name of sortByUtf8Bytes(names)) {
    // A newline in a name would let one file's line impersonate two.
    if (name.includes('\n')) throw new Error('dirhash: filenames with newlines are not supported');
    lines.push(`${digestOf(name)}  ${name}\n`);
  }
  // One update for the whole summary: a module has thousands of files, and each call has a cost.
  return 'h1:' + createHash('sha256').update(lines.join(''), 'utf8').digest('base64');
}

// Go's sort.Strings compares bytes; JavaScript's default sort compares UTF-16 code units, which
// orders characters from U+E000 up against those outside the BMP (surrogate pairs) differently.
// Names without either, nearly all of them, sort the same both ways, and faster the default way.
function sortByUtf8Bytes(names: string[]): string[] {
  if (!names.some((name) => SURROGATE_OR_HIGH_BMP.test(name))) return [...names].sort();
  return names
    .map((name) => ({ name, bytes: Buffer.from(name, 'utf8') }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
    .map(({ name }) => name);
}

const SURROGATE_OR_HIGH_BMP = /[\ud800-\uffff]/;
