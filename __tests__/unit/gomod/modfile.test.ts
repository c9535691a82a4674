import { describe, expect, it } from '@jest/globals';
import { parseGoMod } from '../../../src/gomod/modfile.js';
import { runGoOracle } from './go-oracle.js';

interface Parsed {
  module?: string;
  go?: string;
  require: { path: string; version: string; indirect: boolean }[];
  replace: number;
  exclude: number;
}

// golang.org/x/mod/modfile.Parse on each text, reduced to what parseGoMod reports.
const MODFILE_ORACLE = `package main

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

const texts = [
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
    const ours = texts.map((t): Parsed => {
      const f = parseGoMod(t);
      return {
        ...(f.module === undefined ? {} : { module: f.module }),
        ...(f.go === undefined ? {} : { go: f.go }),
        require: f.require,
        replace: f.replace.length,
        exclude: f.exclude.length,
      };
    });
    expect(ours).toEqual(runGoOracle<Parsed[]>(MODFILE_ORACLE, { input: texts }));
  });

  it('keeps replace and exclude lines as written, for error messages', () => {
    const f = parseGoMod(texts[2]);
    expect(f.replace).toEqual([
      'replace example.com/a => ../a',
      'replace example.com/b v1.2.3 => example.com/b2 v1.2.4',
    ]);
    expect(f.exclude).toEqual(['exclude example.com/c v0.0.2']);
  });

  it.each([
    ['module a\ngo 1.x\n', "vuln/go.mod:2: invalid go version '1.x': must match format 1.23.0"],
    ['module a\nrequire example.com/a\n', 'vuln/go.mod:2: usage: require module/path v1.2.3'],
    [
      'module a\nrequire (\n\texample.com/a v1.0.0\n',
      'vuln/go.mod: the require ( block is never closed',
    ],
    ['module "a\n', 'vuln/go.mod:1: unterminated quoted string'],
  ])('names the file and line of %j', (text, message) => {
    expect(() => parseGoMod(text, 'vuln/go.mod')).toThrow(message);
  });
});
