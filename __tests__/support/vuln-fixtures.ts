// Stand-ins for golang.org/x/vuln and its dependencies at pinned versions. Served by a mirror,
// they are impostors to the real pins; hashed into fixture pins, they build like the real thing.
import type { GovulncheckPin } from '../../src/tools/govulncheck-pins.js';
import { hashGoMod, hashZip } from '../../src/gomod/dirhash.js';
import { moduleGoMod, moduleZip, type FixtureModule } from './gomodules.js';

export const FIXTURE_BANNER = 'govulncheck stand-in';

/** A golang.org/x/vuln whose cmd/govulncheck prints the banner and the name of its dependency. */
export function fakeVuln(version: string, dep: FixtureModule): FixtureModule {
  return {
    path: 'golang.org/x/vuln',
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
  const pkg = path.slice(path.lastIndexOf('/') + 1).replace(/[^a-z0-9]/g, '');
  return {
    path,
    version,
    files: { [`${pkg}.go`]: `package ${pkg}\n\nfunc Name() string { return "${path}" }\n` },
  };
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
