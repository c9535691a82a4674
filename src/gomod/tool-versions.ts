// Which version of a tool a project pins in its go.mod: through a Go 1.24 `tool` directive and
// the `require` line of the module that provides it, or through that `require` line alone.
import {
  ModFileSyntaxError,
  parseModRequirements,
  type GoModLine,
  type ModReplace,
  type ModRequire,
  type ModRequirements,
  type ModTool,
} from './modfile.js';

export type { GoModLine } from './modfile.js';

/** A tool the action installs, and the modules (one per major version) that provide it. */
export interface GoModTool {
  name: string;
  /** Newest major version first. */
  modules: readonly { module: string; command: string }[];
}

export const GOLANGCI_LINT_TOOL: GoModTool = {
  name: 'golangci-lint',
  modules: [
    {
      module: 'github.com/golangci/golangci-lint/v2',
      command: 'github.com/golangci/golangci-lint/v2/cmd/golangci-lint',
    },
    {
      module: 'github.com/golangci/golangci-lint',
      command: 'github.com/golangci/golangci-lint/cmd/golangci-lint',
    },
  ],
};

export const GOVULNCHECK_TOOL: GoModTool = {
  name: 'govulncheck',
  modules: [{ module: 'golang.org/x/vuln', command: 'golang.org/x/vuln/cmd/govulncheck' }],
};

export interface ToolVersion {
  tool: string;
  /** The module whose version it is. */
  module: string;
  /**
   * The version a build of the project uses: the `require` line's, or the one a `replace` by
   * the same module path sets. Exactly as in go.mod: it may be a pre-release or pseudo-version.
   */
  version: string;
  /** The `tool` directive naming the tool, when there is one. */
  toolLine?: GoModLine;
  requireLine: GoModLine;
  indirect: boolean;
  /** A `replace` that set the version (by the same module path). */
  replaceLine?: GoModLine;
  /**
   * A `replace` by another module or a directory: a build of the project uses that, not
   * `module@version`. Whether that is acceptable is the caller's call.
   */
  replacedBy?: GoModLine & { path: string; version?: string };
}

export type ToolVersionProblem =
  'syntax' | 'not-found' | 'no-require' | 'ambiguous' | 'bad-version' | 'other-module';

/** Why go.mod names no single version; `message` starts with `<file>` or `<file>:<line>`. */
export interface ToolVersionError {
  problem: ToolVersionProblem;
  message: string;
}

// golang.org/x/mod/semver, canonical form: what go mod tidy writes (build metadata only as
// +incompatible).
const SEMVER =
  /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(\+incompatible)?$/;

/**
 * The version of `tool` that `goModText` pins. A `tool` directive decides which module provides
 * the tool; without one, a `require` of one of the tool's modules is enough. Errors name the
 * file (`fileName`, as the user should read it) and the lines concerned.
 */
export function toolVersionFromGoMod(
  goModText: string,
  fileName: string,
  tool: GoModTool,
): ToolVersion | ToolVersionError {
  let parsed: ModRequirements;
  try {
    parsed = parseModRequirements(goModText, fileName);
  } catch (err) {
    if (err instanceof ModFileSyntaxError) return { problem: 'syntax', message: err.message };
    throw err;
  }
  const { requires, replaces, tools } = parsed;
  const commands = new Map(tool.modules.map((m) => [m.command, m.module]));
  const named = tools.filter((t) => commands.has(t.path));
  const toolLine = named.length > 0 ? named[0].at : undefined;
  const chosen =
    named.length > 0
      ? requireForToolDirective(named, requires, commands, fileName, tool)
      : requireOfToolModule(requires, fileName, tool);
  if ('problem' in chosen) return chosen;

  const versionProblem = checkVersion(chosen.path, chosen.version);
  if (versionProblem) {
    return fail('bad-version', `${where(fileName, chosen.at)}: ${versionProblem}`);
  }
  const result: ToolVersion = {
    tool: tool.name,
    module: chosen.path,
    version: chosen.version,
    toolLine,
    requireLine: chosen.at,
    indirect: chosen.indirect,
  };
  return applyReplace(result, chosen, replaces, fileName);
}

function where(fileName: string, at: GoModLine): string {
  return `${fileName}:${at.line}: ${at.text}`;
}

function fail(problem: ToolVersionProblem, message: string): ToolVersionError {
  return { problem, message };
}

/** The `require` of the module that provides the tool a `tool` directive names. */
function requireForToolDirective(
  named: ModTool[],
  requires: ModRequire[],
  commands: Map<string, string>,
  fileName: string,
  tool: GoModTool,
): ModRequire | ToolVersionError {
  const paths = [...new Set(named.map((t) => t.path))];
  if (paths.length > 1) {
    return fail(
      'ambiguous',
      `${fileName} names ${tool.name} in more than one tool directive: ${named.map((t) => `line ${t.at.line} (${t.at.text})`).join(', ')}; keep one`,
    );
  }
  const directive = named[0];
  // The go command builds a package from the required module with the longest matching path.
  const providers = requires.filter(
    (r) => directive.path === r.path || directive.path.startsWith(`${r.path}/`),
  );
  const longest = Math.max(-1, ...providers.map((r) => r.path.length));
  const provider = providers.filter((r) => r.path.length === longest);
  const expected = commands.get(directive.path)!;
  if (provider.length === 0) {
    return fail(
      'no-require',
      `${where(fileName, directive.at)}: no require line for ${expected}, the module that provides it; run \`go mod tidy\` to add it`,
    );
  }
  if (provider[0].path !== expected) {
    return fail(
      'other-module',
      `${where(fileName, directive.at)}: provided by ${provider[0].path} (line ${provider[0].at.line}), not by ${expected}`,
    );
  }
  return single(provider, fileName);
}

/** Without a `tool` directive: the `require` of one of the tool's modules. */
function requireOfToolModule(
  requires: ModRequire[],
  fileName: string,
  tool: GoModTool,
): ModRequire | ToolVersionError {
  const modules = new Set(tool.modules.map((m) => m.module));
  const found = requires.filter((r) => modules.has(r.path));
  if (found.length === 0) {
    const wanted = tool.modules[0];
    return fail(
      'not-found',
      `${fileName} has no tool directive for ${wanted.command} and no require line for ${wanted.module}`,
    );
  }
  if (new Set(found.map((r) => r.path)).size > 1) {
    return fail(
      'ambiguous',
      `${fileName} requires more than one major version of ${tool.name}: ${found.map((r) => `line ${r.at.line} (${r.at.text})`).join(', ')}; add a tool directive for the one to install`,
    );
  }
  return single(found, fileName);
}

/** The version after the `replace` that applies to the chosen requirement, if any. */
function applyReplace(
  result: ToolVersion,
  chosen: ModRequire,
  replaces: ModReplace[],
  fileName: string,
): ToolVersion | ToolVersionError {
  // As the go command applies them: a replace of this very version wins over one of all versions.
  const replace =
    replaces.findLast((r) => r.oldPath === chosen.path && r.oldVersion === chosen.version) ??
    replaces.findLast((r) => r.oldPath === chosen.path && r.oldVersion === undefined);
  if (!replace) return result;
  if (replace.newPath === chosen.path && replace.newVersion !== undefined) {
    const problem = checkVersion(chosen.path, replace.newVersion);
    if (problem) return fail('bad-version', `${where(fileName, replace.at)}: ${problem}`);
    return { ...result, version: replace.newVersion, replaceLine: replace.at };
  }
  return {
    ...result,
    replacedBy: { ...replace.at, path: replace.newPath, version: replace.newVersion },
  };
}

/** One requirement of a module, or an error when go.mod lists it twice with different versions. */
function single(found: ModRequire[], fileName: string): ModRequire | ToolVersionError {
  const versions = new Set(found.map((r) => r.version));
  if (versions.size > 1) {
    return {
      problem: 'ambiguous',
      message: `${fileName} requires ${found[0].path} more than once, at different versions: ${found.map((r) => `line ${r.at.line} (${r.at.text})`).join(', ')}; keep one (go mod tidy does)`,
    };
  }
  return found[0];
}

/** Why a version is not one go.mod may require for this module path, or undefined. */
function checkVersion(path: string, version: string): string | undefined {
  const m = SEMVER.exec(version);
  if (!m) return `${version} is not a canonical module version such as v1.2.3; run \`go mod tidy\``;
  const suffix = /\/v([2-9]|[1-9]\d+)$/.exec(path);
  const major = Number(m[1]);
  if (suffix && (major !== Number(suffix[1]) || m[5])) {
    return `${version} is not a version of ${path}: its path says major version v${suffix[1]}`;
  }
  if (!suffix && major > 1 && !m[5]) {
    return `${version} is not a version of ${path}: major versions above v1 need a /v${major} path suffix`;
  }
  return undefined;
}
