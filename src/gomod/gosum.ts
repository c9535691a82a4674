// Parsing of go.sum files into the module versions a build may need.
import { checkModulePath, checkModuleVersion } from './module-check.js';

/** One `module version hash` line of a go.sum file. */
export interface GoSumLine {
  module: string;
  /** Version without the `/go.mod` suffix. */
  version: string;
  /** 'zip' for the module's content hash, 'mod' for its `/go.mod` hash. */
  kind: 'zip' | 'mod';
  hash: string;
}

/** A unique module@version with whatever hashes the go.sum files recorded for it. */
export interface ModuleVersion {
  module: string;
  version: string;
  zipHash?: string;
  modHash?: string;
}

const GO_MOD_SUFFIX = '/go.mod';

// Older go commands wrote this hash for go.mod files they had not really fetched; cmd/go drops
// such lines when reading go.sum, so they must not be treated as a real hash either.
const EMPTY_GO_MOD_HASH = 'h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=';

// The separators of Go's strings.Fields (unicode.IsSpace); JavaScript's \s differs slightly
// (it includes U+FEFF and lacks U+0085), and a line must split exactly as cmd/go splits it.
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/**
 * Parses go.sum text the way cmd/go reads it. Blank lines are skipped; any other line must have
 * exactly three fields or an Error naming `fileName` and the 1-based line number is thrown.
 */
export function parseGoSum(text: string, fileName = 'go.sum'): GoSumLine[] {
  const lines: GoSumLine[] = [];
  text.split('\n').forEach((line, index) => {
    const fields = line.split(GO_SPACE).filter((f) => f !== '');
    if (fields.length === 0) return;
    if (fields.length !== 3) {
      throw new Error(
        `malformed go.sum: ${fileName}:${index + 1}: wrong number of fields ${fields.length}`,
      );
    }
    const [module, rawVersion, hash] = fields;
    if (hash === EMPTY_GO_MOD_HASH) return;
    const isMod = rawVersion.endsWith(GO_MOD_SUFFIX);
    lines.push({
      module,
      version: isMod ? rawVersion.slice(0, -GO_MOD_SUFFIX.length) : rawVersion,
      kind: isMod ? 'mod' : 'zip',
      hash,
    });
  });
  return lines;
}

/**
 * Splits go.sum lines into those that name a module version Go could download, and the rest,
 * each with why: a path or version outside Go's rules never becomes a file name in the module
 * cache. Go itself never writes such a line.
 */
export function checkGoSumLines(lines: GoSumLine[]): { valid: GoSumLine[]; rejected: string[] } {
  const valid: GoSumLine[] = [];
  const rejected: string[] = [];
  for (const line of lines) {
    const why = checkModulePath(line.module) ?? checkModuleVersion(line.version);
    if (why) {
      const shown = `${line.module} ${line.version}${line.kind === 'mod' ? '/go.mod' : ''}`;
      rejected.push(`${JSON.stringify(shown)}: ${why}`);
    } else valid.push(line);
  }
  return { valid, rejected };
}

/**
 * Merges go.sum lines (possibly from several files) into unique module@version entries sorted by
 * module, then version (plain string order). When files disagree about a hash the first one wins,
 * except that an `h1:` hash replaces a hash of another kind, since only `h1:` can be verified.
 * Conflicts are not reported: the go command verifies every download against its own go.sum.
 */
export function collectModuleVersions(lines: GoSumLine[]): ModuleVersion[] {
  const byKey = new Map<string, ModuleVersion>();
  for (const line of lines) {
    // A space cannot occur inside a go.sum field, so it separates the key parts unambiguously.
    const key = `${line.module} ${line.version}`;
    let entry = byKey.get(key);
    if (!entry) {
      entry = { module: line.module, version: line.version };
      byKey.set(key, entry);
    }
    const field = line.kind === 'zip' ? 'zipHash' : 'modHash';
    const current = entry[field];
    if (current === undefined || (!isH1(current) && isH1(line.hash))) {
      entry[field] = line.hash;
    }
  }
  return [...byKey.values()].sort(
    (a, b) => compareStrings(a.module, b.module) || compareStrings(a.version, b.version),
  );
}

function isH1(hash: string): boolean {
  return hash.startsWith('h1:');
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Module versions from go.sum lines the action itself vouches for (a tool's pinned sums), added
 * to the project's: where both name a version, the project's hashes win, and the other's fill
 * only what the project's lack. Lines outside Go's rules are left out.
 */
export function withVouchedSums(
  modules: readonly ModuleVersion[],
  vouched: readonly string[],
): ModuleVersion[] {
  if (vouched.length === 0) return [...modules];
  const extra = collectModuleVersions(checkGoSumLines(parseGoSum(vouched.join('\n'))).valid);
  const byKey = new Map(modules.map((m) => [`${m.module} ${m.version}`, { ...m }]));
  for (const m of extra) {
    const mine = byKey.get(`${m.module} ${m.version}`);
    if (!mine) byKey.set(`${m.module} ${m.version}`, m);
    else {
      mine.zipHash ??= m.zipHash;
      mine.modHash ??= m.modHash;
    }
  }
  return [...byKey.values()].sort(
    (a, b) => compareStrings(a.module, b.module) || compareStrings(a.version, b.version),
  );
}
