import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitList, splitUrlList } from './util/list.js';
import { findUrlSecrets, maskUrl } from './util/mask.js';
import { parseSize } from './util/size.js';
import { credentialSpans, forGoproxy, percentDecode } from './util/userinfo.js';
import { validatePatterns } from './gomod/patterns.js';
import {
  expectedChecksum,
  UPSTREAM_RELEASES,
  type ChecksumFrom,
} from './tools/golangci-lint-release.js';
import { FROM_GO_MOD, golangciLintFromGoMod } from './tools/golangci-lint-gomod.js';
import {
  GOVULNCHECK_PINS,
  pinnedVersions,
  type GovulncheckBuild,
  type GovulncheckWanted,
} from './tools/govulncheck-pins.js';
import { govulncheckFromGoMod } from './tools/govulncheck-gomod.js';
import { toolPlatform } from './tools/platform.js';
import { normaliseRelease } from './tools/release-version.js';

/** One GOPROXY mirror, as the user listed it. */
export interface Mirror {
  /** What Go gets in GOPROXY: normalised, credentials included. */
  url: string;
  /** Credentials masked: the only form logs, the summary and outputs may show. */
  display: string;
  /** The URL without credentials, for the action's own requests. */
  requestUrl: string;
  /** `Basic …` header built from the URL's credentials (Node's fetch refuses userinfo URLs). */
  authorization?: string;
  /** Listed in `private-mirrors`: serves private modules, joined with `,`. */
  private: boolean;
  /**
   * The offline bundle's module tree, and where the user put it. Its place in the chain is
   * theirs to choose, never the probe times': a local directory always answers fastest.
   */
  bundle?: 'first' | 'last';
}

/** Every input, validated and typed, made once in main. */
export interface Config {
  /** Private mirrors first, then public ones, each group in the user's order. */
  mirrors: Mirror[];
  /** `direct` ended the `mirrors` list. */
  direct: boolean;
  /** GOPRIVATE to export: the `private` input's patterns and the job's own GOPRIVATE. */
  goprivate: string;
  /**
   * Paths no public mirror is ever asked for: GOPRIVATE, GONOPROXY and GONOSUMDB as the job
   * set them, with the `private` input. Comma-joined; empty when none.
   */
  noPublic: string;
  /** Where the mirrors came from: the input, or the job's GOPROXY when the input was left at its default. */
  mirrorsFrom: 'mirrors' | 'GOPROXY';
  /** `auto`, or a GOSUMDB value to export as is. */
  sumdb: string;
  probeTimeoutMs: number;
  prefetch: boolean;
  /** Absolute path of the Go project. */
  workingDirectory: string;
  /** Globs, relative to the working directory, of the go.sum files that matter. */
  cacheDependencyPath: string[];
  /** Restore and save the module-cache snapshot. */
  cache: boolean;
  /** First part of the snapshot key. */
  cacheKeyPrefix: string;
  /** Save the snapshot in the post step (false = restore only). */
  saveCache: boolean;
  /** Restore and save GOCACHE (and golangci-lint's cache) as its own entry. Off with `cache`. */
  buildCache: boolean;
  /** Keeps build-cache entries of matrix legs apart; cache-key-safe (hashed when it is not). */
  buildCacheKeySuffix: string;
  /** golangci-lint to install, when `golangci-lint-version` is set. */
  golangciLint?: GolangciLintConfig;
  /** govulncheck to build, when `govulncheck-version` is set; `latest` until the job's Go is known. */
  govulncheck?: GovulncheckWanted;
  /** Base URLs for release archives, tried in order. */
  toolMirrors: Mirror[];
  /** A bundle made by `go-resilient-setup bundle`, when `offline-bundle` is set. */
  offlineBundle?: OfflineBundleConfig;
  /** Values to register with the runner as secrets before anything is logged. */
  secrets: string[];
}

export interface OfflineBundleConfig {
  /** A file on the runner (absolute), or a URL to download it from (http(s) or file). */
  location: { file: string } | { url: Mirror };
  /** The input as written, credentials masked: the only form logs and the summary show. */
  display: string;
  /** Its mirror leads the chain (air-gapped) or follows every other mirror (last resort). */
  position: 'first' | 'last';
  /** The most bytes it may have, downloaded or local, and the most it may unpack to. */
  maxBytes: number;
}

export interface GolangciLintConfig {
  /** `2.4.0`: no leading v, as in the archive names. */
  version: string;
  /** With `golangci-lint-version: go.mod`: the go.mod and line it was read from. */
  versionFrom?: { file: string; line: string };
  /** The sha256 the archive must have. */
  sha256: string;
  /** Who vouched for the sha256. */
  sha256From: ChecksumFrom;
}

export type GovulncheckConfig = GovulncheckBuild;

/** The config once job setup knows the installed Go: `govulncheck-version: latest` is a release. */
export type JobConfig = Config & { govulncheck?: GovulncheckConfig };

/** The raw strings the runner hands over, keyed by input name. */
export type RawInputs = Record<InputName, string>;

export const INPUT_NAMES = [
  'mirrors',
  'private-mirrors',
  'private',
  'sumdb',
  'probe-timeout',
  'prefetch',
  'working-directory',
  'cache-dependency-path',
  'cache',
  'cache-key-prefix',
  'save-cache',
  'build-cache',
  'build-cache-key-suffix',
  'golangci-lint-version',
  'golangci-lint-checksum',
  'govulncheck-version',
  'tool-mirrors',
  'offline-bundle',
  'offline-bundle-position',
  'offline-bundle-max-size',
] as const;
export type InputName = (typeof INPUT_NAMES)[number];

/** Thrown with every problem found in the inputs, one per line. */
export class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? `Invalid input: ${problems[0]}`
        : `Invalid inputs:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'InputError';
  }
}

const MAX_PROBE_TIMEOUT_SECONDS = 300;
/** Below this no mirror can answer a probe; smaller values are typos. */
const MIN_PROBE_TIMEOUT_SECONDS = 0.1;
/** Leaves room in the 512-character key for the OS, arch and hash. */
const MAX_PREFIX = 200;

/**
 * Validates the raw inputs and builds the config. Collects every problem
 * before throwing, so one failed run shows the user all of them.
 */
export function parseConfig(
  raw: RawInputs,
  workspace: string,
  pathKind: (p: string) => PathKind = statPathKind,
  readText: (p: string) => string | undefined = readTextFile,
): Config {
  const problems: string[] = [];

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
  const seen = new Set<string>();
  for (const m of [...privateList.mirrors, ...publicList.mirrors]) {
    // Compare what is requested: scheme and host are case-insensitive, credentials irrelevant.
    const input = m.private ? 'private-mirrors' : 'mirrors';
    if (seen.has(m.requestUrl)) problems.push(`${input}: "${m.display}" is listed more than once`);
    seen.add(m.requestUrl);
  }

  const goprivate = splitList(raw.private).join(',');
  const patternProblem = validatePatterns(goprivate);
  if (patternProblem) problems.push(`private: ${patternProblem}`);

  const sumdb = raw.sumdb.trim() || 'auto';
  // GOSUMDB is `name`, `name+key` or `name+key URL`.
  if (/[,\n]/.test(sumdb) || sumdb.split(' ').length > 2) {
    problems.push(
      `sumdb: "${sumdb}" is not a valid GOSUMDB value; use auto, a database name, name+key, or "name+key URL"`,
    );
  }

  const probeTimeoutMs = parseSeconds('probe-timeout', raw['probe-timeout'], problems);
  const prefetch = parseBoolean('prefetch', raw.prefetch, problems);

  const workingDirectory = path.resolve(workspace, raw['working-directory'].trim() || '.');
  const kind = pathKind(workingDirectory);
  if (kind !== 'directory') {
    problems.push(
      `working-directory: "${raw['working-directory']}" ${kind === 'missing' ? 'does not exist' : 'is a file, not a directory'} (resolved to ${workingDirectory}); give the directory that holds go.mod, relative to the workspace`,
    );
  }
  const cacheDependencyPath = splitList(raw['cache-dependency-path']);
  if (cacheDependencyPath.length === 0) {
    problems.push('cache-dependency-path: at least one glob is required (default: **/go.sum)');
  }

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
  const buildCacheKeySuffix = raw['build-cache-key-suffix'].trim();

  const toolMirrors = parseToolMirrors(raw['tool-mirrors'], problems);
  // Read only when a tool's version comes from it. A working-directory that is no directory is
  // reported above; there is no go.mod to read then.
  let read: { goMod: ProjectGoMod | undefined } | undefined;
  const goMod = () =>
    (read ??= {
      goMod: kind === 'directory' ? projectGoMod(workingDirectory, workspace, readText) : undefined,
    }).goMod;
  const golangciLint = parseGolangciLint(raw, problems, goMod);
  const govulncheck = parseGovulncheck(raw['govulncheck-version'], problems, goMod);
  const offlineBundle = parseOfflineBundle(raw, workspace, pathKind, problems);

  if (problems.length > 0) throw new InputError(problems);
  const mirrors = [...privateList.mirrors, ...publicList.mirrors];
  return {
    mirrors,
    direct: publicList.direct,
    goprivate,
    noPublic: goprivate,
    mirrorsFrom: 'mirrors',
    sumdb,
    probeTimeoutMs,
    prefetch,
    workingDirectory,
    cacheDependencyPath,
    cache,
    cacheKeyPrefix,
    saveCache,
    // `cache: false` means the action touches no cache service at all.
    buildCache: cache && buildCache,
    buildCacheKeySuffix,
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

/** The inputs whose URLs may carry credentials. */
export function secretBearingInputs(raw: RawInputs): string {
  return [raw.mirrors, raw['private-mirrors'], raw['tool-mirrors'], raw['offline-bundle']].join(
    '\n',
  );
}

function parseOfflineBundle(
  raw: RawInputs,
  workspace: string,
  pathKind: (p: string) => PathKind,
  problems: string[],
): OfflineBundleConfig | undefined {
  const rawPosition = raw['offline-bundle-position'].trim().toLowerCase() || 'last';
  let position: OfflineBundleConfig['position'] = 'last';
  if (rawPosition === 'first' || rawPosition === 'last') position = rawPosition;
  else {
    problems.push(
      `offline-bundle-position: "${raw['offline-bundle-position'].trim()}" must be first (air-gapped: the bundle leads the chain) or last (a last-resort fallback)`,
    );
  }
  const size = parseSize('offline-bundle-max-size', raw['offline-bundle-max-size']);
  if ('problem' in size) problems.push(size.problem);
  const entry = raw['offline-bundle'].trim();
  if (!entry) return undefined;
  const display = maskUrl(entry);
  const rest = { display, position, maxBytes: 'bytes' in size ? size.bytes : 0 };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) {
    if (!/^(https?|file):/i.test(entry)) {
      problems.push(
        `offline-bundle: "${display}" uses an unsupported scheme; give a path, or an https://, http:// or file:// URL`,
      );
      return undefined;
    }
    if (/^file:/i.test(entry)) {
      let file: string;
      try {
        file = fileURLToPath(entry);
      } catch {
        problems.push(
          `offline-bundle: "${display}" is not a file URL with an absolute path, e.g. file:///srv/bundles/go.tar.zst`,
        );
        return undefined;
      }
      return checkedFile(file, rest, pathKind, problems);
    }
    const url = parseMirrorUrl(
      'offline-bundle',
      entry,
      false,
      problems,
      'https://artifacts.corp.example/go-bundle.tar.zst',
    );
    return url && { location: { url }, ...rest };
  }
  return checkedFile(path.resolve(workspace, entry), rest, pathKind, problems);
}

function checkedFile(
  file: string,
  rest: Omit<OfflineBundleConfig, 'location'>,
  pathKind: (p: string) => PathKind,
  problems: string[],
): OfflineBundleConfig | undefined {
  const kind = pathKind(file);
  if (kind !== 'file') {
    problems.push(
      `offline-bundle: "${rest.display}" ${kind === 'missing' ? 'does not exist' : 'is a directory, not a bundle file'} (${file}); give the path of a .tar.zst or .tar.gz made by go-resilient-setup bundle, relative to the workspace or absolute`,
    );
    return undefined;
  }
  return { location: { file }, ...rest };
}

function parseToolMirrors(raw: string, problems: string[]): Mirror[] {
  const mirrors: Mirror[] = [];
  for (const entry of splitUrlList(raw)) {
    const mirror = parseMirrorUrl('tool-mirrors', entry, false, problems, UPSTREAM_RELEASES);
    if (mirror) mirrors.push(mirror);
  }
  if (mirrors.length === 0 && splitUrlList(raw).length === 0) {
    problems.push(
      `tool-mirrors: at least one base URL is required (default: ${UPSTREAM_RELEASES})`,
    );
  }
  return mirrors;
}

/** The project's go.mod: its name as the user reads it, and its text (undefined: no such file). */
interface ProjectGoMod {
  /** The module directory. */
  dir: string;
  file: string;
  text: string | undefined;
  /** Why a go.mod that exists could not be read. */
  unreadable?: string;
}

function projectGoMod(
  workingDirectory: string,
  workspace: string,
  readText: (p: string) => string | undefined,
): ProjectGoMod {
  const goMod = path.join(workingDirectory, 'go.mod');
  const relative = path.relative(path.resolve(workspace), goMod);
  const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  const file = inside ? relative : goMod;
  try {
    return { dir: workingDirectory, file, text: readText(goMod) };
  } catch (err) {
    return {
      dir: workingDirectory,
      file,
      text: undefined,
      unreadable: err instanceof Error ? err.message : String(err),
    };
  }
}

function parseGolangciLint(
  raw: RawInputs,
  problems: string[],
  goMod: () => ProjectGoMod | undefined,
): GolangciLintConfig | undefined {
  const rawVersion = raw['golangci-lint-version'].trim();
  const rawChecksum = raw['golangci-lint-checksum'].trim();
  let checksum: string | undefined;
  if (rawChecksum) {
    const hex = rawChecksum.replace(/^sha256:/i, '');
    if (/^[0-9a-fA-F]{64}$/.test(hex)) checksum = hex.toLowerCase();
    else {
      problems.push(
        `golangci-lint-checksum: "${rawChecksum}" is not a sha256; expected 64 hex digits, as in the release's checksums.txt`,
      );
    }
  }
  if (!rawVersion) {
    if (rawChecksum) {
      problems.push(
        'golangci-lint-checksum: set without golangci-lint-version; say which version it is the checksum of',
      );
    }
    return undefined;
  }
  let version: string | undefined;
  let versionFrom: GolangciLintConfig['versionFrom'];
  if (rawVersion === FROM_GO_MOD) {
    const project = goMod();
    if (!project) return undefined;
    if (project.unreadable) {
      problems.push(
        `golangci-lint-version: go.mod: cannot read ${project.file}: ${project.unreadable}`,
      );
      return undefined;
    }
    const pinned = golangciLintFromGoMod(project.text, project.file);
    if ('problem' in pinned) {
      problems.push(pinned.problem);
      return undefined;
    }
    version = pinned.version;
    versionFrom = { file: project.file, line: pinned.from };
  } else {
    version = normaliseRelease(rawVersion);
    if (!version) {
      problems.push(
        `golangci-lint-version: "${rawVersion}" is not a release version; pin one such as v2.4.0, or write go.mod to take the one the project's go.mod requires (ranges and "latest" cannot be verified)`,
      );
      return undefined;
    }
  }
  if (rawChecksum && !checksum) return undefined;
  const expected = expectedChecksum(
    version,
    toolPlatform(),
    checksum,
    undefined,
    versionFrom && `golangci-lint-version: go.mod: v${version} (${versionFrom.line})`,
  );
  if ('problem' in expected) {
    problems.push(expected.problem);
    return undefined;
  }
  return {
    version,
    ...(versionFrom && { versionFrom }),
    sha256: expected.sha256,
    sha256From: expected.from,
  };
}

function parseGovulncheck(
  raw: string,
  problems: string[],
  goMod: () => ProjectGoMod | undefined,
): GovulncheckWanted | undefined {
  const rawVersion = raw.trim();
  if (!rawVersion) return undefined;
  if (rawVersion === FROM_GO_MOD) {
    const project = goMod();
    if (!project) return undefined;
    if (project.unreadable) {
      problems.push(
        `govulncheck-version: go.mod: cannot read ${project.file}: ${project.unreadable}`,
      );
      return undefined;
    }
    const pinned = govulncheckFromGoMod(project.text, project.file);
    if ('problem' in pinned) {
      problems.push(pinned.problem);
      return undefined;
    }
    return {
      version: pinned.version,
      fromGoMod: {
        dir: project.dir,
        file: project.file,
        line: pinned.from,
        ...(pinned.replacedBy && { replacedBy: pinned.replacedBy }),
      },
    };
  }
  // Which release that is depends on the installed Go, so job setup resolves it.
  if (rawVersion.toLowerCase() === 'latest') return { latest: true };
  const release = normaliseRelease(rawVersion);
  const version = release && `v${release}`;
  const pin = version ? GOVULNCHECK_PINS[version] : undefined;
  if (!version || !pin) {
    problems.push(
      `govulncheck-version: "${rawVersion}" has no pinned go.mod and go.sum in this action, so it cannot be built verifiably; use one of ${pinnedVersions().join(', ')}, latest, or go.mod to build the version the project's go.mod requires`,
    );
    return undefined;
  }
  return { version, pin };
}

export interface ParsedList {
  mirrors: Mirror[];
  direct: boolean;
}

export function parseMirrorList(
  input: InputName | 'GOPROXY',
  raw: string,
  isPrivate: boolean,
  problems: string[],
): ParsedList {
  const entries = splitUrlList(raw);
  const mirrors: Mirror[] = [];
  let direct = false;
  entries.forEach((entry, i) => {
    const lower = entry.toLowerCase();
    if (lower === 'direct') {
      if (i !== entries.length - 1) {
        problems.push(
          `${input}: "direct" must be the last entry (Go ignores everything after it), but "${maskUrl(entries[i + 1])}" follows it`,
        );
      }
      direct = true;
      return;
    }
    if (lower === 'off') {
      problems.push(
        `${input}: "off" disables module downloads and cannot be part of a fallback chain; remove it`,
      );
      return;
    }
    const mirror = parseMirrorUrl(input, entry, isPrivate, problems);
    if (mirror) mirrors.push(mirror);
  });
  return { mirrors, direct };
}

function parseMirrorUrl(
  input: InputName | 'GOPROXY',
  entry: string,
  isPrivate: boolean,
  problems: string[],
  example = 'https://proxy.golang.org',
): Mirror | undefined {
  const fail = (problem: string): undefined => {
    problems.push(`${input}: "${maskUrl(entry)}" ${problem}`);
    return undefined;
  };
  const checked = writtenCredentialsProblem(entry) ?? checkedUrl(entry, example);
  if ('problem' in checked) return fail(checked.problem);
  const { url } = checked;
  const credentials = credentialsOf(url);
  if ('problem' in credentials) return fail(credentials.problem);
  // Scheme and host in lower case, as Go compares them; the path as written.
  const normalised = `${url.protocol}//${credentials.userinfo}${url.host}${url.pathname}`.replace(
    /\/+$/,
    '',
  );
  const bare = new URL(normalised);
  bare.username = '';
  bare.password = '';
  return {
    url: normalised,
    display: maskUrl(normalised),
    requestUrl: bare.toString().replace(/\/+$/, ''),
    authorization: credentials.authorization,
    private: isPrivate,
  };
}

/**
 * A URL parser ends the host at the first `/`, `\\`, `?` or `#`: credentials holding one would
 * be cut in two, their first part taken for the host. Only percent-encoded do they reach Go.
 */
function writtenCredentialsProblem(entry: string): { problem: string } | undefined {
  const [span] = credentialSpans(entry);
  if (!span || !/[/\\?#]/.test(span.userinfo)) return undefined;
  return {
    problem:
      'has "/", "\\", "?" or "#" before its last "@": in credentials, percent-encode them (%2F, %5C, %3F, %23); a mirror\'s path cannot hold "@"',
  };
}

/** The URL, or what is wrong with it, credentials aside. */
function checkedUrl(entry: string, example: string): { url: URL } | { problem: string } {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return { problem: `is not a valid URL; expected e.g. ${example}` };
  }
  const problem = placeProblem(url, entry);
  return problem ? { problem } : { url };
}

function placeProblem(url: URL, entry: string): string | undefined {
  if (!['https:', 'http:', 'file:'].includes(url.protocol)) {
    return `uses the unsupported scheme "${url.protocol}"; use https://, http:// or file://`;
  }
  if (url.protocol === 'file:') {
    // Go takes file://<absolute path>; anything else is a relative path or a typo.
    if (!/^file:\/\/(localhost)?\//i.test(entry)) {
      return 'is not a file URL Go accepts; write file:// followed by an absolute path, e.g. file:///srv/goproxy';
    }
  } else if (!url.hostname) {
    return 'has no host name';
  }
  if (url.search || url.hash || entry.includes('?') || entry.includes('#')) {
    return 'must not contain a query string or fragment, because paths are appended to it';
  }
  // Outside the credentials: there the serialiser encodes it.
  if (maskUrl(entry).includes('|')) {
    return 'contains "|"; list mirrors one per line or comma-separated';
  }
  if ((url.username || url.password) && url.protocol !== 'https:') {
    // Go refuses to send them ("refusing to pass credentials to insecure URL"), and the
    // probe must not send them in clear either.
    return `carries credentials over ${url.protocol.slice(0, -1)}, which would send them in clear; use https://`;
  }
  return undefined;
}

/**
 * The userinfo to export, as the serialiser writes it and with `,` encoded (Go splits GOPROXY
 * there), and the `Basic …` header built from it, decoded as Go decodes it.
 */
function credentialsOf(
  url: URL,
): { userinfo: string; authorization?: string } | { problem: string } {
  if (!url.username && !url.password) return { userinfo: '' };
  const user = percentDecode(url.username);
  const password = percentDecode(url.password);
  if (user === undefined || password === undefined) {
    return {
      problem:
        'has a "%" in its credentials that starts no percent-escape; write a literal "%" as %25',
    };
  }
  const userinfo = `${forGoproxy(url.username)}${url.password ? `:${forGoproxy(url.password)}` : ''}@`;
  return {
    userinfo,
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
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

export type PathKind = 'directory' | 'file' | 'missing';

/** A file's text, or undefined when there is no such file. */
function readTextFile(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function statPathKind(p: string): PathKind {
  try {
    return fs.statSync(p).isDirectory() ? 'directory' : 'file';
  } catch {
    return 'missing';
  }
}

/** The YAML 1.2 core-schema booleans, as @actions/core accepts them. */
export function parseBoolean(input: string, raw: string, problems: string[]): boolean {
  const value = raw.trim();
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  problems.push(`${input}: "${raw}" is not a boolean; use true or false`);
  return false;
}
