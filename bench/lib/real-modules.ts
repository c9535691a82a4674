// Real golang.org/x modules for the normal-day fixture, taken from the Go toolchain under test.
//
// GOROOT/src/vendor and GOROOT/src/cmd/vendor hold real golang.org/x sources (x/net, x/text,
// x/crypto, x/sys, x/tools, x/mod, x/sync, ...) at the versions their modules.txt names. Served
// by the loopback mirror as modules at those versions, they make the project compile real
// third-party code and give the module cache the weight of real dependencies, with nothing
// fetched from outside the machine. Each module holds the packages the toolchain vendors, which
// is less than the published module, so these weigh less than the real downloads would.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FixtureModule } from '../../__tests__/support/gomodules.js';

interface VendoredModule {
  path: string;
  version: string;
  go: string;
  /** Package directories relative to the module root, from every vendor tree that has it. */
  packages: Map<string, string>;
  /** Module-root files (LICENSE, PATENTS) by name, with the directory they come from. */
  rootFiles: Map<string, string>;
}

const X_PREFIX = 'golang.org/x/';
const ROOT_FILES = ['LICENSE', 'PATENTS'];

function parseModulesTxt(vendorDir: string, into: Map<string, VendoredModule>): void {
  const file = join(vendorDir, 'modules.txt');
  if (!existsSync(file)) return;
  let current: VendoredModule | undefined;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const mod = /^# (\S+) (\S+)$/.exec(line);
    if (mod) {
      const [, path, version] = mod;
      if (!path.startsWith(X_PREFIX)) {
        current = undefined;
        continue;
      }
      const known = into.get(path);
      if (known && known.version !== version) {
        throw new Error(
          `real modules: ${path} is vendored at ${known.version} and ${version}; expected one version`,
        );
      }
      current = known ?? {
        path,
        version,
        go: '1.18',
        packages: new Map(),
        rootFiles: new Map(),
      };
      into.set(path, current);
      const moduleDir = join(vendorDir, path);
      for (const name of ROOT_FILES) {
        if (existsSync(join(moduleDir, name))) current.rootFiles.set(name, moduleDir);
      }
      continue;
    }
    if (!current) continue;
    const explicit = /^## explicit; go (\S+)$/.exec(line);
    if (explicit) {
      current.go = explicit[1];
      continue;
    }
    if (line.startsWith(current.path)) {
      const rel = line === current.path ? '' : line.slice(current.path.length + 1);
      current.packages.set(rel, join(vendorDir, line));
    }
  }
}

/** The regular files of one package directory (not its subdirectories). */
function packageFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => statSync(join(dir, name)).isFile());
}

/** Modules of `all` that a Go file imports, found by the longest module-path prefix. */
function importedModules(source: string, all: readonly string[], self: string): Set<string> {
  const used = new Set<string>();
  for (const m of source.matchAll(/"(golang\.org\/x\/[^"\s]+)"/g)) {
    const imp = m[1];
    const owner = all
      .filter((p) => imp === p || imp.startsWith(`${p}/`))
      .sort((a, b) => b.length - a.length)[0];
    if (owner && owner !== self) used.add(owner);
  }
  return used;
}

/**
 * Every golang.org/x module the toolchain at `goroot` vendors, as fixture modules: the vendored
 * packages' files, the module's LICENSE, a go.mod with the go version modules.txt records, and a
 * requirement on each other vendored module its sources import.
 */
export function vendoredXModules(goroot: string): FixtureModule[] {
  const found = new Map<string, VendoredModule>();
  parseModulesTxt(join(goroot, 'src', 'vendor'), found);
  parseModulesTxt(join(goroot, 'src', 'cmd', 'vendor'), found);
  if (found.size === 0) {
    throw new Error(`real modules: no golang.org/x modules vendored under ${goroot}/src`);
  }
  const paths = [...found.keys()];
  return [...found.values()].map((mod) => {
    const files: Record<string, string> = {};
    const requires = new Set<string>();
    for (const [name, dir] of mod.rootFiles) files[name] = readFileSync(join(dir, name), 'utf8');
    for (const [rel, dir] of mod.packages) {
      for (const name of packageFiles(dir)) {
        const text = readFileSync(join(dir, name), 'utf8');
        files[rel ? `${rel}/${name}` : name] = text;
        if (name.endsWith('.go')) {
          for (const p of importedModules(text, paths, mod.path)) requires.add(p);
        }
      }
    }
    const reqs = [...requires].sort().map((p) => ({ path: p, version: found.get(p)!.version }));
    const goMod =
      `module ${mod.path}\n\ngo ${mod.go}\n` +
      (reqs.length
        ? `\nrequire (\n${reqs.map((r) => `\t${r.path} ${r.version}\n`).join('')})\n`
        : '');
    return {
      path: mod.path,
      version: mod.version,
      files: { ...files, 'go.mod': goMod },
      requires: reqs,
    };
  });
}

/**
 * What the project's packages call in the real modules: an import path and a Go expression
 * of type int that uses it on a string `s`, so that the compiler cannot drop the import.
 */
export const REAL_USES: readonly { module: string; pkg: string; expr: string; std?: string[] }[] = [
  {
    module: 'golang.org/x/text',
    pkg: 'golang.org/x/text/unicode/norm',
    expr: 'len(norm.NFC.String(s))',
  },
  {
    module: 'golang.org/x/net',
    pkg: 'golang.org/x/net/idna',
    expr: 'func() int { a, _ := idna.Lookup.ToASCII(s); return len(a) }()',
  },
  {
    module: 'golang.org/x/net',
    pkg: 'golang.org/x/net/http/httpguts',
    expr: 'map[bool]int{true: 1}[httpguts.ValidHeaderFieldName(s)]',
  },
  {
    module: 'golang.org/x/crypto',
    pkg: 'golang.org/x/crypto/chacha20poly1305',
    expr: 'func() int { a, err := chacha20poly1305.New(make([]byte, chacha20poly1305.KeySize)); if err != nil { return 0 }; return a.Overhead() + len(s) }()',
  },
  {
    module: 'golang.org/x/crypto',
    pkg: 'golang.org/x/crypto/cryptobyte',
    expr: 'func() int { var b cryptobyte.Builder; b.AddBytes([]byte(s)); return len(b.BytesOrPanic()) }()',
  },
  {
    module: 'golang.org/x/sync',
    pkg: 'golang.org/x/sync/errgroup',
    expr: 'func() int { var g errgroup.Group; n := 0; g.Go(func() error { n = len(s); return nil }); _ = g.Wait(); return n }()',
  },
  {
    module: 'golang.org/x/mod',
    pkg: 'golang.org/x/mod/semver',
    expr: 'semver.Compare("v1.2.3", "v"+s)',
  },
  {
    module: 'golang.org/x/mod',
    pkg: 'golang.org/x/mod/modfile',
    expr: 'func() int { f, err := modfile.Parse("go.mod", []byte("module "+s+"\\n"), nil); if err != nil { return 0 }; return len(f.Module.Mod.Path) }()',
  },
  {
    module: 'golang.org/x/tools',
    pkg: 'golang.org/x/tools/go/ast/inspector',
    expr: 'func() int { inspector.New(nil).Preorder(nil, func(ast.Node) {}); return len(s) }()',
    std: ['go/ast'],
  },
  {
    module: 'golang.org/x/term',
    pkg: 'golang.org/x/term',
    expr: 'map[bool]int{true: 1}[term.IsTerminal(len(s))]',
  },
];
