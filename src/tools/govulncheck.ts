import fs from 'node:fs';
import path from 'node:path';
import * as tc from '@actions/tool-cache';
import type { GovulncheckConfig } from '../config/types.js';
import { runWatched, type WatchResult } from '../go/watch.js';
import {
  buildDigest,
  buildModuleFiles,
  GOVULNCHECK_PACKAGE,
  goversionSlug,
  VULN_MODULE,
  vulnSumLine,
} from './govulncheck-pins.js';
import { toolPlatform } from './platform.js';
import type { ToolReport } from './tool-report.js';
import { runnerTemp } from '../util/runner.js';

const TOOL = 'govulncheck';
/** A module download that prints nothing for this long is stuck (Go has no response timeout). */
const DOWNLOAD_STALL_MS = 60_000;
const STEP_DEADLINE_MS = 10 * 60_000;

export interface GovulncheckOptions {
  /** `go version` of the job's toolchain, e.g. `go1.23.5`: the binary is tied to it. */
  goversion: string;
  /** The environment Go runs in: the exported GOPROXY chain and the job's module cache. */
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  warn: (line: string) => void;
}

/**
 * Builds govulncheck from its pinned go.mod and go.sum (or, for `go.mod`, in the project's own
 * module), or reuses a binary this runner built earlier from the same files with the same Go
 * (the tool cache). Go checks every downloaded module against go.sum, so a mirror serving
 * anything else fails the build and nothing is installed. A binary is never taken from the
 * actions cache: anyone who can write the repository's cache entries could put any program
 * there, and nothing but a rebuild could tell. Returns the directory to add to PATH with the
 * report.
 */
export async function installGovulncheck(
  want: GovulncheckConfig,
  opts: GovulncheckOptions,
): Promise<{ dir: string; report: ToolReport }> {
  const exe = `${TOOL}${toolPlatform().exeSuffix}`;
  const from = buildSource(want);
  // The binary embeds its Go's standard library, so each Go version gets its own entry; a
  // project's own build also depends on its go.sum.
  const arch = `${process.arch}-${goversionSlug(opts.goversion)}${from.project ? `-gomod-${from.digest}` : ''}`;
  const report = (dir: string, source: string, cached: ToolReport['cached']) => ({
    dir,
    report: {
      tool: TOOL,
      version: want.version,
      ...(from.versionFrom && { versionFrom: from.versionFrom }),
      integrity: `${from.integrity}, built with ${opts.goversion}`,
      source,
      cached,
      path: path.join(dir, exe),
    },
  });

  if ('fromGoMod' in want) opts.log(`${want.version}, as ${want.fromGoMod.line}`);
  const cachedDir = tc.find(TOOL, want.version, arch);
  if (cachedDir && fs.existsSync(path.join(cachedDir, exe))) {
    opts.log(`${TOOL} ${want.version} found in the tool cache (${cachedDir})`);
    return report(cachedDir, 'tool cache', 'tool cache');
  }

  const built = await build(want, from, exe, opts);
  try {
    const dir = await tc.cacheFile(built.binary, exe, TOOL, want.version, arch);
    return report(dir, from.builtFrom, 'no');
  } finally {
    fs.rmSync(built.workDir, { recursive: true, force: true });
  }
}

/** What a build starts from, and how the log and summary describe it. */
interface BuildSource {
  /** The project's module directory; unset for a pin, built in a throwaway module. */
  project?: string;
  /** The go.mod the version was read from, for the summary. */
  versionFrom?: string;
  /** The pin's go.mod and go.sum, written into the throwaway module. */
  files?: { goMod: string; goSum: string };
  digest: string;
  integrity: string;
  builtFrom: string;
  /** What a `missing go.sum entry` means for the user. */
  missingSum: string;
}

function buildSource(want: GovulncheckConfig): BuildSource {
  const builtFrom = `built from ${GOVULNCHECK_PACKAGE}@${want.version} via GOPROXY`;
  if ('pin' in want) {
    const files = buildModuleFiles(want.pin);
    const sumLine = vulnSumLine(want.version, want.pin);
    return {
      files,
      digest: buildDigest(files.goMod, files.goSum),
      integrity: `go.sum pin${sumLine ? ` (${sumLine.split(' ').slice(1).join(' ')})` : ''}`,
      builtFrom,
      missingSum:
        " The action's pinned go.sum lacks a line this build needs, so it refused to trust the download; please report it.",
    };
  }
  const { dir, file, replacedBy } = want.fromGoMod;
  const goMod = readIfExists(path.join(dir, 'go.mod')) ?? '';
  const goSum = readIfExists(path.join(dir, 'go.sum')) ?? '';
  const sumFile = path.join(path.dirname(file), 'go.sum');
  const built = replacedBy?.replace('@', ' ') ?? `${VULN_MODULE} ${want.version}`;
  const vulnLine = goSum.split('\n').find((l) => l.startsWith(`${built} h1:`));
  return {
    project: dir,
    versionFrom: file,
    digest: buildDigest(goMod, goSum),
    integrity: `${sumFile}${vulnLine ? ` (${vulnLine})` : ''}${replacedBy ? `, replaced by ${replacedBy}` : ''}`,
    builtFrom: `${builtFrom}, in the module of ${file}`,
    missingSum: ` ${sumFile} lacks lines this build needs; add them with \`go get -tool ${GOVULNCHECK_PACKAGE}@${want.version}\` (Go 1.24+) or \`go get ${GOVULNCHECK_PACKAGE}@${want.version}\`, then commit go.mod and go.sum.`,
  };
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Downloads (watched, since a mirror may hang) and then compiles, in a throwaway module for a
 * pin or in the project's own module.
 */
async function build(
  want: GovulncheckConfig,
  from: BuildSource,
  exe: string,
  opts: GovulncheckOptions,
): Promise<{ binary: string; workDir: string }> {
  const workDir = fs.mkdtempSync(path.join(runnerTemp(), `${TOOL}-build-`));
  try {
    if (from.files) {
      fs.writeFileSync(path.join(workDir, 'go.mod'), from.files.goMod);
      fs.writeFileSync(path.join(workDir, 'go.sum'), from.files.goSum);
    }
    const cwd = from.project ?? workDir;
    const env: NodeJS.ProcessEnv = {
      ...opts.env,
      // go.mod alone decides versions (never a go.work around the project); never switch
      // toolchains behind our back.
      GOWORK: 'off',
      GOTOOLCHAIN: 'local',
    };
    // Loading the package graph fetches exactly the modules the build needs, each checked
    // against go.sum; -x prints every fetch, which the watchdog counts as progress. The explicit
    // -mod beats any -mod in the user's GOFLAGS (and a vendor directory): go.mod and go.sum stay
    // as they are.
    const download = await runWatched(
      'go',
      ['list', '-mod=readonly', '-x', '-deps', GOVULNCHECK_PACKAGE],
      { cwd, env, stallMs: DOWNLOAD_STALL_MS, deadlineMs: STEP_DEADLINE_MS },
    );
    if (download.code !== 0) throw failure('downloading its modules', want, from, download);
    const binary = path.join(workDir, 'bin', exe);
    opts.log(`building ${GOVULNCHECK_PACKAGE}@${want.version} with -mod=readonly in ${cwd}`);
    const compile = await runWatched(
      'go',
      ['build', '-mod=readonly', '-trimpath', '-o', binary, GOVULNCHECK_PACKAGE],
      { cwd, env, stallMs: STEP_DEADLINE_MS, deadlineMs: STEP_DEADLINE_MS },
    );
    if (compile.code !== 0 || !fs.existsSync(binary)) {
      throw failure('building it', want, from, compile);
    }
    return { binary, workDir };
  } catch (err) {
    fs.rmSync(workDir, { recursive: true, force: true });
    throw err;
  }
}

function failure(stage: string, want: GovulncheckConfig, from: BuildSource, r: WatchResult): Error {
  const output = r.stderr
    .split('\n')
    .filter((l) => l && !l.startsWith('# get ') && !/^(mkdir|cd|cat|cp|rm|mv) /.test(l))
    .slice(-20)
    .join('\n');
  const why =
    r.killed === 'stall'
      ? `it made no progress for ${DOWNLOAD_STALL_MS / 1000}s and was stopped`
      : r.killed === 'deadline'
        ? `it ran past its ${STEP_DEADLINE_MS / 1000}s deadline and was stopped`
        : `go exited with ${r.code ?? r.signal}`;
  return new Error(
    `govulncheck ${want.version}: failed while ${stage} (${why}); nothing was installed.${diagnose(r.stderr, from)}\n${output}`,
  );
}

/** What Go's complaint means for the user, when it is about the sums. */
function diagnose(stderr: string, from: BuildSource): string {
  if (/checksum mismatch|SECURITY ERROR/.test(stderr)) {
    return ` A module did not match the ${from.project ? "project's" : 'pinned'} go.sum: a mirror in GOPROXY serves different content than the release.`;
  }
  if (/missing go\.sum entry/.test(stderr)) return from.missingSum;
  return '';
}
