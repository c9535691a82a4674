import type { Project } from '../gomod/discover.js';
import { runWatched } from './watch.js';

/**
 * True when every module the project needs is already in the module cache (checked by Go
 * itself, offline). With no go.sum found, the working directory's module is what is checked;
 * with no module at all, nothing can be vouched for, so the answer is no. With `boundMs`, each
 * check that runs longer throws instead: offline it can only be waiting on a lock another go
 * process holds.
 */
export async function cacheHoldsEverything(
  project: Project,
  goflags: string,
  baseEnv: NodeJS.ProcessEnv,
  boundMs?: number,
): Promise<boolean> {
  const env = { ...baseEnv, GOPROXY: 'off', GOFLAGS: goflags };
  const moduleDirs =
    project.moduleDirs.length > 0
      ? project.moduleDirs
      : project.rootModuleDir
        ? [project.rootModuleDir]
        : [];
  const dirs = [
    ...moduleDirs.map((d) => ({ cwd: d, env: { ...env, GOWORK: 'off' } })),
    ...(project.workspaceDir ? [{ cwd: project.workspaceDir, env }] : []),
  ];
  if (dirs.length === 0) return false;
  for (const d of dirs) {
    const res = await runWatched('go', ['mod', 'download'], {
      cwd: d.cwd,
      env: d.env,
      stallMs: boundMs ?? 60_000,
      deadlineMs: boundMs ?? 120_000,
    });
    if (res.killed && boundMs !== undefined) throw new Error(offlineCheckTimedOut(d.cwd, boundMs));
    if (res.code !== 0) return false;
  }
  return true;
}

function offlineCheckTimedOut(cwd: string, boundMs: number): string {
  return `go mod download (offline check that the module cache holds everything go.sum needs) did not finish within ${Math.round(boundMs / 1000)} s in ${cwd}: another go process is probably holding a lock in the module cache (GOMODCACHE). The snapshot is not saved.`;
}
