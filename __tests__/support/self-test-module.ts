// The self-test workflow's Go module (.github/self-test/module) on the harness: its go.mod and
// main.go as committed, and its dependencies as stand-ins at exactly the versions go.mod
// requires. The stand-ins carry the dependencies' real go.mod files, each checked against the
// committed go.sum's `/go.mod` line, so Go sees the real module graph and only the zip lines
// of go.sum differ.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashGoMod, hashZip } from '../../src/gomod/dirhash.js';
import { REPO_ROOT } from './action-metadata.js';
import { moduleZip, type FixtureModule } from './gomodules.js';

/** Where the module lives, relative to the repository and to a job's workspace. */
export const SELF_TEST_MODULE_DIR = '.github/self-test/module';

/** The dependencies' go.mod files at their tags, by `path@version`. */
const REAL_GO_MODS: Record<string, string> = {
  'golang.org/x/mod@v0.19.0':
    'module golang.org/x/mod\n\ngo 1.18\n\nrequire golang.org/x/tools v0.13.0 // tagx:ignore\n',
  'golang.org/x/sync@v0.7.0': 'module golang.org/x/sync\n\ngo 1.18\n',
};

/** The parts of each dependency that main.go uses, working alike. */
const PACKAGES: Record<string, Record<string, string>> = {
  'golang.org/x/mod': {
    'semver/semver.go': `// Package semver stands in for golang.org/x/mod/semver, for versions of the form
// vMAJOR[.MINOR[.PATCH]][-PRERELEASE].
package semver

import (
	"sort"
	"strconv"
	"strings"
)

type parsed struct {
	nums [3]int
	pre  string
}

func parse(v string) (p parsed, ok bool) {
	if !strings.HasPrefix(v, "v") {
		return p, false
	}
	core := v[1:]
	if i := strings.IndexByte(core, '-'); i >= 0 {
		core, p.pre = core[:i], core[i+1:]
		if p.pre == "" {
			return p, false
		}
	}
	parts := strings.Split(core, ".")
	if len(parts) > 3 {
		return p, false
	}
	for i, s := range parts {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return p, false
		}
		p.nums[i] = n
	}
	return p, true
}

func IsValid(v string) bool {
	_, ok := parse(v)
	return ok
}

func Canonical(v string) string {
	p, ok := parse(v)
	if !ok {
		return ""
	}
	s := "v" + strconv.Itoa(p.nums[0]) + "." + strconv.Itoa(p.nums[1]) + "." + strconv.Itoa(p.nums[2])
	if p.pre != "" {
		s += "-" + p.pre
	}
	return s
}

func Compare(v, w string) int {
	a, _ := parse(v)
	b, _ := parse(w)
	for i := range a.nums {
		if a.nums[i] != b.nums[i] {
			if a.nums[i] < b.nums[i] {
				return -1
			}
			return 1
		}
	}
	switch {
	case a.pre == b.pre:
		return 0
	case a.pre == "":
		return 1
	case b.pre == "", a.pre < b.pre:
		return -1
	}
	return 1
}

func Sort(list []string) {
	sort.SliceStable(list, func(i, j int) bool { return Compare(list[i], list[j]) < 0 })
}
`,
  },
  'golang.org/x/sync': {
    'errgroup/errgroup.go': `// Package errgroup stands in for golang.org/x/sync/errgroup.
package errgroup

import "sync"

type Group struct {
	wg   sync.WaitGroup
	once sync.Once
	err  error
}

func (g *Group) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.once.Do(func() { g.err = err })
		}
	}()
}

func (g *Group) Wait() error {
	g.wg.Wait()
	return g.err
}
`,
  },
};

export interface SelfTestModule {
  /** The committed go.mod, go.sum and main.go. */
  files: Record<string, string>;
  /** One stand-in per requirement of go.mod. */
  standIns: FixtureModule[];
  /** The committed go.sum with each zip line's hash replaced by its stand-in's. */
  goSum: string;
}

export function selfTestModule(): SelfTestModule {
  const dir = join(REPO_ROOT, SELF_TEST_MODULE_DIR);
  const files = Object.fromEntries(
    ['go.mod', 'go.sum', 'main.go'].map((name) => [name, readFileSync(join(dir, name), 'utf8')]),
  );
  const standIns = requirements(files['go.mod']).map(({ path, version }): FixtureModule => {
    const goMod = REAL_GO_MODS[`${path}@${version}`];
    if (goMod === undefined || !PACKAGES[path]) {
      throw new Error(`no stand-in for ${path}@${version}: add its go.mod and packages here`);
    }
    return { path, version, files: { ...PACKAGES[path], 'go.mod': goMod } };
  });
  return { files, standIns, goSum: rehash(files['go.sum'], standIns) };
}

/** The `require` lines of a go.mod, in either form. */
export function requirements(goMod: string): { path: string; version: string }[] {
  const lines: string[] = [];
  for (const block of goMod.matchAll(/^require\s*\(\n([\s\S]*?)^\)/gm)) {
    lines.push(...block[1].split('\n'));
  }
  for (const single of goMod.matchAll(/^require\s+([^(\s].*)$/gm)) lines.push(single[1]);
  return lines
    .map((line) => line.replace(/\/\/.*$/, '').trim())
    .filter(Boolean)
    .map((line) => {
      const [path, version] = line.split(/\s+/);
      return { path, version };
    });
}

/**
 * Each zip line gets its stand-in's hash; each `/go.mod` line must already be its stand-in's,
 * which is the real go.mod. Throws for a line no stand-in has.
 */
function rehash(goSum: string, standIns: FixtureModule[]): string {
  const hashes = new Map<string, string>();
  for (const m of standIns) {
    hashes.set(`${m.path} ${m.version}`, hashZip(moduleZip(m)));
    hashes.set(`${m.path} ${m.version}/go.mod`, hashGoMod(m.files['go.mod']));
  }
  return goSum
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const at = line.lastIndexOf(' ');
      const [key, hash] = [line.slice(0, at), line.slice(at + 1)];
      const standIn = hashes.get(key);
      if (!standIn) throw new Error(`go.sum: no stand-in for ${line}`);
      if (key.endsWith('/go.mod') && standIn !== hash) {
        throw new Error(
          `go.sum: ${key} is ${hash}, but the go.mod written here hashes to ${standIn}`,
        );
      }
      return `${key} ${standIn}`;
    })
    .join('\n')
    .concat('\n');
}
