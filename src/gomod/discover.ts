import fs from 'node:fs';
import path from 'node:path';
import * as glob from '@actions/glob';
import { checkGoSumLines, collectModuleVersions, parseGoSum, type ModuleVersion } from './gosum.js';

/** What the project's go.sum files say it needs, and where its modules live. */
export interface Project {
  /** Matching go.sum files, absolute, sorted. */
  goSumFiles: string[];
  /** Directories holding a go.mod next to a matching go.sum, sorted. */
  moduleDirs: string[];
  /** The directory of go.work, when the working directory has one. */
  workspaceDir?: string;
  /** The working directory, when it holds a go.mod: the module a build there uses. */
  rootModuleDir?: string;
  /** Every module version named in those go.sum files (and go.work.sum). */
  modules: ModuleVersion[];
  /** Patterns of `cache-dependency-path` that matched no go.sum (typos, most often). */
  unmatched: string[];
  /** go.sum lines left out because their path or version breaks Go's rules, each with why. */
  rejectedSumLines: string[];
}

/**
 * Finds the go.sum files that `cache-dependency-path` matches, relative to `workingDirectory`.
 * Where a wildcard reaches, directories the go command ignores are skipped, so that fixture
 * modules under testdata/ (or vendored copies) never count as the project's.
 */
export async function discoverProject(
  workingDirectory: string,
  patterns: readonly string[],
): Promise<Project> {
  const anchor = (p: string): string => (path.isAbsolute(p) ? p : path.join(workingDirectory, p));
  const negations = patterns.filter((p) => p.startsWith('!')).map((p) => '!' + anchor(p.slice(1)));
  const found = new Set<string>();
  const unmatched: string[] = [];
  for (const pattern of patterns.filter((p) => !p.startsWith('!'))) {
    let matched = 0;
    const anchored = anchor(pattern);
    const globber = await glob.create([anchored, ...negations].join('\n'), {
      followSymbolicLinks: false,
      matchDirectories: false,
    });
    const literal = literalPrefix(anchored);
    for (const file of await globber.glob()) {
      if (ignoredByGo(literal, file) || !fs.statSync(file).isFile()) continue;
      found.add(file);
      matched++;
    }
    if (matched === 0) unmatched.push(pattern);
  }
  const goSumFiles = [...found].sort();

  const sumTexts = goSumFiles.map((f) => ({ file: f, text: fs.readFileSync(f, 'utf8') }));
  const workspaceDir = fs.existsSync(path.join(workingDirectory, 'go.work'))
    ? workingDirectory
    : undefined;
  const workSum = path.join(workingDirectory, 'go.work.sum');
  if (workspaceDir && fs.existsSync(workSum)) {
    sumTexts.push({ file: workSum, text: fs.readFileSync(workSum, 'utf8') });
  }

  const lines = checkGoSumLines(sumTexts.flatMap((s) => parseGoSum(s.text, s.file)));
  const modules = collectModuleVersions(lines.valid);
  const moduleDirs = [...new Set(goSumFiles.map((f) => path.dirname(f)))]
    .filter((d) => fs.existsSync(path.join(d, 'go.mod')))
    .sort();
  const rootModuleDir = fs.existsSync(path.join(workingDirectory, 'go.mod'))
    ? workingDirectory
    : undefined;
  return {
    goSumFiles,
    moduleDirs,
    workspaceDir,
    rootModuleDir,
    modules,
    unmatched,
    rejectedSumLines: lines.rejected,
  };
}

/** The leading path segments of a glob that hold no wildcard: what the user named outright. */
export function literalPrefix(pattern: string): string {
  const segments = pattern.split(/[\\/]/);
  const firstWild = segments.findIndex((s) => /[*?[]/.test(s));
  if (firstWild < 0) return path.dirname(pattern);
  return segments.slice(0, firstWild).join(path.sep) || path.sep;
}

/**
 * True when a directory between the literal part of the pattern and the file is one the
 * go command skips for `./...`: testdata, vendor, or a name starting with `.` or `_`.
 */
export function ignoredByGo(literal: string, file: string): boolean {
  const rel = path.relative(literal, path.dirname(file));
  if (rel === '' || rel.startsWith('..')) return false;
  return rel
    .split(path.sep)
    .some((d) => d === 'testdata' || d === 'vendor' || d.startsWith('.') || d.startsWith('_'));
}
