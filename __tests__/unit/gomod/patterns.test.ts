import { describe, it, expect, afterAll } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { matchesPrefixPatterns, validatePatterns } from '../../../src/gomod/patterns.js';

const GO = process.env.GO_BIN ?? '/usr/lib/go-1.23/bin/go';

// [patterns, target, matches]
const cases: [string, string, boolean][] = [
  // GOPRIVATE as documented by `go help private`.
  ['*.corp.example.com', 'git.corp.example.com/x/y', true],
  ['*.corp.example.com', 'corp.example.com/x/y', false],
  ['*.corp.example.com', 'a.b.corp.example.com/x', true],
  ['example.com/private', 'example.com/private', true],
  ['example.com/private', 'example.com/private/sub', true],
  ['example.com/private', 'example.com/privateer', false],
  ['example.com/private', 'example.com', false],
  ['example.com/private/', 'example.com/private/sub', true],
  ['example.com/*/internal', 'example.com/team/internal', true],
  ['example.com/*/internal', 'example.com/team/internal/pkg', true],
  ['example.com/*/internal', 'example.com/team/public', false],
  ['example.com/*/internal', 'example.com/a/b/internal', false],
  ['example.com/*/internal', 'example.com/team', false],
  ['github.com/acme', 'github.com/acme/tool/v2', true],
  ['github.com/Acme', 'github.com/acme/tool', false],
  // Lists: empty entries are skipped, any entry may match.
  ['', 'example.com/x', false],
  [',,', 'example.com/x', false],
  ['/', 'example.com/x', false],
  ['a.com,,b.com/x', 'b.com/x/y', true],
  ['a.com, b.com', 'b.com/x', false],
  ['a.com,b.com', 'b.com/x', true],
  // Glob syntax.
  ['*', 'anything/at/all', true],
  ['*', '', true],
  ['*/*', 'a', false],
  ['*/*', 'a/b/c', true],
  ['example.com/?', 'example.com/a/b', true],
  ['example.com/?', 'example.com/ab', false],
  ['example.com/[a-c]x', 'example.com/bx/y', true],
  ['example.com/[a-c]x', 'example.com/dx', false],
  ['example.com/[^a-c]x', 'example.com/dx', true],
  ['example.com/[^a-c]x', 'example.com/ax', false],
  ['example.com/[abc-]', 'example.com/a', false],
  ['example.com/[\\]]', 'example.com/]', true],
  ['example.com/\\*', 'example.com/*', true],
  ['example.com/\\*', 'example.com/x', false],
  ['example.com/a*b*c', 'example.com/aXbYc/d', true],
  ['example.com/a*b*c', 'example.com/aXbYcZ', false],
  ['exa*ple.com', 'example.com', true],
  ['example.com/caf[\u00e0-\u00ff]', 'example.com/caf\u00e9', true],
  ['example.com/*??', 'example.com/\u20ac', true],
  // Malformed patterns never match, even where a prefix would.
  ['example.com/[', 'example.com/[', false],
  ['example.com/[a-', 'example.com/a', false],
  ['example.com/a\\', 'example.com/a\\', false],
  ['example.com/[]', 'example.com/x', false],
  ['example.com/[x', 'example.com/y', false],
  ['*.corp.example.com/[,git.corp.example.com', 'git.corp.example.com/x', true],
];

let work: string | undefined;

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('matchesPrefixPatterns', () => {
  it.each(cases)('(%j, %j) -> %s', (patterns, target, expected) => {
    expect(matchesPrefixPatterns(patterns, target)).toBe(expected);
  });

  it('agrees with module.MatchPrefixPatterns from the Go toolchain', () => {
    expect(cases.map(([p, t]) => matchesPrefixPatterns(p, t))).toEqual(
      runGoOracle(cases.map(([p, t]) => [p, t])),
    );
  }, 120_000);
});

describe('validatePatterns', () => {
  it.each(['', 'example.com/private', '*.corp.example.com,example.com/*/internal', ',a/,'])(
    'accepts %j',
    (patterns) => {
      expect(validatePatterns(patterns)).toBeUndefined();
    },
  );

  it.each([
    ['example.com/[', 'example.com/['],
    ['ok.com,bad.com/[a-,also-ok.com', 'bad.com/[a-'],
    ['trailing\\', 'trailing\\'],
    ['x/[]', 'x/[]'],
    ['x/[^]', 'x/[^]'],
    ['*x[', '*x['],
  ])('rejects %j naming %j', (patterns, bad) => {
    expect(validatePatterns(patterns)).toBe(
      `invalid pattern ${JSON.stringify(bad)}: syntax error in pattern`,
    );
  });
});

// Runs the real module.MatchPrefixPatterns from the copy of golang.org/x/mod vendored in GOROOT,
// in GOPATH mode since there is no network to fetch the module from.
function runGoOracle(pairs: [string, string][]): boolean[] {
  work = mkdtempSync(join(tmpdir(), 'gomod-patterns-'));
  const goroot = execFileSync(GO, ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  cpSync(join(goroot, 'src/cmd/vendor/golang.org/x/mod'), join(work, 'src/golang.org/x/mod'), {
    recursive: true,
  });
  const dir = join(work, 'src/oracle');
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'main.go'),
    `package main

import (
	"encoding/json"
	"os"

	"golang.org/x/mod/module"
)

func main() {
	var pairs [][2]string
	if err := json.NewDecoder(os.Stdin).Decode(&pairs); err != nil {
		panic(err)
	}
	results := []bool{}
	for _, p := range pairs {
		results = append(results, module.MatchPrefixPatterns(p[0], p[1]))
	}
	json.NewEncoder(os.Stdout).Encode(results)
}
`,
  );
  const output = execFileSync(GO, ['run', '.'], {
    cwd: dir,
    input: JSON.stringify(pairs),
    encoding: 'utf8',
    env: { ...process.env, GO111MODULE: 'off', GOPATH: work, GOTOOLCHAIN: 'local', GOFLAGS: '' },
  });
  return JSON.parse(output) as boolean[];
}
