import fs from 'node:fs';
import path from 'node:path';
import { compareReleases, goRelease } from '../util/release-version.js';
import { runWatched } from './watch.js';

/** A go.mod or go.work line that asks for a newer Go than the one installed. */
export interface ToolchainNeed {
  /** The file and its line as written, e.g. `app/go.mod: toolchain go1.25.3`. */
  where: string;
  /** The Go release that satisfies it, e.g. `1.25.3`. */
  release: string;
  /** The directory to run go in, so Go sees that file. */
  dir: string;
}

/** Which lines count: both when Go may switch toolchains, only `go` under GOTOOLCHAIN=local. */
export type RequirementLines = 'go and toolchain' | 'go';

/**
 * The Go release a go.mod or go.work asks for: the `toolchain` line when it
 * is newer than the `go` line, as Go decides.
 */
export function requiredRelease(
  text: string,
  lines: RequirementLines = 'go and toolchain',
): { release: string; line: string } | undefined {
  let best: { release: string; line: string } | undefined;
  for (const m of text.matchAll(/^[ \t]*(go|toolchain)[ \t]+(\S+)[ \t]*(?:\/\/.*)?$/gm)) {
    if (lines === 'go' && m[1] !== 'go') continue;
    const release = goRelease(m[1] === 'go' ? `go${m[2]}` : m[2]);
    if (!release) continue;
    if (!best || compareReleases(release, best.release) > 0) {
      best = { release, line: `${m[1]} ${m[2]}` };
    }
  }
  return best;
}

/** The newest requirement above the installed Go among the given module and workspace files. */
export function newerToolchainNeeded(
  files: readonly { file: string; text: string }[],
  installed: string,
  workspace: string,
  lines: RequirementLines = 'go and toolchain',
): ToolchainNeed | undefined {
  const have = goRelease(installed);
  if (!have) return undefined;
  let need: ToolchainNeed | undefined;
  for (const { file, text } of files) {
    const req = requiredRelease(text, lines);
    if (!req || compareReleases(req.release, have) <= 0) continue;
    if (!need || compareReleases(req.release, need.release) > 0) {
      need = {
        where: `${path.relative(workspace, file) || file}: ${req.line}`,
        release: req.release,
        dir: path.dirname(file),
      };
    }
  }
  return need;
}

/**
 * Why a job whose GOTOOLCHAIN keeps Go on the installed release cannot work: a `go` line above
 * it fails every go command (a `toolchain` line is only a preference then). Said before any
 * download, naming the line, the installed Go and what to do.
 */
export function installedGoTooOld(
  need: ToolchainNeed,
  installed: string,
  gotoolchain: string,
): string {
  return (
    `${need.where} needs Go ${need.release} or later, but the installed Go is ${installed} and GOTOOLCHAIN=${gotoolchain} keeps Go from fetching a newer one. ` +
    `Install Go ${need.release} or later before this step (for example actions/setup-go with go-version-file: go.mod), or set GOTOOLCHAIN=auto to let Go fetch it through the mirrors.`
  );
}

/** GOTOOLCHAIN values that let Go download a toolchain (`auto`, `go1.25.0`, `go1.25.0+auto`). */
export function allowsDownload(gotoolchain: string): boolean {
  return gotoolchain !== 'local' && gotoolchain !== 'path' && !gotoolchain.endsWith('+path');
}

/** go.mod files of the module directories, and go.work, as read now. */
export function readGoModFiles(
  dirs: readonly string[],
  workspaceDir?: string,
): { file: string; text: string }[] {
  const files = dirs.map((d) => path.join(d, 'go.mod'));
  if (workspaceDir) files.push(path.join(workspaceDir, 'go.work'));
  const out: { file: string; text: string }[] = [];
  for (const file of files) {
    try {
      out.push({ file, text: fs.readFileSync(file, 'utf8') });
    } catch {
      // A go.sum without a go.mod beside it, or no go.work: nothing asks for a version there.
    }
  }
  return out;
}

/** GOTOOLCHAIN=go1.25.0 (or go1.25.0+auto above go.mod's) names a toolchain outright. */
export function explicitToolchain(
  gotoolchain: string,
  installed: string,
  dir: string | undefined,
): ToolchainNeed | undefined {
  const name = gotoolchain.replace(/\+auto$/, '');
  if (name === 'auto' || name === installed) return undefined;
  const release = goRelease(name);
  if (!release) return undefined;
  if (!dir) return undefined;
  if (gotoolchain.endsWith('+auto')) {
    const have = goRelease(installed);
    if (have && compareReleases(release, have) <= 0) return undefined;
  }
  return { where: `GOTOOLCHAIN=${gotoolchain}`, release, dir };
}

export interface ToolchainFetch {
  /** `go version` of the toolchain Go switched to, e.g. `go1.25.3`. */
  goversion: string;
}

/**
 * Lets Go fetch the toolchain it will switch to, through the exported chain
 * and under the watchdog, instead of from proxy.golang.org behind the user's
 * back. Throws with Go's own words and what to do when it cannot.
 */
export async function fetchToolchain(
  need: ToolchainNeed,
  env: NodeJS.ProcessEnv,
  limits: { stallMs: number; deadlineMs: number },
  goproxyDisplay: string,
): Promise<ToolchainFetch> {
  const res = await runWatched('go', ['env', 'GOVERSION'], {
    cwd: need.dir,
    env,
    stallMs: limits.stallMs,
    deadlineMs: limits.deadlineMs,
  });
  const goversion = res.stdout.trim();
  if (res.code === 0 && !res.killed && goversion) return { goversion };
  const why = res.killed
    ? `it made no progress for ${Math.round(limits.stallMs / 1000)}s and was stopped`
    : lastLines(res.stderr, 3);
  throw new Error(
    [
      `${need.where} needs Go ${need.release}, newer than the installed Go, and fetching that toolchain through GOPROXY=${goproxyDisplay} failed:`,
      `  ${why}`,
      `Install Go ${need.release} or newer before this step (actions/setup-go with go-version-file: go.mod), or serve golang.org/toolchain from one of the mirrors.`,
    ].join('\n'),
  );
}

function lastLines(text: string, n: number): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.slice(-n).join('\n  ') || 'go exited without saying why';
}
