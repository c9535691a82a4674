import type { Log } from '../host/log.js';
import { discoverProject, type Project } from './discover.js';

/** Where the project is and which go.sum files belong to it. */
export interface ProjectPlace {
  workingDirectory: string;
  cacheDependencyPath: string[];
}

/** The project's go.sum files and modules; a glob that matches nothing is named in a warning. */
export async function findProject(config: ProjectPlace, log: Log): Promise<Project> {
  const project = await discoverProject(config.workingDirectory, config.cacheDependencyPath);
  log.info(
    `${project.goSumFiles.length} go.sum file(s), ${project.moduleDirs.length} module(s), ${project.modules.length} dependency version(s)`,
  );
  for (const pattern of project.unmatched) {
    // A typo here silently shrinks what is prefetched and keyed, whatever `cache` says.
    log.warning(
      `cache-dependency-path: "${pattern}" matches no go.sum under ${config.workingDirectory}; its modules are neither prefetched nor part of the snapshot key. Fix the glob (default: **/go.sum).`,
    );
  }
  if (project.rejectedSumLines.length > 0) {
    log.warning(
      `go.sum: ${project.rejectedSumLines.length} line(s) name no module version Go could download, and are ignored: ${project.rejectedSumLines.slice(0, 5).join('; ')}`,
    );
  }
  return project;
}
