// The files the inputs name: what kind of path each is, and the project's go.mod when a tool's
// version is read from it.
import fs from 'node:fs';
import path from 'node:path';

export type PathKind = 'directory' | 'file' | 'missing';

/** The project's go.mod: its name as the user reads it, and its text (undefined: no such file). */
export interface ProjectGoMod {
  /** The module directory. */
  dir: string;
  file: string;
  text: string | undefined;
  /** Why a go.mod that exists could not be read. */
  unreadable?: string;
}

export function readProjectGoMod(
  workingDirectory: string,
  workspace: string,
  readText: (p: string) => string | undefined,
): ProjectGoMod {
  const goMod = path.join(workingDirectory, 'go.mod');
  const relative = path.relative(path.resolve(workspace), goMod);
  const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  const file = inside ? relative : goMod;
  try {
    return { dir: workingDirectory, file, text: readText(goMod) };
  } catch (err) {
    return {
      dir: workingDirectory,
      file,
      text: undefined,
      unreadable: err instanceof Error ? err.message : String(err),
    };
  }
}

/** A file's text, or undefined when there is no such file. */
export function readTextFile(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function statPathKind(p: string): PathKind {
  try {
    return fs.statSync(p).isDirectory() ? 'directory' : 'file';
  } catch {
    return 'missing';
  }
}
