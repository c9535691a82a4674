// Fixture Go modules: generate small modules, lay them out as a GOPROXY tree, and build an
// app whose go.sum is produced by the real `go`, so the sums are exactly what go expects.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GO_BIN, requireGo } from './go-bin.js';
import { writeZip } from './zipwriter.js';

export { GO_BIN, requireGo };
export const GO_BIN_DIR = dirname(GO_BIN);

export interface ModuleRequirement {
  path: string;
  version: string;
}

export interface FixtureModule {
  path: string;
  version: string;
  files: Record<string, string>;
  requires?: ModuleRequirement[];
}

export interface FixtureApp {
  path: string;
  files: Record<string, string>;
}

// Variables that would redirect or relax module fetching on a developer machine; tests must
// decide them explicitly.
const HOST_GO_VARS = [
  'GOPROXY',
  'GOSUMDB',
  'GOPRIVATE',
  'GONOPROXY',
  'GONOSUMDB',
  'GOINSECURE',
  'GOFLAGS',
  'GOTOOLCHAIN',
  'GOWORK',
];

/** A copy of process.env fit for running go in tests; `extra` wins over everything. */
export function goEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !HOST_GO_VARS.includes(key)) env[key] = value;
  }
  env.PATH = [GO_BIN_DIR, process.env.PATH].filter(Boolean).join(':');
  env.GOTOOLCHAIN = 'local';
  // Writable module caches, so temp dirs can be deleted without chmod.
  env.GOFLAGS = '-modcacherw';
  return { ...env, ...extra };
}

/** Module paths and versions as they appear in proxy URLs: uppercase `X` becomes `!x`. */
export function escapeModulePath(path: string): string {
  return path.replace(/[A-Z]/g, (c) => '!' + c.toLowerCase());
}

export function moduleGoMod(mod: FixtureModule): string {
  if (mod.files['go.mod'] !== undefined) return mod.files['go.mod'];
  let text = `module ${mod.path}\n\ngo 1.21\n`;
  if (mod.requires?.length) {
    text += '\nrequire (\n';
    for (const req of mod.requires) text += `\t${req.path} ${req.version}\n`;
    text += ')\n';
  }
  return text;
}

export function moduleZipEntries(mod: FixtureModule): { name: string; data: string }[] {
  const prefix = `${mod.path}@${mod.version}/`;
  const files: Record<string, string> = { ...mod.files, 'go.mod': moduleGoMod(mod) };
  return Object.keys(files)
    .sort()
    .map((name) => ({ name: prefix + name, data: files[name] }));
}

export function moduleZip(mod: FixtureModule, opts: { deflate?: boolean } = {}): Buffer {
  return writeZip(moduleZipEntries(mod), { deflate: opts.deflate ?? true });
}

export function moduleInfo(version: string): string {
  return JSON.stringify({ Version: version, Time: '2024-01-01T00:00:00Z' }) + '\n';
}

/** Lays out `<dir>/<escaped path>/@v/{list,<v>.info,<v>.mod,<v>.zip}` for every module. */
export function writeProxyTree(
  dir: string,
  modules: FixtureModule[],
  opts: { deflate?: boolean } = {},
): void {
  const versionsByPath = new Map<string, string[]>();
  for (const mod of modules) {
    const vdir = join(dir, escapeModulePath(mod.path), '@v');
    mkdirSync(vdir, { recursive: true });
    const v = escapeModulePath(mod.version);
    writeFileSync(join(vdir, `${v}.info`), moduleInfo(mod.version));
    writeFileSync(join(vdir, `${v}.mod`), moduleGoMod(mod));
    writeFileSync(join(vdir, `${v}.zip`), moduleZip(mod, opts));
    versionsByPath.set(mod.path, [...(versionsByPath.get(mod.path) ?? []), mod.version]);
  }
  for (const [path, versions] of versionsByPath) {
    const list = [...new Set(versions)].join('\n') + '\n';
    writeFileSync(join(dir, escapeModulePath(path), '@v', 'list'), list);
  }
}

export interface ModuleSetOptions {
  /** Version given to every generated module; default v1.0.0. */
  version?: string;
  /** Path of the generated app module; default example.com/app. */
  appPath?: string;
  /** Adds a data.txt of this many barely-compressible bytes to each module (for slow mirrors). */
  payloadBytes?: number;
}

function payload(seed: string, bytes: number): string {
  let text = '';
  for (let i = 0; text.length < bytes; i++) {
    text += createHash('sha256').update(`${seed}/${i}`).digest('base64');
  }
  return text.slice(0, bytes);
}

function packageName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1).toLowerCase();
}

/**
 * n small modules plus an app importing every one, so `go build` needs them all. Every third
 * module depends on m01 to make a graph, and the second module has an uppercase path to
 * exercise `!` escaping.
 */
export function makeModuleSet(
  n: number,
  opts: ModuleSetOptions = {},
): { modules: FixtureModule[]; app: FixtureApp } {
  const version = opts.version ?? 'v1.0.0';
  const paths: string[] = [];
  for (let i = 1; i <= n; i++) {
    const num = String(i).padStart(2, '0');
    paths.push(i === 2 && n >= 3 ? 'example.com/Fixture/Upper' : `example.com/fixture/m${num}`);
  }
  const modules = paths.map((path, i): FixtureModule => {
    const pkg = packageName(path);
    const dependsOnFirst = i > 0 && i % 3 === 0;
    const first = paths[0];
    const body = dependsOnFirst
      ? `import dep "${first}"\n\n// Name reports the module and its dependency.\nfunc Name() string { return "${pkg}+" + dep.Name() }\n`
      : `// Name reports the module name.\nfunc Name() string { return "${pkg}" }\n`;
    const files: Record<string, string> = {
      [`${pkg}.go`]: `package ${pkg}\n\n${body}`,
      LICENSE: 'MIT fixture\n',
    };
    if (opts.payloadBytes) files['data.txt'] = payload(path, opts.payloadBytes);
    return {
      path,
      version,
      files,
      requires: dependsOnFirst ? [{ path: first, version }] : undefined,
    };
  });
  const appPath = opts.appPath ?? 'example.com/app';
  const imports = modules.map((m, i) => `\tp${i} "${m.path}"\n`).join('');
  // println keeps the app free of std imports beyond runtime, which keeps cold builds fast.
  const calls = modules.map((_, i) => `\tprintln(p${i}.Name())\n`).join('');
  const mainGo = `package main\n\nimport (\n${imports})\n\nfunc main() {\n${calls}}\n`;
  return {
    modules,
    app: {
      path: appPath,
      files: { 'go.mod': `module ${appPath}\n\ngo 1.21\n`, 'main.go': mainGo },
    },
  };
}

export interface CreatedProject {
  root: string;
  appDir: string;
  proxyDir: string;
  /** file:// URL of proxyDir, usable as GOPROXY. */
  proxyUrl: string;
  goMod: string;
  goSum: string;
}

/** `example.com/app`: a main package that imports and calls each module, and optionally a test. */
export function importingApp(
  mods: readonly FixtureModule[],
  opts: { withTest?: boolean } = {},
): Record<string, string> {
  const imports = mods.map((m, i) => `\tp${i} "${m.path}"\n`).join('');
  const calls = mods.map((_, i) => `\tprintln(p${i}.Name())\n`).join('');
  const files: Record<string, string> = {
    'go.mod': 'module example.com/app\n\ngo 1.21\n',
    'main.go': `package main\n\nimport (\n${imports})\n\nfunc main() {\n${calls}}\n`,
  };
  if (opts.withTest) {
    files['main_test.go'] =
      'package main\n\nimport "testing"\n\nfunc TestMain(t *testing.T) { main() }\n';
  }
  return files;
}

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
}

/**
 * Writes `<root>/app` and `<root>/proxy`, then runs the real `go mod tidy` against the file
 * proxy so go.mod/go.sum are complete and exactly what go computes.
 */
export function createProject(opts: {
  root: string;
  modules: FixtureModule[];
  appFiles: Record<string, string>;
  goVersion?: string;
}): CreatedProject {
  requireGo();
  const appDir = join(opts.root, 'app');
  const proxyDir = join(opts.root, 'proxy');
  writeProxyTree(proxyDir, opts.modules);
  const appFiles = { ...opts.appFiles };
  appFiles['go.mod'] ??= 'module example.com/app\n\ngo 1.21\n';
  if (opts.goVersion) {
    appFiles['go.mod'] = appFiles['go.mod'].replace(/^go .*$/m, `go ${opts.goVersion}`);
  }
  writeFiles(appDir, appFiles);

  const proxyUrl = tidyApp(appDir, proxyDir);
  const read = (name: string) => readFileSync(join(appDir, name), 'utf8');
  return {
    root: opts.root,
    appDir,
    proxyDir,
    proxyUrl,
    goMod: read('go.mod'),
    goSum: read('go.sum'),
  };
}

/**
 * Writes a complete go.sum for an app by really running `go mod tidy` against the fixture proxy
 * tree, with throwaway caches. Returns the proxy's file:// URL.
 */
export function tidyApp(appDir: string, proxyDir: string): string {
  const scratch = mkdtempSync(join(tmpdir(), 'gofixture-tidy-'));
  const proxyUrl = 'file://' + proxyDir;
  try {
    const result = spawnSync(GO_BIN, ['mod', 'tidy'], {
      cwd: appDir,
      encoding: 'utf8',
      env: goEnv({
        GOPROXY: proxyUrl,
        GOSUMDB: 'off',
        GOMODCACHE: join(scratch, 'modcache'),
        GOPATH: join(scratch, 'gopath'),
        GOCACHE: join(scratch, 'gocache'),
        // A developer's `go env -w` settings must not leak into fixtures.
        GOENV: 'off',
        GOWORK: 'off',
      }),
    });
    if (result.error) throw result.error;
    if (result.status !== 0) {
      throw new Error(`go mod tidy failed in ${appDir} (exit ${result.status}):\n${result.stderr}`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return proxyUrl;
}
