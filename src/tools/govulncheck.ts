import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tc from '@actions/tool-cache';
import type { GovulncheckConfig } from '../config.js';
import { runWatched, type WatchResult } from '../go/watch.js';
import { homeRelative } from '../cache-service/paths.js';
import { restoreCacheEntry, saveCacheEntry } from '../cache-service/service.js';
import {
  binaryCacheKey,
  buildModuleFiles,
  GOVULNCHECK_PACKAGE,
  goversionSlug,
  vulnSumLine,
} from './govulncheck-pins.js';
import { toolPlatform } from './platform.js';
import type { ToolReport } from './tool-report.js';
import { runnerPlatform, runnerTemp } from '../util/runner.js';

const TOOL = 'govulncheck';
/** A module download that prints nothing for this long is stuck (Go has no response timeout). */
const DOWNLOAD_STALL_MS = 60_000;
const STEP_DEADLINE_MS = 10 * 60_000;

export interface GovulncheckOptions {
  /** `go version` of the job's toolchain, e.g. `go1.23.5`: the binary is tied to it. */
  goversion: string;
  /** The environment Go runs in: the exported GOPROXY chain and the job's module cache. */
  env: NodeJS.ProcessEnv;
  /** Restore and save the built binary through @actions/cache. */
  actionsCache: { restore: boolean; save: boolean };
  log: (line: string) => void;
  warn: (line: string) => void;
}

/**
 * Builds govulncheck from its pinned go.mod and go.sum, or reuses a binary built earlier from
 * the same pin with the same Go (tool cache first, then @actions/cache). Go checks every
 * downloaded module against the pinned sums, so a mirror serving anything else fails the build
 * and nothing is installed. Returns the directory to add to PATH with the report.
 */
export async function installGovulncheck(
  want: GovulncheckConfig,
  opts: GovulncheckOptions,
): Promise<{ dir: string; report: ToolReport }> {
  const exe = `${TOOL}${toolPlatform().exeSuffix}`;
  // The binary embeds its Go's standard library, so each Go version gets its own entry.
  const arch = `${process.arch}-${goversionSlug(opts.goversion)}`;
  const runner = runnerPlatform();
  const key = binaryCacheKey(want.version, want.pin, opts.goversion, runner.os, runner.arch);
  const sumLine = vulnSumLine(want.version, want.pin);
  const report = (dir: string, source: string, cached: ToolReport['cached']) => ({
    dir,
    report: {
      tool: TOOL,
      version: want.version,
      integrity: `go.sum pin${sumLine ? ` (${sumLine.split(' ').slice(1).join(' ')})` : ''}, built with ${opts.goversion}`,
      source,
      cached,
      path: path.join(dir, exe),
    },
  });

  const cachedDir = tc.find(TOOL, want.version, arch);
  if (cachedDir && fs.existsSync(path.join(cachedDir, exe))) {
    opts.log(`${TOOL} ${want.version} found in the tool cache (${cachedDir})`);
    return report(cachedDir, 'tool cache', 'tool cache');
  }

  // A fixed place under HOME, so the entry's path (and so its version) is the same on every runner.
  const staging = path.join(os.homedir(), '.go-resilient-setup', `${TOOL}-${want.version}`);
  try {
    if (opts.actionsCache.restore) {
      fs.rmSync(staging, { recursive: true, force: true });
      const restored = await restoreCacheEntry([homeRelative(staging)], key, []);
      if (restored.skipped)
        opts.log(`${TOOL}: cache restore skipped: the cache service was ${restored.problem}`);
      else if (restored.problem) opts.warn(`${TOOL}: cache restore failed: ${restored.problem}`);
      if (restored.matchedKey && fs.existsSync(path.join(staging, exe))) {
        const dir = await tc.cacheFile(path.join(staging, exe), exe, TOOL, want.version, arch);
        opts.log(`${TOOL} ${want.version} restored from the actions cache (${key})`);
        return report(dir, `actions cache (${key})`, 'actions cache');
      }
    }

    const built = await build(want, exe, opts);
    try {
      const dir = await tc.cacheFile(built.binary, exe, TOOL, want.version, arch);
      if (opts.actionsCache.save) {
        fs.rmSync(staging, { recursive: true, force: true });
        fs.mkdirSync(staging, { recursive: true });
        fs.copyFileSync(built.binary, path.join(staging, exe));
        const saved = await saveCacheEntry([homeRelative(staging)], key);
        if (saved.saved) opts.log(`${TOOL}: saved to the actions cache as ${key}`);
        else if (saved.skipped)
          opts.log(`${TOOL}: not saved: the cache service was ${saved.problem}`);
        else opts.warn(`${TOOL}: not saved to the actions cache: ${saved.problem}`);
      }
      return report(dir, `built from ${GOVULNCHECK_PACKAGE}@${want.version} via GOPROXY`, 'no');
    } finally {
      fs.rmSync(built.workDir, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    removeIfEmpty(path.dirname(staging));
  }
}

function removeIfEmpty(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    // Not empty, or already gone: either way nothing of ours is left in it.
  }
}

/** Downloads (watched, since a mirror may hang) and then compiles in a throwaway module. */
async function build(
  want: GovulncheckConfig,
  exe: string,
  opts: GovulncheckOptions,
): Promise<{ binary: string; workDir: string }> {
  const workDir = fs.mkdtempSync(path.join(runnerTemp(), `${TOOL}-build-`));
  try {
    const { goMod, goSum } = buildModuleFiles(want.pin);
    fs.writeFileSync(path.join(workDir, 'go.mod'), goMod);
    fs.writeFileSync(path.join(workDir, 'go.sum'), goSum);
    const env: NodeJS.ProcessEnv = {
      ...opts.env,
      // The throwaway module alone decides versions; never switch toolchains behind our back.
      GOWORK: 'off',
      GOTOOLCHAIN: 'local',
    };
    // Loading the package graph fetches exactly the modules the build needs, each checked
    // against the pinned go.sum; -x prints every fetch, which the watchdog counts as progress.
    // The explicit -mod beats any -mod in the user's GOFLAGS: go.mod and go.sum stay as pinned.
    const download = await runWatched(
      'go',
      ['list', '-mod=readonly', '-x', '-deps', GOVULNCHECK_PACKAGE],
      {
        cwd: workDir,
        env,
        stallMs: DOWNLOAD_STALL_MS,
        deadlineMs: STEP_DEADLINE_MS,
      },
    );
    if (download.code !== 0) throw failure('downloading its modules', want, download);
    const binary = path.join(workDir, 'bin', exe);
    opts.log(`building ${GOVULNCHECK_PACKAGE}@${want.version} with -mod=readonly`);
    const compile = await runWatched(
      'go',
      ['build', '-mod=readonly', '-trimpath', '-o', binary, GOVULNCHECK_PACKAGE],
      { cwd: workDir, env, stallMs: STEP_DEADLINE_MS, deadlineMs: STEP_DEADLINE_MS },
    );
    if (compile.code !== 0 || !fs.existsSync(binary)) {
      throw failure('building it', want, compile);
    }
    return { binary, workDir };
  } catch (err) {
    fs.rmSync(workDir, { recursive: true, force: true });
    throw err;
  }
}

function failure(stage: string, want: GovulncheckConfig, r: WatchResult): Error {
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
    `govulncheck ${want.version}: failed while ${stage} (${why}); nothing was installed.${diagnose(r.stderr)}\n${output}`,
  );
}

/** What Go's complaint means for the user, when it is about the pinned sums. */
function diagnose(stderr: string): string {
  if (/checksum mismatch|SECURITY ERROR/.test(stderr)) {
    return ' A module did not match the pinned go.sum: a mirror in GOPROXY serves different content than the release.';
  }
  if (/missing go\.sum entry/.test(stderr)) {
    return " The action's pinned go.sum lacks a line this build needs, so it refused to trust the download; please report it.";
  }
  return '';
}
