import path from 'node:path';
import { validatePatterns } from '../gomod/patterns.js';
import type { Mirror } from '../proxy/mirror.js';
import { splitList } from '../util/list.js';
import { findUrlSecrets } from '../util/mask.js';
import { InputError } from './input-error.js';
import { secretBearingInputs, type InputName, type RawInputs } from './inputs.js';
import { parseMirrorList } from './parse-mirror-list.js';
import { parseOfflineBundle } from './parse-offline-bundle.js';
import { parseGolangciLint, parseGovulncheck, parseToolMirrors } from './parse-tool-inputs.js';
import {
  readProjectGoMod,
  readTextFile,
  statPathKind,
  type PathKind,
  type ProjectGoMod,
} from './read-files.js';
import type { ParsedInputs } from './types.js';

const MAX_PROBE_TIMEOUT_SECONDS = 300;
/** Below this no mirror can answer a probe; smaller values are typos. */
const MIN_PROBE_TIMEOUT_SECONDS = 0.1;
/** Leaves room in the 512-character key for the OS, arch and hash. */
const MAX_PREFIX = 200;

/**
 * Validates the raw inputs and builds what they say. Collects every problem before throwing,
 * so one failed run shows the user all of them.
 */
export function parseInputs(
  raw: RawInputs,
  workspace: string,
  pathKind: (p: string) => PathKind = statPathKind,
  readText: (p: string) => string | undefined = readTextFile,
): ParsedInputs {
  const problems: string[] = [];
  const { mirrors, direct } = parseMirrors(raw, problems);
  const goprivate = splitList(raw.private).join(',');
  const patternProblem = validatePatterns(goprivate);
  if (patternProblem) problems.push(`private: ${patternProblem}`);
  const sumdb = parseSumdb(raw.sumdb, problems);
  const probeTimeoutMs = parseSeconds('probe-timeout', raw['probe-timeout'], problems);
  const prefetch = parseBoolean('prefetch', raw.prefetch, problems);
  const workingDirectory = path.resolve(workspace, raw['working-directory'].trim() || '.');
  const isDirectory = checkWorkingDirectory(raw, workingDirectory, pathKind, problems);
  const cacheDependencyPath = splitList(raw['cache-dependency-path']);
  if (cacheDependencyPath.length === 0) {
    problems.push('cache-dependency-path: at least one glob is required (default: **/go.sum)');
  }
  const caches = parseCaches(raw, problems);
  const toolMirrors = parseToolMirrors(raw['tool-mirrors'], problems);
  // Read only when a tool's version comes from it. A working-directory that is no directory is
  // reported above; there is no go.mod to read then.
  let read: { goMod: ProjectGoMod | undefined } | undefined;
  const goMod = () =>
    (read ??= {
      goMod: isDirectory ? readProjectGoMod(workingDirectory, workspace, readText) : undefined,
    }).goMod;
  const golangciLint = parseGolangciLint(raw, problems, goMod);
  const govulncheck = parseGovulncheck(raw['govulncheck-version'], problems, goMod);
  const offlineBundle = parseOfflineBundle(raw, workspace, pathKind, problems);
  if (problems.length > 0) throw new InputError(problems);
  return {
    mirrors,
    direct,
    goprivate,
    sumdb,
    probeTimeoutMs,
    prefetch,
    workingDirectory,
    cacheDependencyPath,
    ...caches,
    golangciLint,
    govulncheck,
    toolMirrors,
    ...(offlineBundle && { offlineBundle }),
    // What was written, and what is exported: the serialiser may have re-encoded it.
    secrets: findUrlSecrets(
      [
        secretBearingInputs(raw),
        ...[...mirrors, ...toolMirrors].map((m) => m.url),
        offlineBundle && 'url' in offlineBundle.location ? offlineBundle.location.url.url : '',
      ].join('\n'),
    ),
  };
}

/** `private-mirrors` then `mirrors`: private ones first, each listed once. */
function parseMirrors(raw: RawInputs, problems: string[]): { mirrors: Mirror[]; direct: boolean } {
  const privateList = parseMirrorList('private-mirrors', raw['private-mirrors'], true, problems);
  const publicList = parseMirrorList('mirrors', raw.mirrors, false, problems);
  if (privateList.direct) {
    problems.push(
      'private-mirrors: "direct" is not allowed here; list it at the end of `mirrors` instead',
    );
  }
  if (publicList.mirrors.length === 0 && !publicList.direct && problems.length === 0) {
    problems.push('mirrors: at least one mirror or "direct" is required');
  }
  const mirrors = [...privateList.mirrors, ...publicList.mirrors];
  const seen = new Set<string>();
  for (const m of mirrors) {
    // Compare what is requested: scheme and host are case-insensitive, credentials irrelevant.
    const input = m.private ? 'private-mirrors' : 'mirrors';
    if (seen.has(m.requestUrl)) problems.push(`${input}: "${m.display}" is listed more than once`);
    seen.add(m.requestUrl);
  }
  return { mirrors, direct: publicList.direct };
}

function parseSumdb(raw: string, problems: string[]): string {
  const sumdb = raw.trim() || 'auto';
  // GOSUMDB is `name`, `name+key` or `name+key URL`.
  if (/[,\n]/.test(sumdb) || sumdb.split(' ').length > 2) {
    problems.push(
      `sumdb: "${sumdb}" is not a valid GOSUMDB value; use auto, a database name, name+key, or "name+key URL"`,
    );
  }
  return sumdb;
}

/** Whether the working directory is one, recording the problem when it is not. */
function checkWorkingDirectory(
  raw: RawInputs,
  workingDirectory: string,
  pathKind: (p: string) => PathKind,
  problems: string[],
): boolean {
  const kind = pathKind(workingDirectory);
  if (kind === 'directory') return true;
  problems.push(
    `working-directory: "${raw['working-directory']}" ${kind === 'missing' ? 'does not exist' : 'is a file, not a directory'} (resolved to ${workingDirectory}); give the directory that holds go.mod, relative to the workspace`,
  );
  return false;
}

type Caches = Pick<
  ParsedInputs,
  'cache' | 'saveCache' | 'cacheKeyPrefix' | 'buildCache' | 'buildCacheKeySuffix'
>;

function parseCaches(raw: RawInputs, problems: string[]): Caches {
  const cache = parseBoolean('cache', raw.cache, problems);
  const saveCache = parseBoolean('save-cache', raw['save-cache'], problems);
  const cacheKeyPrefix = raw['cache-key-prefix'].trim();
  if (!cacheKeyPrefix) {
    problems.push('cache-key-prefix: must not be empty (default: go-mod)');
  } else if (!/^[A-Za-z0-9._-]+$/.test(cacheKeyPrefix) || cacheKeyPrefix.length > MAX_PREFIX) {
    problems.push(
      `cache-key-prefix: "${cacheKeyPrefix}" may hold only letters, digits, ".", "_" and "-", at most ${MAX_PREFIX} characters (cache keys cannot contain commas)`,
    );
  }
  const buildCache = parseBoolean('build-cache', raw['build-cache'], problems);
  return {
    cache,
    cacheKeyPrefix,
    saveCache,
    // `cache: false` means the action touches no cache service at all.
    buildCache: cache && buildCache,
    buildCacheKeySuffix: raw['build-cache-key-suffix'].trim(),
  };
}

function parseSeconds(input: InputName, raw: string, problems: string[]): number {
  const value = raw.trim();
  const seconds = Number(value);
  if (value === '' || !Number.isFinite(seconds)) {
    problems.push(`${input}: "${raw}" is not a number of seconds (e.g. 5)`);
    return 0;
  }
  if (seconds < MIN_PROBE_TIMEOUT_SECONDS || seconds > MAX_PROBE_TIMEOUT_SECONDS) {
    problems.push(
      `${input}: "${raw}" is out of range; use at least ${MIN_PROBE_TIMEOUT_SECONDS} and at most ${MAX_PROBE_TIMEOUT_SECONDS} seconds`,
    );
    return 0;
  }
  return Math.round(seconds * 1000);
}

/** The YAML 1.2 core-schema booleans, as @actions/core accepts them. */
export function parseBoolean(input: string, raw: string, problems: string[]): boolean {
  const value = raw.trim();
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  problems.push(`${input}: "${raw}" is not a boolean; use true or false`);
  return false;
}
