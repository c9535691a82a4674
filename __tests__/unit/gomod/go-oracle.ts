// Oracles for the gomod tests: small Go programs run against the real golang.org/x/mod, from the
// copy vendored in GOROOT (src/cmd/vendor), in GOPATH mode since there is no network to fetch the
// module from.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GO_BIN } from '../../support/go-bin.js';

export const GO = GO_BIN;

export interface GoOracleOptions {
  /** Written to the program's stdin as JSON. */
  input?: unknown;
  /** Command-line arguments for the program. */
  args?: string[];
}

/**
 * Builds and runs `mainGo`, the source of a `package main` that may import golang.org/x/mod
 * packages, and parses what it prints to stdout as JSON.
 */
export function runGoOracle<T>(mainGo: string, { input, args = [] }: GoOracleOptions = {}): T {
  const gopath = mkdtempSync(join(tmpdir(), 'gomod-oracle-'));
  try {
    const goroot = execFileSync(GO, ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
    cpSync(join(goroot, 'src/cmd/vendor/golang.org/x/mod'), join(gopath, 'src/golang.org/x/mod'), {
      recursive: true,
    });
    const dir = join(gopath, 'src/oracle');
    mkdirSync(dir);
    writeFileSync(join(dir, 'main.go'), mainGo);
    const output = execFileSync(GO, ['run', '.', ...args], {
      cwd: dir,
      input: input === undefined ? undefined : JSON.stringify(input),
      encoding: 'utf8',
      env: {
        ...process.env,
        GO111MODULE: 'off',
        GOPATH: gopath,
        GOTOOLCHAIN: 'local',
        GOFLAGS: '',
      },
    });
    return JSON.parse(output) as T;
  } finally {
    rmSync(gopath, { recursive: true, force: true });
  }
}

/**
 * Calls `pkg.fn(a, b)` from golang.org/x/mod/`pkg` on each pair of strings and returns the
 * results in order; for example `runGoPairOracle('module', 'MatchPrefixPatterns', pairs)`.
 */
export function runGoPairOracle<T>(pkg: string, fn: string, pairs: [string, string][]): T[] {
  const name = pkg.slice(pkg.lastIndexOf('/') + 1);
  return runGoOracle<T[]>(
    `package main

import (
	"encoding/json"
	"os"

	"golang.org/x/mod/${pkg}"
)

func main() {
	var pairs [][2]string
	if err := json.NewDecoder(os.Stdin).Decode(&pairs); err != nil {
		panic(err)
	}
	results := []any{}
	for _, p := range pairs {
		results = append(results, ${name}.${fn}(p[0], p[1]))
	}
	json.NewEncoder(os.Stdout).Encode(results)
}
`,
    { input: pairs },
  );
}

/** What dirhash.HashZip returned for one zip: its sum, or the error it failed with. */
export interface HashZipResult {
  sum?: string;
  error?: string;
}

/** Runs golang.org/x/mod/sumdb/dirhash.HashZip on each zip. */
export function runHashZipOracle(zips: Buffer[]): HashZipResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'gomod-hashzip-'));
  try {
    const paths = zips.map((zip, i) => {
      const path = join(dir, `${i}.zip`);
      writeFileSync(path, zip);
      return path;
    });
    return runGoOracle<HashZipResult[]>(
      `package main

import (
	"encoding/json"
	"os"

	"golang.org/x/mod/sumdb/dirhash"
)

type result struct {
	Sum   string \`json:"sum,omitempty"\`
	Error string \`json:"error,omitempty"\`
}

func main() {
	results := []result{}
	for _, path := range os.Args[1:] {
		sum, err := dirhash.HashZip(path, dirhash.Hash1)
		if err != nil {
			results = append(results, result{Error: err.Error()})
		} else {
			results = append(results, result{Sum: sum})
		}
	}
	json.NewEncoder(os.Stdout).Encode(results)
}
`,
      { args: paths },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
