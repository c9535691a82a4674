// Stand-ins for golang.org/x/vuln and its dependencies at pinned versions. Served by a mirror,
// they are impostors to the real pins; hashed into fixture pins, they build like the real thing.
import type { GovulncheckPin } from '../../src/tools/govulncheck-pins.js';
import { hashGoMod, hashZip } from '../../src/gomod/dirhash.js';
import { moduleGoMod, moduleZip, type FixtureModule } from './gomodules.js';

export const FIXTURE_BANNER = 'govulncheck stand-in';
export const VULN_MODULE = 'golang.org/x/vuln';

/** A golang.org/x/vuln whose cmd/govulncheck prints the banner and the name of its dependency. */
export function fakeVuln(version: string, dep: FixtureModule): FixtureModule {
  return {
    path: VULN_MODULE,
    version,
    requires: [{ path: dep.path, version: dep.version }],
    files: {
      'cmd/govulncheck/main.go': `package main\n\nimport (\n\t"os"\n\n\tdep "${dep.path}"\n)\n\nfunc main() {\n\tos.Stdout.WriteString("${FIXTURE_BANNER} ${version} with " + dep.Name() + "\\n")\n}\n`,
      LICENSE: 'fixture\n',
    },
  };
}

/** A module with one package that returns its own name. */
export function fakeLibrary(path: string, version: string): FixtureModule {
  return { path, version, files: { [`${packageName(path)}.go`]: libraryGo(path, []) } };
}

/** Pins computed from fixture modules, in the same shape as the shipped ones. */
export function pinFor(vuln: FixtureModule, deps: FixtureModule[]): GovulncheckPin {
  const all = [vuln, ...deps];
  return {
    go: '1.21',
    require: Object.fromEntries(all.map((m) => [m.path, m.version])),
    sum: all.flatMap((m) => [
      `${m.path} ${m.version} ${hashZip(moduleZip(m))}`,
      `${m.path} ${m.version}/go.mod ${hashGoMod(moduleGoMod(m))}`,
    ]),
  };
}

const GO_CMDTEST = 'github.com/google/go-cmdtest';

/**
 * The real go-cmdtest's go.mod at the pinned commit. Its go line predates graph pruning, so Go
 * reads the go.mod of every version it requires, go-cmp v0.3.1 included, although the build
 * selects go-cmp v0.6.0.
 */
const GO_CMDTEST_GO_MOD =
  'module github.com/google/go-cmdtest\n\ngo 1.12\n\nrequire (\n\tgithub.com/google/go-cmp v0.3.1\n\tgithub.com/google/renameio v0.1.0\n)\n';

/**
 * Which module's package imports which, as in the real modules: these are golang/vuln's
 * indirect requirements, and `go mod tidy` keeps a requirement only when a package needs it.
 */
const IMPORTS: Record<string, string[]> = {
  [GO_CMDTEST]: ['github.com/google/renameio'],
  'golang.org/x/telemetry': ['golang.org/x/sys'],
  'golang.org/x/tools/go/packages/packagestest': ['golang.org/x/tools/go/expect'],
};

/** Modules only golang/vuln's tests import; cmd/govulncheck imports every other direct one. */
const TEST_ONLY = new Set([
  GO_CMDTEST,
  'github.com/google/go-cmp',
  'golang.org/x/tools/go/packages/packagestest',
]);

export interface StandInRelease {
  /** Every module the release's graph holds except golang.org/x/vuln, for the mirror. */
  deps: FixtureModule[];
  /**
   * golang/vuln's repository at the tag: a go.mod requiring `require` (before `go mod tidy`),
   * a cmd/govulncheck that imports the direct requirements, and a test importing the rest.
   */
  repo: Record<string, string>;
}

/**
 * Stand-ins at exactly a release's module paths and versions, wired like the real modules
 * where it matters to go.sum: which versions each go.mod requires (and whether Go prunes its
 * requirements), and which packages import which.
 */
export function standInRelease(
  version: string,
  pin: Pick<GovulncheckPin, 'go' | 'require'>,
): StandInRelease {
  const required = Object.entries(pin.require).filter(([path]) => path !== VULN_MODULE);
  const selected = new Map(required);
  const deps: FixtureModule[] = required.map(([path, v]) => {
    const imports = (IMPORTS[path] ?? []).filter((p) => selected.has(p));
    const files = { [`${packageName(path)}.go`]: libraryGo(path, imports) };
    if (path === GO_CMDTEST)
      return { path, version: v, files: { ...files, 'go.mod': GO_CMDTEST_GO_MOD } };
    return {
      path,
      version: v,
      files,
      requires: imports.map((p) => ({ path: p, version: selected.get(p)! })),
    };
  });
  // Versions a go.mod requires that the build does not select: only their go.mod is read.
  for (const dep of [...deps]) {
    for (const line of moduleGoMod(dep).matchAll(/^[ \t]+(\S+) (v\S+)$/gm)) {
      const [, path, v] = line;
      if (!deps.some((d) => d.path === path && d.version === v)) {
        deps.push({ path, version: v, files: { 'go.mod': `module ${path}\n` } });
      }
    }
  }

  const imported = new Set(Object.values(IMPORTS).flat());
  const direct = required.map(([path]) => path).filter((path) => !imported.has(path));
  const alias = (paths: string[]) => paths.map((p, i) => `\tp${i} "${p}"\n`).join('');
  const names = (paths: string[]) => paths.map((_, i) => `p${i}.Name()`).join(' + " " + ');
  const main = direct.filter((p) => !TEST_ONLY.has(p));
  const tests = direct.filter((p) => TEST_ONLY.has(p));
  const requireBlock = required.map(([path, v]) => `\t${path} ${v}\n`).join('');
  return {
    deps,
    repo: {
      'go.mod': `module ${VULN_MODULE}\n\ngo ${pin.go}\n\nrequire (\n${requireBlock})\n`,
      'cmd/govulncheck/main.go': `package main\n\nimport (\n\t"os"\n\n${alias(main)})\n\nfunc main() {\n\tos.Stdout.WriteString("${FIXTURE_BANNER} ${version} with " + ${names(main)} + "\\n")\n}\n`,
      'cmd/govulncheck/main_test.go': `package main\n\nimport (\n\t"testing"\n\n${alias(tests)})\n\nfunc TestStandIns(t *testing.T) {\n\tt.Log(${names(tests)})\n}\n`,
      LICENSE: 'fixture\n',
    },
  };
}

/** golang.org/x/vuln as the mirror serves it: the repository's files at the tag. */
export function vulnModule(version: string, repo: Record<string, string>): FixtureModule {
  return { path: VULN_MODULE, version, files: repo };
}

/** The two go.sum lines of a module, as x-vuln.sum holds them for golang.org/x/vuln. */
export function sumLines(m: FixtureModule): string[] {
  return [
    `${m.path} ${m.version} ${hashZip(moduleZip(m))}`,
    `${m.path} ${m.version}/go.mod ${hashGoMod(moduleGoMod(m))}`,
  ];
}

/**
 * The pin with every hash replaced by the stand-in's for the same module version: the same
 * lines, so whatever the pin lacks, this lacks too. Throws when no stand-in has a line's version.
 */
export function rehashPin(pin: GovulncheckPin, modules: FixtureModule[]): GovulncheckPin {
  const hashes = new Map(
    modules.flatMap(sumLines).map((l) => [l.slice(0, l.lastIndexOf(' ')), l] as const),
  );
  return {
    ...pin,
    sum: pin.sum.map((line) => {
      const key = line.slice(0, line.lastIndexOf(' '));
      const standIn = hashes.get(key);
      if (!standIn) throw new Error(`no stand-in for the pin's line ${line}`);
      return standIn;
    }),
  };
}

function packageName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1).replace(/[^a-z0-9]/g, '');
}

function libraryGo(path: string, imports: string[]): string {
  if (imports.length === 0) {
    return `package ${packageName(path)}\n\nfunc Name() string { return "${path}" }\n`;
  }
  const lines = imports.map((p, i) => `\tp${i} "${p}"\n`).join('');
  const calls = imports.map((_, i) => ` + "+" + p${i}.Name()`).join('');
  return `package ${packageName(path)}\n\nimport (\n${lines})\n\nfunc Name() string { return "${path}"${calls} }\n`;
}
