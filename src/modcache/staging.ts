import fs from 'node:fs/promises';
import path from 'node:path';
import { listFiles } from './trim.js';

/**
 * Where an extraction lands when the workspace it runs in is `stageWorkspace`. @actions/cache
 * stores paths relative to the workspace and extracts them with `tar -P -C <workspace>`, so
 * giving it a copy of the workspace's absolute path under a staging root moves everything it
 * writes under that root. Undefined when the directory is not reachable relative to the
 * workspace (another drive on Windows): the archive holds it by absolute path.
 */
export function stagedLocation(
  stageRoot: string,
  workspace: string,
  dir: string,
): string | undefined {
  if (path.isAbsolute(path.relative(workspace, dir))) return undefined;
  return path.join(stageRoot, withoutRoot(path.resolve(workspace, dir)));
}

/** The workspace to hand @actions/cache so that its extraction lands under `stageRoot`. */
export function stageWorkspace(stageRoot: string, workspace: string): string {
  return path.join(stageRoot, withoutRoot(path.resolve(workspace)));
}

function withoutRoot(p: string): string {
  return p.slice(path.parse(p).root.length);
}

/**
 * Moves every staged file into place. A file already there is kept: it was in the cache
 * before the restore, and the restore only adds.
 */
export async function adoptStaged(staged: string, target: string): Promise<number> {
  let moved = 0;
  for (const rel of await listFiles(staged)) {
    const from = path.join(staged, rel);
    const to = path.join(target, rel);
    try {
      await fs.access(to);
      continue;
    } catch {
      // Not there yet: move it in.
    }
    await fs.mkdir(path.dirname(to), { recursive: true });
    try {
      await fs.rename(from, to);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      // RUNNER_TEMP and the module cache may sit on different file systems.
      await fs.copyFile(from, `${to}.staged`);
      await fs.rename(`${to}.staged`, to);
    }
    moved++;
  }
  return moved;
}
