import { describe, expect, it } from '@jest/globals';
import { checkGoSumLines, parseGoSum, withVouchedSums } from '../../../src/gomod/gosum.js';
import { checkModulePath, checkModuleVersion } from '../../../src/gomod/module-check.js';
import { runGoOracle } from './go-oracle.js';

const PATHS = [
  'golang.org/x/mod',
  'github.com/Azure/azure-sdk-for-go/v68',
  'gopkg.in/yaml.v3',
  'gopkg.in/yaml',
  'gopkg.in/check.v01',
  'example.com/a/v1',
  'example.com/a/v0',
  'example.com/a/v2.1',
  'example.com/a/v02',
  'example.com/~user/x',
  'example.com/x~1',
  '../../../outside',
  '..',
  'example.com/../victim',
  'example.com/./x',
  'example.com//x',
  'example.com/x/',
  '/abs.com/x',
  '-dash.com/x',
  'nodot/x',
  'Upper.com/x',
  'example.com/a b',
  'example.com/a\\b',
  'example.com/.hidden',
  'example.com/trailing.',
  'example.com/con',
  'example.com/LPT1.txt',
  'example.com/ünïcode',
  'example.com/a+b',
  'example.com/a_b-c.d~e',
];

describe('checkModulePath', () => {
  it("agrees with golang.org/x/mod's module.CheckPath on good and hostile paths", () => {
    const go = runGoOracle<boolean[]>(
      `package main

import (
	"encoding/json"
	"os"

	"golang.org/x/mod/module"
)

func main() {
	var in []string
	json.NewDecoder(os.Stdin).Decode(&in)
	out := []bool{}
	for _, p := range in {
		out = append(out, module.CheckPath(p) == nil)
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
`,
      { input: PATHS },
    );
    const ours = PATHS.map((p) => checkModulePath(p) === undefined);
    expect(Object.fromEntries(PATHS.map((p, i) => [p, ours[i]]))).toEqual(
      Object.fromEntries(PATHS.map((p, i) => [p, go[i]])),
    );
    expect(go.filter(Boolean).length).toBeGreaterThanOrEqual(5);
  });
});

describe('checkModuleVersion', () => {
  it.each(['v1.2.3', 'v0.0.0-20240101000000-abcdef123456', 'v2.0.0+incompatible', 'v1.0.0-rc.1'])(
    'takes %s',
    (v) => expect(checkModuleVersion(v)).toBeUndefined(),
  );
  it.each(['v1.2', '1.2.3', 'v1.2.3/../../x', '../victim', 'v1.2.3+meta', 'v1.0.0-01', ''])(
    'refuses %s',
    (v) => expect(checkModuleVersion(v)).toBeDefined(),
  );
});

describe('checkGoSumLines', () => {
  it('keeps lines Go could have written and names the others', () => {
    const lines = parseGoSum(
      [
        'golang.org/x/mod v0.20.0 h1:AAAA=',
        'golang.org/x/mod v0.20.0/go.mod h1:BBBB=',
        '../../../outside ../victim/go.mod h1:CCCC=',
        'example.com/x ../../victim h1:DDDD=',
      ].join('\n'),
    );
    const { valid, rejected } = checkGoSumLines(lines);
    expect(valid.map((l) => `${l.module} ${l.version} ${l.kind}`)).toEqual([
      'golang.org/x/mod v0.20.0 zip',
      'golang.org/x/mod v0.20.0 mod',
    ]);
    expect(rejected).toEqual([
      '"../../../outside ../victim/go.mod": invalid path element ".."',
      '"example.com/x ../../victim": not a canonical semantic version',
    ]);
  });
});

describe('withVouchedSums', () => {
  it("adds a tool's module versions, keeping the project's hashes where both name one", () => {
    const project = [{ module: 'golang.org/x/mod', version: 'v0.20.0', zipHash: 'h1:P=' }];
    const merged = withVouchedSums(project, [
      'golang.org/x/mod v0.20.0 h1:OTHER=',
      'golang.org/x/mod v0.20.0/go.mod h1:M=',
      'golang.org/x/vuln v1.1.4 h1:V=',
      '../../outside v1.0.0 h1:X=',
    ]);
    expect(merged).toEqual([
      { module: 'golang.org/x/mod', version: 'v0.20.0', zipHash: 'h1:P=', modHash: 'h1:M=' },
      { module: 'golang.org/x/vuln', version: 'v1.1.4', zipHash: 'h1:V=' },
    ]);
    expect(withVouchedSums(project, [])).toEqual(project);
  });
});
