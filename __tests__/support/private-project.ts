// A project whose app imports public fixture modules and one private module, for the tests
// that check private paths never reach a public mirror.
import { createProject, makeModuleSet, type FixtureModule } from './gomodules.js';
import type { MirrorRequest, Mirror } from './goproxy-server.js';
import { Scenario } from './scenario.js';

export const PRIVATE_MODULE = 'corp.example/private/lib';

export function privateModuleScenario(): Scenario {
  return new Scenario((root) => {
    const { modules } = makeModuleSet(3);
    const secret: FixtureModule = {
      path: PRIVATE_MODULE,
      version: 'v1.2.0',
      files: {
        'lib.go': 'package lib\n\n// Name is private.\nfunc Name() string { return "lib" }\n',
      },
    };
    const all = [...modules, secret];
    const imports = all.map((m, i) => `\tp${i} "${m.path}"\n`).join('');
    const calls = all.map((_, i) => `\tprintln(p${i}.Name())\n`).join('');
    return createProject({
      root,
      modules: all,
      appFiles: {
        'go.mod': 'module example.com/app\n\ngo 1.21\n',
        'main.go': `package main\n\nimport (\n${imports})\n\nfunc main() {\n${calls}}\n`,
      },
    });
  });
}

/** The requests a mirror received for any path under corp.example. */
export const privateRequests = (m: Mirror): MirrorRequest[] =>
  m.requests.filter((r) => r.path.includes('corp.example'));
