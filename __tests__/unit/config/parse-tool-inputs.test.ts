import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../../src/config/input-error.js';
import type { RawInputs } from '../../../src/config/inputs.js';
import { parseInputs } from '../../../src/config/parse-inputs.js';
import { defaults, parse, problemsOf } from './parse-helpers.js';

describe('parseInputs: tools', () => {
  const bad: [string, Partial<RawInputs>, string][] = [
    [
      'golangci-lint range',
      { 'golangci-lint-version': 'latest' },
      'golangci-lint-version: "latest" is not a release version; pin one such as v2.4.0, or write go.mod to take the one the project\'s go.mod requires (ranges and "latest" cannot be verified)',
    ],
    [
      'golangci-lint checksum that is not a sha256',
      { 'golangci-lint-version': 'v9.9.9', 'golangci-lint-checksum': 'abc123' },
      'golangci-lint-checksum: "abc123" is not a sha256; expected 64 hex digits, as in the release\'s checksums.txt',
    ],
    [
      'golangci-lint checksum without a version',
      { 'golangci-lint-checksum': 'a'.repeat(64) },
      'golangci-lint-checksum: set without golangci-lint-version; say which version it is the checksum of',
    ],
    [
      'govulncheck version without a pin',
      { 'govulncheck-version': 'v1.0.0' },
      'govulncheck-version: "v1.0.0" has no pinned go.mod and go.sum in this action, so it cannot be built verifiably; use one of v1.6.0, v1.5.0, v1.4.0, v1.3.0, v1.2.0, v1.1.4, v1.1.3, latest, or go.mod to build the version the project\'s go.mod requires',
    ],
    [
      'no tool mirror',
      { 'tool-mirrors': ' \n' },
      'tool-mirrors: at least one base URL is required (default: https://github.com/golangci/golangci-lint/releases/download)',
    ],
    [
      'malformed tool mirror',
      { 'tool-mirrors': 'releases.corp.example' },
      'tool-mirrors: "releases.corp.example" is not a valid URL; expected e.g. https://github.com/golangci/golangci-lint/releases/download',
    ],
  ];
  it.each(bad)('rejects %s with an actionable message', (_name, inputs, message) => {
    expect(problemsOf(inputs)).toEqual([message]);
  });

  it('installs no tool unless a version is asked for', () => {
    const c = parse({});
    expect(c.golangciLint).toBeUndefined();
    expect(c.govulncheck).toBeUndefined();
    expect(c.toolMirrors.map((m) => m.url)).toEqual([
      'https://github.com/golangci/golangci-lint/releases/download',
    ]);
  });

  it('takes a known golangci-lint checksum from the table, and a given one over it', () => {
    const table = parse({ 'golangci-lint-version': 'v2.4.0' }).golangciLint;
    expect(table?.version).toBe('2.4.0');
    expect(table?.sha256From).toBe('known checksums');
    expect(table?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const given = parse({
      'golangci-lint-version': '2.4.0',
      'golangci-lint-checksum': `sha256:${'AB'.repeat(32)}`,
    }).golangciLint;
    expect(given).toEqual({
      version: '2.4.0',
      sha256: 'ab'.repeat(32),
      sha256From: 'golangci-lint-checksum',
    });
  });

  it('refuses an unknown golangci-lint version without a checksum, saying how to pass one', () => {
    const [problem] = problemsOf({ 'golangci-lint-version': 'v9.9.9' });
    expect(problem).toMatch(/^golangci-lint-version: "v9\.9\.9" has no known sha256 for \w+-\w+/);
    expect(problem).toContain("Pass the archive's sha256 as golangci-lint-checksum");
    expect(problem).toContain(
      'https://github.com/golangci/golangci-lint/releases/download/v9.9.9/golangci-lint-9.9.9-checksums.txt',
    );
  });

  describe('golangci-lint-version: go.mod', () => {
    const LINT = 'github.com/golangci/golangci-lint/v2';
    const platform = `${process.platform === 'win32' ? 'windows' : process.platform}`;
    const goMod = (...lines: string[]) =>
      ['module example.com/app', '', 'go 1.24', ...lines, ''].join('\n');

    /** parseConfig over a workspace /ws holding these files (directories are implied). */
    function withFiles(files: Record<string, string>, overrides: Partial<RawInputs>) {
      const dirs = new Set(['/ws']);
      for (const f of Object.keys(files)) {
        for (
          let d = f.slice(0, f.lastIndexOf('/'));
          d.length > 3;
          d = d.slice(0, d.lastIndexOf('/'))
        ) {
          dirs.add(d);
        }
      }
      return parseInputs(
        { ...defaults, 'golangci-lint-version': 'go.mod', ...overrides },
        '/ws',
        (p) => (dirs.has(p) ? 'directory' : p in files ? 'file' : 'missing'),
        (p) => files[p],
      );
    }

    function problemsWith(files: Record<string, string>, overrides: Partial<RawInputs> = {}) {
      try {
        withFiles(files, overrides);
      } catch (err) {
        expect(err).toBeInstanceOf(InputError);
        return (err as InputError).problems;
      }
      throw new Error('expected an InputError');
    }

    it("installs the release the working directory's go.mod pins, verified by the table", () => {
      const c = withFiles(
        { '/ws/app/go.mod': goMod(`tool ${LINT}/cmd/golangci-lint`, '', `require ${LINT} v2.4.0`) },
        { 'working-directory': 'app' },
      );
      expect(c.golangciLint).toEqual({
        version: '2.4.0',
        versionFrom: { file: 'app/go.mod', line: `app/go.mod:6: require ${LINT} v2.4.0` },
        sha256: parse({ 'golangci-lint-version': 'v2.4.0' }).golangciLint!.sha256,
        sha256From: 'known checksums',
      });
    });

    it('reads the go.mod of the workspace root, and golangci-lint v1 from its own module path', () => {
      const c = withFiles(
        { '/ws/go.mod': goMod('require github.com/golangci/golangci-lint v1.64.8 // indirect') },
        {},
      );
      expect([c.golangciLint?.version, c.golangciLint?.versionFrom?.file]).toEqual([
        '1.64.8',
        'go.mod',
      ]);
    });

    it('names the missing go.mod', () => {
      expect(problemsWith({ '/ws/app/main.go': '' }, { 'working-directory': 'app' })).toEqual([
        'golangci-lint-version: go.mod: there is no app/go.mod; set working-directory to the module whose go.mod requires golangci-lint, or set golangci-lint-version to a release such as v2.4.0',
      ]);
    });

    it('reports only the working directory when it does not exist', () => {
      const problems = problemsWith({}, { 'working-directory': 'missing' });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^working-directory: "missing" does not exist/);
    });

    it('names the go.mod that does not pin golangci-lint, and how to add it', () => {
      expect(problemsWith({ '/ws/go.mod': goMod('require example.com/lib v1.0.0') })).toEqual([
        `golangci-lint-version: go.mod: go.mod has no tool directive for ${LINT}/cmd/golangci-lint and no require line for ${LINT}; ` +
          `add it with \`go get -tool ${LINT}/cmd/golangci-lint@v2.4.0\` (Go 1.24+; \`go get ${LINT}@v2.4.0\` before), or set golangci-lint-version to a release such as v2.4.0`,
      ]);
    });

    it('names the go.mod line of a tool directive without its require line', () => {
      expect(problemsWith({ '/ws/go.mod': goMod(`tool ${LINT}/cmd/golangci-lint`) })).toEqual([
        `golangci-lint-version: go.mod: go.mod:4: tool ${LINT}/cmd/golangci-lint: no require line for ${LINT}, the module that provides it; run \`go mod tidy\` to add it`,
      ]);
    });

    it('refuses a version go.mod pins that is not a release', () => {
      expect(problemsWith({ '/ws/go.mod': goMod(`require ${LINT} v2.5.0-rc.1`) })).toEqual([
        `golangci-lint-version: go.mod: go.mod:4: require ${LINT} v2.5.0-rc.1: v2.5.0-rc.1 is not a release, and only releases publish the archives this action installs; require a release such as v2.4.0, or set golangci-lint-version to one`,
      ]);
    });

    it('takes a replace by the same module into account, and refuses a fork', () => {
      const bumped = withFiles(
        { '/ws/go.mod': goMod(`require ${LINT} v2.4.0`, `replace ${LINT} => ${LINT} v2.10.1`) },
        {},
      );
      expect(bumped.golangciLint?.version).toBe('2.10.1');
      expect(bumped.golangciLint?.versionFrom?.line).toBe(
        `go.mod:5: replace ${LINT} => ${LINT} v2.10.1`,
      );
      expect(
        problemsWith({
          '/ws/go.mod': goMod(
            `require ${LINT} v2.4.0`,
            `replace ${LINT} => example.com/fork/v2 v2.4.0`,
          ),
        }),
      ).toEqual([
        `golangci-lint-version: go.mod: go.mod:5: replace ${LINT} => example.com/fork/v2 v2.4.0: the project builds golangci-lint from example.com/fork/v2@v2.4.0, not from the ${LINT} release whose archive would be installed; set golangci-lint-version to the release to install`,
      ]);
    });

    it('refuses a pinned release the table does not know, naming it, the go.mod, the known versions and the checksum input', () => {
      const [problem, ...rest] = problemsWith({ '/ws/go.mod': goMod(`require ${LINT} v2.99.0`) });
      expect(rest).toEqual([]);
      expect(problem).toMatch(
        new RegExp(
          `^golangci-lint-version: go\\.mod: v2\\.99\\.0 \\(go\\.mod:4: require github\\.com/golangci/golangci-lint/v2 v2\\.99\\.0\\) has no known sha256 for ${platform}-\\w+, so it cannot be verified and is not installed\\. `,
        ),
      );
      expect(problem).toContain("Pass the archive's sha256 as golangci-lint-checksum");
      expect(problem).toContain('golangci-lint-2.99.0-checksums.txt');
      expect(problem).toMatch(/Versions this action can verify on its own: v2\.14\.0, .*v2\.4\.0/);
    });

    it('takes golangci-lint-checksum as the sha256 of the version go.mod pins', () => {
      const c = withFiles(
        { '/ws/go.mod': goMod(`require ${LINT} v2.99.0`) },
        { 'golangci-lint-checksum': 'c'.repeat(64) },
      );
      expect(c.golangciLint).toMatchObject({
        version: '2.99.0',
        sha256: 'c'.repeat(64),
        sha256From: 'golangci-lint-checksum',
      });
    });

    it('reports a go.mod it cannot read, and one it cannot parse, with the file', () => {
      const problems = (() => {
        try {
          parseInputs(
            { ...defaults, 'golangci-lint-version': 'go.mod' },
            '/ws',
            () => 'directory',
            () => {
              throw new Error('EACCES: permission denied');
            },
          );
        } catch (err) {
          return (err as InputError).problems;
        }
        return [];
      })();
      expect(problems).toEqual([
        'golangci-lint-version: go.mod: cannot read go.mod: EACCES: permission denied',
      ]);
      expect(problemsWith({ '/ws/go.mod': 'module m\nrequire (\n' })).toEqual([
        'golangci-lint-version: go.mod: go.mod:3: syntax error (unterminated require block started at line 2)',
      ]);
    });
  });

  describe('govulncheck-version: go.mod', () => {
    const VULN = 'golang.org/x/vuln';
    const goMod = (...lines: string[]) =>
      ['module example.com/app', '', 'go 1.24', ...lines, ''].join('\n');
    const withGoMod = (text: string | undefined, overrides: Partial<RawInputs> = {}) =>
      parseInputs(
        { ...defaults, 'govulncheck-version': 'go.mod', ...overrides },
        '/ws',
        (p) => (p === '/ws' || p === '/ws/app' ? 'directory' : 'missing'),
        (p) => (p === '/ws/app/go.mod' ? text : undefined),
      );
    const problemOf = (text: string | undefined) => {
      try {
        withGoMod(text, { 'working-directory': 'app' });
      } catch (err) {
        expect(err).toBeInstanceOf(InputError);
        return (err as InputError).problems;
      }
      throw new Error('expected an InputError');
    };

    it('builds in the module whose go.mod pins it, any module version, tool directive or not', () => {
      const c = withGoMod(goMod(`tool ${VULN}/cmd/govulncheck`, `require ${VULN} v1.9.0`), {
        'working-directory': 'app',
      });
      expect(c.govulncheck).toEqual({
        version: 'v1.9.0',
        fromGoMod: {
          dir: '/ws/app',
          file: 'app/go.mod',
          line: `app/go.mod:5: require ${VULN} v1.9.0`,
        },
      });
      const pseudo = 'v1.1.5-0.20250101000000-0123456789ab';
      expect(
        withGoMod(goMod(`require ${VULN} ${pseudo} // indirect`), { 'working-directory': 'app' })
          .govulncheck,
      ).toMatchObject({ version: pseudo });
    });

    it('follows a replace by a module version, and refuses a directory no go.sum checks', () => {
      expect(
        withGoMod(
          goMod(`require ${VULN} v1.1.4`, `replace ${VULN} => example.com/vulnfork v1.1.5`),
          {
            'working-directory': 'app',
          },
        ).govulncheck,
      ).toMatchObject({
        version: 'v1.1.4',
        fromGoMod: { replacedBy: 'example.com/vulnfork@v1.1.5' },
      });
      expect(problemOf(goMod(`require ${VULN} v1.1.4`, `replace ${VULN} => ../vuln`))).toEqual([
        `govulncheck-version: go.mod: app/go.mod:5: replace ${VULN} => ../vuln: the project builds ${VULN} from the directory ../vuln, which no go.sum line verifies; set govulncheck-version to a pinned release, or replace it by a module version`,
      ]);
    });

    it('names the go.mod that pins nothing, and the one that does not exist', () => {
      expect(problemOf(goMod('require example.com/lib v1.0.0'))).toEqual([
        `govulncheck-version: go.mod: app/go.mod has no tool directive for ${VULN}/cmd/govulncheck and no require line for ${VULN}; add it with \`go get -tool ${VULN}/cmd/govulncheck@v1.1.4\` (Go 1.24+; \`go get ${VULN}@v1.1.4\` before), or set govulncheck-version to a pinned release such as v1.1.4`,
      ]);
      expect(problemOf(undefined)).toEqual([
        `govulncheck-version: go.mod: there is no app/go.mod; set working-directory to the module whose go.mod requires ${VULN}, or set govulncheck-version to a pinned release such as v1.1.4`,
      ]);
    });
  });

  it('accepts pinned govulncheck versions with or without the v, and latest', () => {
    expect(parse({ 'govulncheck-version': '1.1.3' }).govulncheck).toMatchObject({
      version: 'v1.1.3',
    });
    expect(parse({ 'govulncheck-version': 'v1.1.4' }).govulncheck).toMatchObject({
      pin: { go: '1.22.0' },
    });
    expect(parse({ 'govulncheck-version': 'v1.6.0' }).govulncheck).toMatchObject({
      pin: { go: '1.25.0' },
    });
    // Which release that is waits for the installed Go.
    expect(parse({ 'govulncheck-version': ' latest ' }).govulncheck).toEqual({ latest: true });
    expect(parse({ 'govulncheck-version': 'Latest' }).govulncheck).toEqual({ latest: true });
  });

  it('masks tool mirror credentials and registers them as secrets', () => {
    const c = parse({ 'tool-mirrors': 'https://ci:t0ken@artifacts.corp.example/golangci' });
    expect(c.toolMirrors[0].display).toBe('https://***:***@artifacts.corp.example/golangci');
    expect(c.toolMirrors[0].requestUrl).toBe('https://artifacts.corp.example/golangci');
    expect(c.secrets).toEqual(expect.arrayContaining(['t0ken']));
  });
});
