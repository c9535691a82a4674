import fs from 'node:fs';
import path from 'node:path';
import * as glob from '@actions/glob';
import { collectModuleVersions, parseGoSum, type ModuleVersion } from './gosum.js';

/** What the project's go.sum files say it needs, and where its modules live. */
export interface Project {
  /** Matching go.sum files, absolute, sorted. */
  goSumFiles: string[];
  /** Directories holding a go.mod next to a matching go.sum, sorted. */
  moduleDirs: string[];
  /** The directory of go.work, when the working directory has one. */
  workspaceDir?: string;
  /** Every module version named in those go.sum files (and go.work.sum). */
  modules: ModuleVersion[];
}

/** Finds the go.sum files that `cache-dependency-path` matches, relative to `workingDirectory`. */
export async function discoverProject(
  workingDirectory: string,
  patterns: readonly string[],
): Promise<Project> {
  const anchored = patterns.map((p) => {
    const negated = p.startsWith('!');
    const body = negated ? p.slice(1) : p;
    return (
      (negated ? '!' : '') + (path.isAbsolute(body) ? body : path.join(workingDirectory, body))
    );
  });
  const globber = await glob.create(anchored.join('\n'), {
    followSymbolicLinks: false,
    matchDirectories: false,
  });
  const goSumFiles = (await globber.glob()).filter((f) => fs.statSync(f).isFile()).sort();

  const sumTexts = goSumFiles.map((f) => ({ file: f, text: fs.readFileSync(f, 'utf8') }));
  const workspaceDir = fs.existsSync(path.join(workingDirectory, 'go.work'))
    ? workingDirectory
    : undefined;
  const workSum = path.join(workingDirectory, 'go.work.sum');
  if (workspaceDir && fs.existsSync(workSum)) {
    sumTexts.push({ file: workSum, text: fs.readFileSync(workSum, 'utf8') });
  }

  const modules = collectModuleVersions(sumTexts.flatMap((s) => parseGoSum(s.text, s.file)));
  const moduleDirs = [...new Set(goSumFiles.map((f) => path.dirname(f)))]
    .filter((d) => fs.existsSync(path.join(d, 'go.mod')))
    .sort();
  return { goSumFiles, moduleDirs, workspaceDir, modules };
}
