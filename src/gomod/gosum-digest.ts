import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface GoSumContent {
  /** Path relative to the working directory, with `/` separators. */
  path: string;
  content: Buffer | string;
}

/**
 * sha256 (hex) over every go.sum's path and contents in a stable order, so the same files
 * always give the same digest wherever a glob found them first.
 */
export function digestGoSums(goSums: readonly GoSumContent[]): string {
  const hash = createHash('sha256');
  for (const f of [...goSums].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    hash.update(`${f.path}\0`);
    hash.update(f.content);
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** go.sum files on disk, named relative to the working directory as on any runner. */
export function readGoSums(workingDirectory: string, files: readonly string[]): GoSumContent[] {
  return files.map((f) => ({
    path: path.relative(workingDirectory, f).split(path.sep).join('/'),
    content: fs.readFileSync(f),
  }));
}
