// The manifest of an offline bundle: what every file must be, which go.sum lines every module
// has, and where each tool's hash came from. Pure: reading and checking it needs no disk.

export const BUNDLE_FORMAT = 'go-resilient-setup-bundle/1';
export const MANIFEST_NAME = 'manifest.json';
/** The module tree's directory in a bundle: a GOPROXY tree, as Go's cache/download is. */
export const MODULES_DIR = 'modules';
export const TOOLS_DIR = 'tools';

export interface BundleFile {
  /** Relative, with `/`. */
  path: string;
  size: number;
  sha256: string;
}

export interface BundleModule {
  path: string;
  version: string;
  /** `<path> <version> h1:…` and `<path> <version>/go.mod h1:…`; a go.mod-only module has one. */
  goSum: string[];
}

export interface BundleTool {
  name: 'golangci-lint' | 'govulncheck';
  /** `2.4.0` for golangci-lint (as archive names have it), `v1.1.4` for govulncheck. */
  version: string;
  /** golangci-lint: `linux/amd64`. */
  platform?: string;
  /** golangci-lint: the archive's path in the bundle. */
  file?: string;
  sha256?: string;
  /** Who vouched for the hash: `table`, `table (one source)`, `--golangci-lint-checksum`, `go.sum pin`. */
  checksumFrom: string;
  /** govulncheck: `path@version` of every module its build needs, all in `modules`. */
  modules?: string[];
}

export interface Manifest {
  format: string;
  createdAt: string;
  createdBy: string;
  /** `go1.26.11 linux/amd64`: the go that fetched the modules. */
  go?: string;
  files: BundleFile[];
  modules: BundleModule[];
  tools: BundleTool[];
}

/** A bundle that cannot be used; `file` is the bundle entry at fault, when there is one. */
export class BundleError extends Error {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'BundleError';
  }
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Parses manifest.json, naming the first field that is missing or of the wrong kind. */
export function parseManifest(text: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new BundleError(
      `${MANIFEST_NAME} is not JSON: ${err instanceof Error ? err.message : String(err)}`,
      MANIFEST_NAME,
    );
  }
  const m = obj(raw, 'the top level');
  if (m.format !== BUNDLE_FORMAT) {
    fail(
      'format',
      `is ${JSON.stringify(m.format)}; this version reads ${BUNDLE_FORMAT} (make the bundle again with this version's go-resilient-setup bundle)`,
    );
  }
  const files = parseFiles(m.files);
  const modules = arr(m.modules, 'modules').map(parseModule);
  const tools = arr(m.tools, 'tools').map(parseTool);
  return {
    format: BUNDLE_FORMAT,
    createdAt: str(m.createdAt, 'createdAt'),
    createdBy: str(m.createdBy, 'createdBy'),
    ...(m.go === undefined ? {} : { go: str(m.go, 'go') }),
    files,
    modules,
    tools,
  };
}

function fail(field: string, what: string): never {
  throw new BundleError(`${MANIFEST_NAME}: ${field} ${what}`, MANIFEST_NAME);
}

function obj(v: unknown, field: string): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : fail(field, 'must be an object');
}

function str(v: unknown, field: string): string {
  return typeof v === 'string' && v !== '' ? v : fail(field, 'must be a non-empty string');
}

function arr(v: unknown, field: string): unknown[] {
  return Array.isArray(v) ? v : fail(field, 'must be a list');
}

function parseFiles(list: unknown): BundleFile[] {
  const paths = new Set<string>();
  return arr(list, 'files').map((f, i): BundleFile => {
    const e = obj(f, `files[${i}]`);
    const size = e.size;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      fail(`files[${i}].size`, 'must be a whole number of bytes');
    }
    const sha256 = str(e.sha256, `files[${i}].sha256`);
    if (!SHA256.test(sha256)) fail(`files[${i}].sha256`, 'must be 64 lower-case hex digits');
    const path = str(e.path, `files[${i}].path`);
    // Each entry is checked against the one listing of its path.
    if (paths.has(path)) fail(`files[${i}].path`, `"${path}" is listed before`);
    paths.add(path);
    return { path, size: size as number, sha256 };
  });
}

function parseModule(x: unknown, i: number): BundleModule {
  const e = obj(x, `modules[${i}]`);
  const goSum = arr(e.goSum, `modules[${i}].goSum`).map((l, j) =>
    str(l, `modules[${i}].goSum[${j}]`),
  );
  return {
    path: str(e.path, `modules[${i}].path`),
    version: str(e.version, `modules[${i}].version`),
    goSum,
  };
}

function parseTool(x: unknown, i: number): BundleTool {
  const e = obj(x, `tools[${i}]`);
  const name = e.name;
  if (name !== 'golangci-lint' && name !== 'govulncheck') {
    fail(`tools[${i}].name`, 'must be golangci-lint or govulncheck');
  }
  const opt = (k: string) => (e[k] === undefined ? undefined : str(e[k], `tools[${i}].${k}`));
  const tool: BundleTool = {
    name: name as BundleTool['name'],
    version: str(e.version, `tools[${i}].version`),
    checksumFrom: str(e.checksumFrom, `tools[${i}].checksumFrom`),
  };
  for (const k of ['platform', 'file', 'sha256'] as const) {
    const v = opt(k);
    if (v !== undefined) tool[k] = v;
  }
  if (tool.name === 'golangci-lint' && (!tool.platform || !tool.file || !tool.sha256)) {
    fail(`tools[${i}]`, 'is golangci-lint and needs platform, file and sha256');
  }
  if (e.modules !== undefined) {
    tool.modules = arr(e.modules, `tools[${i}].modules`).map((v, j) =>
      str(v, `tools[${i}].modules[${j}]`),
    );
  }
  return tool;
}

/** The path of a module file in a bundle, e.g. `modules/github.com/!foo/bar/@v/v1.0.0.zip`. */
export function moduleFilePath(escapedModule: string, escapedVersion: string, ext: string): string {
  return `${MODULES_DIR}/${escapedModule}/@v/${escapedVersion}${ext}`;
}

/** Where a golangci-lint archive goes: `tools/golangci-lint/v2.4.0/<archive name>`. */
export function toolFilePath(name: string, version: string, archive: string): string {
  return `${TOOLS_DIR}/${name}/v${version}/${archive}`;
}
