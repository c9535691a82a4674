import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  isIndirectComment,
  ModFileSyntaxError,
  parseGoMod,
  parseModRequirements,
  parseModStatements,
  unquoteModToken,
} from '../../../src/gomod/modfile.js';
import { GO, runGoOracle } from './go-oracle.js';

describe('parseModStatements', () => {
  it('reads single lines, blocks, empty blocks and comments, with line numbers', () => {
    const text = [
      '// a file comment',
      'module example.com/app',
      '',
      'go 1.24',
      'require example.com/a v1.0.0 // indirect',
      'require (',
      '\t// about b',
      '\texample.com/b v1.2.3',
      '',
      '\texample.com/c v0.0.0-20240101000000-abcdefabcdef // indirect; used by tests',
      ')',
      'exclude ()',
      'tool (',
      ')',
      'replace example.com/a => ../a',
    ].join('\n');
    expect(parseModStatements(text)).toEqual([
      { verb: 'module', args: ['example.com/app'], line: 2 },
      { verb: 'go', args: ['1.24'], line: 4 },
      { verb: 'require', args: ['example.com/a', 'v1.0.0'], line: 5, comment: ' indirect' },
      { verb: 'require', args: ['example.com/b', 'v1.2.3'], line: 8 },
      {
        verb: 'require',
        args: ['example.com/c', 'v0.0.0-20240101000000-abcdefabcdef'],
        line: 10,
        comment: ' indirect; used by tests',
      },
      { verb: 'replace', args: ['example.com/a', '=>', '../a'], line: 15 },
    ]);
  });

  it('ends a token at //, takes CRLF line ends, and keeps quoted strings whole', () => {
    const text = 'require example.com/a v1.0.0//indirect\r\nrequire "example.com/b c" v1.0.0\r\n';
    expect(parseModStatements(text)).toEqual([
      { verb: 'require', args: ['example.com/a', 'v1.0.0'], line: 1, comment: 'indirect' },
      { verb: 'require', args: ['"example.com/b c"', 'v1.0.0'], line: 2 },
    ]);
  });

  it('treats ( ) in the middle of a line as tokens, not as a block', () => {
    expect(parseModStatements('retract ( ) x\n')).toEqual([
      { verb: 'retract', args: ['(', ')', 'x'], line: 1 },
    ]);
  });

  it.each([
    ['an unterminated block', 'module m\nrequire (\n\texample.com/a v1.0.0\n', 4],
    ['text after a closing paren', 'require (\n\texample.com/a v1.0.0\n) x\n', 3],
    ['a block comment', 'module m\n/* no */\n', 2],
    ['a block header of two words', 'require example.com/a (\n)\n', 1],
    ['a string across lines', 'module "m\n"\n', 1],
    ['a control character', 'module m\x01\n', 1],
  ])('refuses %s, naming the file and line', (_what, text, line) => {
    let error: unknown;
    try {
      parseModStatements(text, 'app/go.mod');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ModFileSyntaxError);
    expect((error as ModFileSyntaxError).message).toMatch(new RegExp(`^app/go\\.mod:${line}: `));
  });
});

describe('go.mod tokens', () => {
  it('unquotes double-quoted strings and refuses other quotes', () => {
    expect(unquoteModToken('example.com/a')).toBe('example.com/a');
    expect(unquoteModToken('"example.com/a b"')).toBe('example.com/a b');
    expect(unquoteModToken('"a\\"b"')).toBe('a"b');
    expect(unquoteModToken("'example.com/a'")).toBeUndefined();
    expect(unquoteModToken('`example.com/a`')).toBeUndefined();
    expect(unquoteModToken('"unterminated')).toBeUndefined();
  });

  it('knows the indirect comment as go mod tidy writes it', () => {
    expect(isIndirectComment(' indirect')).toBe(true);
    expect(isIndirectComment('indirect')).toBe(true);
    expect(isIndirectComment(' indirect; for tests')).toBe(true);
    expect(isIndirectComment(' indirectly')).toBe(false);
    expect(isIndirectComment(' not indirect')).toBe(false);
    expect(isIndirectComment(undefined)).toBe(false);
  });
});

describe('parseModRequirements', () => {
  it('reads require, replace and tool directives in both forms, with the lines they came from', () => {
    const text = [
      'module example.com/app',
      'require example.com/a v1.0.0',
      'require (',
      '\texample.com/b v1.2.3 // indirect',
      ')',
      'replace (',
      '\texample.com/a v1.0.0 => example.com/fork v1.0.1',
      '\texample.com/b => ./b',
      ')',
      'tool example.com/a/cmd/a',
      'tool (',
      '\texample.com/b/cmd/b',
      ')',
    ].join('\n');
    expect(parseModRequirements(text)).toEqual({
      requires: [
        {
          path: 'example.com/a',
          version: 'v1.0.0',
          indirect: false,
          at: { line: 2, text: 'require example.com/a v1.0.0' },
        },
        {
          path: 'example.com/b',
          version: 'v1.2.3',
          indirect: true,
          at: { line: 4, text: 'require example.com/b v1.2.3 // indirect' },
        },
      ],
      replaces: [
        {
          oldPath: 'example.com/a',
          oldVersion: 'v1.0.0',
          newPath: 'example.com/fork',
          newVersion: 'v1.0.1',
          at: { line: 7, text: 'replace example.com/a v1.0.0 => example.com/fork v1.0.1' },
        },
        {
          oldPath: 'example.com/b',
          oldVersion: undefined,
          newPath: './b',
          newVersion: undefined,
          at: { line: 8, text: 'replace example.com/b => ./b' },
        },
      ],
      tools: [
        { path: 'example.com/a/cmd/a', at: { line: 10, text: 'tool example.com/a/cmd/a' } },
        { path: 'example.com/b/cmd/b', at: { line: 12, text: 'tool example.com/b/cmd/b' } },
      ],
    });
  });

  it.each([
    ['require example.com/a\n', /^go\.mod:1: require example\.com\/a: usage: require/],
    ['require (\n\texample.com/a v1 v2\n)\n', /^go\.mod:2: require example\.com\/a v1 v2: usage/],
    ['tool a b\n', /^go\.mod:1: tool a b: tool directive expects exactly one argument/],
    ['replace a => \n', /^go\.mod:1: replace a =>: usage: replace/],
    ["require 'a' v1.0.0\n", /^go\.mod:1: .*: invalid quoted string/],
  ])('refuses a malformed directive: %j', (text, message) => {
    expect(() => parseModRequirements(text)).toThrow(message);
  });
});

// The same go.mod texts through golang.org/x/mod/modfile as vendored in GOROOT: the reading here
// must agree with the go command's on every directive it looks at.
const goroot = execFileSync(GO, ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
const modfileKnowsTools = readFileSync(
  join(goroot, 'src/cmd/vendor/golang.org/x/mod/modfile/rule.go'),
  'utf8',
).includes('type Tool struct');

interface OracleResult {
  error?: string;
  require?: { path: string; version: string; indirect: boolean }[];
  replace?: { oldPath: string; oldVersion: string; newPath: string; newVersion: string }[];
  tool?: string[];
}

function modfileOracle(texts: string[]): OracleResult[] {
  return runGoOracle<OracleResult[]>(
    `package main

import (
	"encoding/json"
	"os"

	"golang.org/x/mod/modfile"
)

type require struct {
	Path     string \`json:"path"\`
	Version  string \`json:"version"\`
	Indirect bool   \`json:"indirect"\`
}

type replace struct {
	OldPath    string \`json:"oldPath"\`
	OldVersion string \`json:"oldVersion"\`
	NewPath    string \`json:"newPath"\`
	NewVersion string \`json:"newVersion"\`
}

type result struct {
	Error   string    \`json:"error,omitempty"\`
	Require []require \`json:"require,omitempty"\`
	Replace []replace \`json:"replace,omitempty"\`
	Tool    []string  \`json:"tool,omitempty"\`
}

func main() {
	var texts []string
	if err := json.NewDecoder(os.Stdin).Decode(&texts); err != nil {
		panic(err)
	}
	results := []result{}
	for _, text := range texts {
		f, err := modfile.Parse("go.mod", []byte(text), nil)
		if err != nil {
			results = append(results, result{Error: err.Error()})
			continue
		}
		var r result
		for _, x := range f.Require {
			r.Require = append(r.Require, require{x.Mod.Path, x.Mod.Version, x.Indirect})
		}
		for _, x := range f.Replace {
			r.Replace = append(r.Replace, replace{x.Old.Path, x.Old.Version, x.New.Path, x.New.Version})
		}
		${modfileKnowsTools ? 'for _, x := range f.Tool {\n\t\t\tr.Tool = append(r.Tool, x.Path)\n\t\t}' : ''}
		results = append(results, r)
	}
	json.NewEncoder(os.Stdout).Encode(results)
}
`,
    { input: texts },
  );
}

function ours(text: string): OracleResult {
  try {
    const r = parseModRequirements(text);
    const result: OracleResult = {};
    if (r.requires.length) {
      result.require = r.requires.map(({ path, version, indirect }) => ({
        path,
        version,
        indirect,
      }));
    }
    if (r.replaces.length) {
      result.replace = r.replaces.map((x) => ({
        oldPath: x.oldPath,
        oldVersion: x.oldVersion ?? '',
        newPath: x.newPath,
        newVersion: x.newVersion ?? '',
      }));
    }
    if (r.tools.length) result.tool = r.tools.map((t) => t.path);
    return result;
  } catch (err) {
    return { error: (err as Error).message };
  }
}

const AGREE = [
  'module m\n\ngo 1.21\n\nrequire example.com/a v1.0.0\n',
  'module m\nrequire (\n\texample.com/a v1.0.0 // indirect\n\texample.com/b/v2 v2.3.4-rc.1\n)\nrequire example.com/c v0.0.0-20240101000000-abcdefabcdef //indirect\n',
  'module m\nrequire (\n\t// leading comment\n\texample.com/a v1.0.0 // indirect; kept\n\n\texample.com/d v4.0.0+incompatible\n)\n',
  'module m\r\nrequire "example.com/q" v1.0.0\r\n',
  'module m\nrequire example.com/a v1.0.0//indirect\n',
  'module m\nrequire example.com/a v1.0.0 // not indirect\n',
  'module m\nrequire ()\nrequire (\n)\n',
  'module m\nreplace example.com/a v1.0.0 => example.com/b v1.1.0\nreplace (\n\texample.com/c => ../c\n\t"example.com/d" => example.com/d v1.2.0\n)\n',
  '// only comments\n// here\n',
];

const AGREE_WITH_TOOLS = [
  'module m\n\ngo 1.24\n\ntool example.com/a/cmd/a\n\nrequire example.com/a v1.0.0\n',
  'module m\ngo 1.24\ntool (\n\texample.com/a/cmd/a // why\n\t"example.com/b/cmd/b"\n)\ntool ()\n',
];

// modfile refuses these, and so must the reading here.
const REFUSE = [
  'module m\nrequire (\n\texample.com/a v1.0.0\n',
  'module m\nrequire example.com/a\n',
  'module m\nreplace example.com/a v1.0.0 => \n',
  'module m\n/* c */\n',
  "module m\nrequire 'example.com/a' v1.0.0\n",
  'module m\nrequire (\n\texample.com/a v1.0.0\n) extra\n',
];

describe('parseModRequirements against golang.org/x/mod/modfile', () => {
  it('reads require and replace directives as modfile does', () => {
    expect(AGREE.map(ours)).toEqual(modfileOracle(AGREE));
  });

  (modfileKnowsTools ? it : it.skip)(
    `reads tool directives as modfile does (needs the Go 1.24+ modfile; ${GO})`,
    () => {
      expect(AGREE_WITH_TOOLS.map(ours)).toEqual(modfileOracle(AGREE_WITH_TOOLS));
    },
  );

  it('refuses what modfile refuses, at the same line', () => {
    const line = (r: OracleResult) => /^go\.mod:(\d+)/.exec(r.error ?? '')?.[1] ?? 'no error';
    expect(REFUSE.map(ours).map(line)).toEqual(modfileOracle(REFUSE).map(line));
  });
});

interface GoModParsed {
  module?: string;
  go?: string;
  require: { path: string; version: string; indirect: boolean }[];
  replace: number;
  exclude: number;
}

// golang.org/x/mod/modfile.Parse on each text, reduced to what parseGoMod reports.
const GO_MOD_ORACLE = `package main

import (
	"encoding/json"
	"os"

	"golang.org/x/mod/modfile"
)

type req struct {
	Path     string \`json:"path"\`
	Version  string \`json:"version"\`
	Indirect bool   \`json:"indirect"\`
}

type parsed struct {
	Module  string \`json:"module,omitempty"\`
	Go      string \`json:"go,omitempty"\`
	Require []req  \`json:"require"\`
	Replace int    \`json:"replace"\`
	Exclude int    \`json:"exclude"\`
}

func main() {
	var texts []string
	if err := json.NewDecoder(os.Stdin).Decode(&texts); err != nil {
		panic(err)
	}
	out := []parsed{}
	for _, text := range texts {
		f, err := modfile.Parse("go.mod", []byte(text), nil)
		if err != nil {
			panic(err)
		}
		p := parsed{Require: []req{}, Replace: len(f.Replace), Exclude: len(f.Exclude)}
		if f.Module != nil {
			p.Module = f.Module.Mod.Path
		}
		if f.Go != nil {
			p.Go = f.Go.Version
		}
		for _, r := range f.Require {
			p.Require = append(p.Require, req{r.Mod.Path, r.Mod.Version, r.Indirect})
		}
		out = append(out, p)
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
`;

const goModTexts = [
  `module golang.org/x/vuln

go 1.25.0

require (
	github.com/google/go-cmdtest v0.4.1-0.20220921163831-55ab3332a786
	golang.org/x/tools/go/packages/packagestest v0.1.1-deprecated
)

require (
	github.com/google/renameio v0.1.0 // indirect
	golang.org/x/tools/go/expect v0.1.1-deprecated // indirect
)
`,
  'module github.com/google/go-cmdtest\n\ngo 1.12\n\nrequire github.com/google/go-cmp v0.3.1\n',
  `// A comment before the module line.
module "example.com/quoted"

go 1.21rc1
toolchain go1.26.0

require (
	example.com/a v1.0.0 // indirect; kept for the tests
	example.com/b v1.2.3 // not indirect
	"example.com/c" v0.0.1 //indirect
	example.com/d v2.0.0+incompatible
)
require example.com/e v1.0.0 // indirect

replace example.com/a => ../a
replace (
	example.com/b v1.2.3 => example.com/b2 v1.2.4
)
exclude example.com/c v0.0.2
retract v0.1.0 // broken
`,
  'module example.com/empty\r\n\r\ngo 1.22\r\n',
];

describe('parseGoMod', () => {
  it('reads what golang.org/x/mod/modfile reads', () => {
    const ours = goModTexts.map((t): GoModParsed => {
      const f = parseGoMod(t);
      return {
        ...(f.module === undefined ? {} : { module: f.module }),
        ...(f.go === undefined ? {} : { go: f.go }),
        require: f.require,
        replace: f.replace.length,
        exclude: f.exclude.length,
      };
    });
    expect(ours).toEqual(runGoOracle<GoModParsed[]>(GO_MOD_ORACLE, { input: goModTexts }));
  });

  it('keeps replace and exclude lines as written, for error messages', () => {
    const f = parseGoMod(goModTexts[2]);
    expect(f.replace).toEqual([
      'replace example.com/a => ../a',
      'replace example.com/b v1.2.3 => example.com/b2 v1.2.4',
    ]);
    expect(f.exclude).toEqual(['exclude example.com/c v0.0.2']);
  });

  it.each([
    ['module a\ngo 1.x\n', "vuln/go.mod:2: invalid go version '1.x': must match format 1.23.0"],
    [
      'module a\nrequire example.com/a\n',
      'vuln/go.mod:2: require example.com/a: usage: require module/path v1.2.3',
    ],
    [
      'module a\nrequire (\n\texample.com/a v1.0.0\n',
      'vuln/go.mod:4: syntax error (unterminated require block started at line 2)',
    ],
    ['module "a\n', 'vuln/go.mod:1: unexpected newline in string'],
  ])('names the file and line of %j', (text, message) => {
    expect(() => parseGoMod(text, 'vuln/go.mod')).toThrow(message);
  });
});
