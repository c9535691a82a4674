// The benchmark's baseline: the cache of actions/setup-go v7, step for step, run as a job step
// with the same @actions/cache the action bundles, against the same cache service.
//
//   node setup-go-cache.mjs main   restore, as setup-go's main step does after installing Go
//   node setup-go-cache.mjs post   save, as its post step does
//
// As setup-go does: the paths are `go env GOMODCACHE` and `go env GOCACHE`, in one archive; the
// key is setup-go-<RUNNER_OS>-<arch>-<ImageOS>-go-<version>-<hash of the dependency files>; there
// are no restore keys; the post step saves only when the primary key missed (never again after a
// hit) and trims nothing. Input: INPUT_CACHE-DEPENDENCY-PATH, newline-separated globs (here go.mod
// and go.sum). Outputs: cache-hit, and restore-ms / save-ms, the time @actions/cache took.
import * as cache from '@actions/cache';
import * as core from '@actions/core';
import * as glob from '@actions/glob';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

// setup-go's State names.
const PRIMARY_KEY = 'CACHE_KEY';
const MATCHED_KEY = 'CACHE_RESULT';

// As setup-go's post step: an exception leaking out of an upload warns, never fails the job.
process.on('uncaughtException', (e) => core.info(`[warning]${e.message}`));

function go(...args) {
  return execFileSync('go', args, { encoding: 'utf8' }).trim();
}

function cachePaths() {
  return [go('env', 'GOMODCACHE'), go('env', 'GOCACHE')];
}

async function main() {
  // parseGoVersion: "go version go1.23.5 linux/amd64" -> "1.23.5".
  const versionSpec = go('version').split(' ')[2].slice('go'.length);
  const paths = cachePaths();
  const fileHash = await glob.hashFiles(core.getInput('cache-dependency-path'));
  if (!fileHash) {
    throw new Error('Some specified paths were not resolved, unable to cache dependencies.');
  }
  const linuxVersion = process.env.RUNNER_OS === 'Linux' ? `${process.env.ImageOS}-` : '';
  const primaryKey = `setup-go-${process.env.RUNNER_OS}-${process.arch}-${linuxVersion}go-${versionSpec}-${fileHash}`;
  core.saveState(PRIMARY_KEY, primaryKey);

  const start = performance.now();
  const cacheKey = await cache.restoreCache(paths, primaryKey);
  core.setOutput('restore-ms', Math.round(performance.now() - start));
  core.setOutput('cache-hit', Boolean(cacheKey));
  if (!cacheKey) {
    core.info('Cache is not found');
    return;
  }
  core.saveState(MATCHED_KEY, cacheKey);
  core.info(`Cache restored from key: ${cacheKey}`);
}

async function post() {
  const state = core.getState(MATCHED_KEY);
  const primaryKey = core.getState(PRIMARY_KEY);
  const paths = cachePaths();
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length === paths.length) {
    core.warning('There are no cache folders on the disk');
    return;
  }
  if (missing.length) {
    core.info(
      `[warning]Cache folder path is retrieved but doesn't exist on disk: ${missing.join(', ')}`,
    );
  }
  if (!primaryKey) {
    core.info('Primary key was not generated. Please check the log messages above.');
    return;
  }
  if (primaryKey === state) {
    core.info(`Cache hit occurred on the primary key ${primaryKey}, not saving cache.`);
    return;
  }
  const start = performance.now();
  const cacheId = await cache.saveCache(paths, primaryKey);
  core.setOutput('save-ms', Math.round(performance.now() - start));
  if (cacheId === -1) return;
  core.info(`Cache saved with the key: ${primaryKey}`);
}

const phase = process.argv[2];
try {
  if (phase === 'main') await main();
  else if (phase === 'post') await post();
  else core.setFailed(`usage: setup-go-cache.mjs main|post (got ${phase})`);
} catch (error) {
  // setup-go only warns when its restore or its save fails; the job goes on.
  core.warning(`${phase === 'main' ? 'Restore cache failed: ' : ''}${error.message}`);
}
// As setup-go's post step (actions/cache#1217): exit at once rather than wait on open handles.
process.exit(process.exitCode ?? 0);
