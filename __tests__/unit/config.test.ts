import { describe, expect, it } from '@jest/globals';
import { InputError, parseConfig, type RawInputs } from '../../src/config.js';
import { DEFAULT_INPUTS } from './helpers.js';

const defaults = DEFAULT_INPUTS;

function parse(overrides: Partial<RawInputs>) {
  return parseConfig({ ...defaults, ...overrides }, '/ws', (p) =>
    p.endsWith('go.mod') ? 'file' : p.includes('missing') ? 'missing' : 'directory',
  );
}

function problemsOf(overrides: Partial<RawInputs>): string[] {
  try {
    parse(overrides);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as InputError).problems;
  }
  throw new Error('expected an InputError');
}

describe('parseConfig', () => {
  it('accepts the action.yml defaults', () => {
    const c = parse({});
    expect(c.mirrors.map((m) => m.url)).toEqual(['https://proxy.golang.org']);
    expect(c.direct).toBe(true);
    expect(c.probeTimeoutMs).toBe(5000);
    expect(c.prefetch).toBe(true);
    expect(c.workingDirectory).toBe('/ws');
    expect(c.cacheDependencyPath).toEqual(['**/go.sum']);
    expect(c.sumdb).toBe('auto');
  });

  it('splits lists on newlines and commas, and puts private mirrors first', () => {
    const c = parse({
      mirrors: 'https://a.example/, https://b.example/goproxy/\n\ndirect',
      'private-mirrors': 'https://athens.corp.example',
      private: 'corp.example/*\n,github.com/corp',
    });
    expect(c.mirrors.map((m) => [m.url, m.private])).toEqual([
      ['https://athens.corp.example', true],
      ['https://a.example', false],
      ['https://b.example/goproxy', false],
    ]);
    expect(c.goprivate).toBe('corp.example/*,github.com/corp');
  });

  it('keeps credentials for Go, masks them for people, and sends them as Basic auth', () => {
    const c = parse({ mirrors: 'https://bot:s3cr%40t@goproxy.corp.example/api' });
    const [m] = c.mirrors;
    expect(m.url).toBe('https://bot:s3cr%40t@goproxy.corp.example/api');
    expect(m.display).toBe('https://***:***@goproxy.corp.example/api');
    expect(m.requestUrl).toBe('https://goproxy.corp.example/api');
    expect(m.authorization).toBe(`Basic ${Buffer.from('bot:s3cr@t').toString('base64')}`);
    expect(c.secrets).toEqual(expect.arrayContaining(['bot:s3cr%40t', 's3cr%40t', 's3cr@t']));
  });

  describe('credentials a URL parser re-encodes', () => {
    it.each([
      // [as written, as exported in GOPROXY, as sent]
      ['ab+cd=Ef9', 'ab+cd%3DEf9', 'ab+cd=Ef9'],
      ['p@ss;1', 'p%40ss%3B1', 'p@ss;1'],
      ['50%25off', '50%25off', '50%off'],
      ['p%41ss', 'p%41ss', 'pAss'],
      ['pa%20ss', 'pa%20ss', 'pa ss'],
      // Go splits GOPROXY at "," and "|" before it parses a URL.
      ['a,b|c', 'a%2Cb%7Cc', 'a,b|c'],
    ])(
      '%s is exported as %s, sent as %s, and registered in every form',
      (written, exported, sent) => {
        const c = parse({ mirrors: `https://ci-bot:${written}@goproxy.corp.example\ndirect` });
        const [m] = c.mirrors;
        expect(c.mirrors).toHaveLength(1);
        expect(m.url).toBe(`https://ci-bot:${exported}@goproxy.corp.example`);
        expect(m.display).toBe('https://***:***@goproxy.corp.example');
        expect(m.authorization).toBe(`Basic ${Buffer.from(`ci-bot:${sent}`).toString('base64')}`);
        expect(c.secrets).toEqual(expect.arrayContaining([written, exported, sent]));
      },
    );

    it('registers a token standing as the user name, in every form', () => {
      const c = parse({ 'tool-mirrors': "https://t0k!'n=@artifacts.corp.example/golangci" });
      expect(c.toolMirrors[0].url).toBe("https://t0k!'n%3D@artifacts.corp.example/golangci");
      expect(c.secrets).toEqual(
        expect.arrayContaining(["t0k!'n=", "t0k!'n%3D", 't0k%21%27n='] /* Go's escaping */),
      );
    });

    it.each([
      [
        'a raw "/" in the password',
        'https://ci-bot:Qz7Kx/Wv3Rt@goproxy.corp.example',
        ['Qz7Kx', 'Wv3Rt'],
      ],
      ['a raw "/" in a token', 'https://Qz7Kx/Wv3Rt@goproxy.corp.example', ['Qz7Kx', 'Wv3Rt']],
      [
        'a raw "?" in the password',
        'https://ci-bot:Qz7Kx?Wv3Rt@goproxy.corp.example',
        ['Qz7Kx', 'Wv3Rt'],
      ],
    ])('refuses %s, naming the input and the value masked', (_what, url, parts) => {
      const problems = problemsOf({ 'private-mirrors': url });
      expect(problems).toEqual([
        expect.stringMatching(
          /^private-mirrors: "https:\/\/\*\*\*(:\*\*\*)?@goproxy\.corp\.example" has "\/", "\\", "\?" or "#" before its last "@": in credentials, percent-encode them/,
        ),
      ]);
      for (const part of parts) expect(problems.join('\n')).not.toContain(part);
    });

    it('refuses a "%" that starts no percent-escape, which Go cannot parse', () => {
      expect(problemsOf({ mirrors: 'https://ci-bot:50%off@goproxy.corp.example' })).toEqual([
        'mirrors: "https://***:***@goproxy.corp.example" has a "%" in its credentials that starts no percent-escape; write a literal "%" as %25',
      ]);
    });

    it('masks the whole of a URL that no parser takes, never part of its password', () => {
      const problems = problemsOf({ 'offline-bundle': 'https://u:Qz7Kx:Wv3Rt@[bad/b.tar.zst' });
      expect(problems.join('\n')).toContain('https://***:***@[bad/b.tar.zst');
      expect(problems.join('\n')).not.toMatch(/Qz7Kx|Wv3Rt/);
    });
  });

  it('resolves the working directory against the workspace', () => {
    expect(parse({ 'working-directory': 'services/api' }).workingDirectory).toBe(
      '/ws/services/api',
    );
  });

  it('accepts a file:// mirror (an offline bundle)', () => {
    expect(parse({ mirrors: 'file:///srv/goproxy' }).mirrors[0].requestUrl).toBe(
      'file:///srv/goproxy',
    );
  });

  const bad: [string, Partial<RawInputs>, string][] = [
    [
      'malformed URL',
      { mirrors: 'not a url' },
      'mirrors: "not a url" is not a valid URL; expected e.g. https://proxy.golang.org',
    ],
    [
      'unsupported scheme',
      { mirrors: 'ftp://mirror.example' },
      'mirrors: "ftp://mirror.example" uses the unsupported scheme "ftp:"; use https://, http:// or file://',
    ],
    [
      'direct not last',
      { mirrors: 'direct, https://a.example' },
      'mirrors: "direct" must be the last entry (Go ignores everything after it), but "https://a.example" follows it',
    ],
    [
      'off in the list',
      { mirrors: 'https://a.example, off' },
      'mirrors: "off" disables module downloads and cannot be part of a fallback chain; remove it',
    ],
    [
      'direct among private mirrors',
      { 'private-mirrors': 'direct' },
      'private-mirrors: "direct" is not allowed here; list it at the end of `mirrors` instead',
    ],
    ['empty mirrors', { mirrors: ' , \n' }, 'mirrors: at least one mirror or "direct" is required'],
    [
      'query string',
      { mirrors: 'https://a.example/?token=x' },
      'mirrors: "https://a.example/?token=x" must not contain a query string or fragment, because paths are appended to it',
    ],
    [
      'duplicate mirror',
      { mirrors: 'https://a.example\nhttps://a.example/' },
      'mirrors: "https://a.example" is listed more than once',
    ],
    [
      'non-numeric timeout',
      { 'probe-timeout': 'fast' },
      'probe-timeout: "fast" is not a number of seconds (e.g. 5)',
    ],
    [
      'zero timeout',
      { 'probe-timeout': '0' },
      'probe-timeout: "0" is out of range; use at least 0.1 and at most 300 seconds',
    ],
    [
      'a timeout that rounds to nothing',
      { 'probe-timeout': '0.0001' },
      'probe-timeout: "0.0001" is out of range; use at least 0.1 and at most 300 seconds',
    ],
    [
      'credentials over http',
      { mirrors: 'http://bot:pass@athens.corp.example' },
      'mirrors: "http://***:***@athens.corp.example" carries credentials over http, which would send them in clear; use https://',
    ],
    [
      'a private mirror with credentials over http',
      { 'private-mirrors': 'http://token@athens.corp.example' },
      'private-mirrors: "http://***@athens.corp.example" carries credentials over http, which would send them in clear; use https://',
    ],
    [
      'tool mirror credentials over http',
      { 'tool-mirrors': 'http://bot:pass@releases.corp.example' },
      'tool-mirrors: "http://***:***@releases.corp.example" carries credentials over http, which would send them in clear; use https://',
    ],
    [
      'a file URL without an absolute path',
      { mirrors: 'file:qproxy' },
      'mirrors: "file:qproxy" is not a file URL Go accepts; write file:// followed by an absolute path, e.g. file:///srv/goproxy',
    ],
    [
      'a duplicate that differs in case',
      { mirrors: 'https://a.example\nHTTPS://A.EXAMPLE/' },
      'mirrors: "https://a.example" is listed more than once',
    ],
    [
      'working-directory that is a file',
      { 'working-directory': 'go.mod' },
      'working-directory: "go.mod" is a file, not a directory (resolved to /ws/go.mod); give the directory that holds go.mod, relative to the workspace',
    ],
    [
      'working-directory that does not exist',
      { 'working-directory': 'missing' },
      'working-directory: "missing" does not exist (resolved to /ws/missing); give the directory that holds go.mod, relative to the workspace',
    ],
    ['boolean', { prefetch: 'yes' }, 'prefetch: "yes" is not a boolean; use true or false'],
    [
      'bad GOPRIVATE pattern',
      { private: 'corp.example/[abc' },
      expect.stringMatching(/^private: .*corp\.example\/\[abc/) as unknown as string,
    ],
    [
      'sumdb with a comma',
      { sumdb: 'sum.golang.org,off' },
      'sumdb: "sum.golang.org,off" is not a valid GOSUMDB value; use auto, a database name, name+key, or "name+key URL"',
    ],
    ['cache boolean', { cache: 'on' }, 'cache: "on" is not a boolean; use true or false'],
    [
      'save-cache boolean',
      { 'save-cache': '1' },
      'save-cache: "1" is not a boolean; use true or false',
    ],
    [
      'cache key prefix with a comma',
      { 'cache-key-prefix': 'go,mod' },
      'cache-key-prefix: "go,mod" may hold only letters, digits, ".", "_" and "-", at most 200 characters (cache keys cannot contain commas)',
    ],
    [
      'empty cache key prefix',
      { 'cache-key-prefix': ' ' },
      'cache-key-prefix: must not be empty (default: go-mod)',
    ],
    [
      'no dependency globs',
      { 'cache-dependency-path': '\n' },
      'cache-dependency-path: at least one glob is required (default: **/go.sum)',
    ],
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
      return parseConfig(
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
          parseConfig(
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
      parseConfig(
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

  it('masks credentials in error messages about the URL that carries them', () => {
    const problems = problemsOf({ mirrors: 'ftp://bot:hunter2@mirror.example' });
    expect(problems.join('\n')).not.toContain('hunter2');
    expect(problems[0]).toContain('ftp://***:***@mirror.example');
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({ 'probe-timeout': 'x', prefetch: 'maybe', mirrors: 'ftp://m' });
    expect(problems).toHaveLength(3);
  });

  it('keeps a build cache by default, and cache: false turns it off with the snapshot', () => {
    expect(parse({}).buildCache).toBe(true);
    expect(parse({ 'build-cache': 'false' }).buildCache).toBe(false);
    expect(parse({ 'build-cache': 'false' }).cache).toBe(true);
    expect(parse({ cache: 'false' }).buildCache).toBe(false);
    expect(parse({ 'build-cache-key-suffix': '  1.26-race \n' }).buildCacheKeySuffix).toBe(
      '1.26-race',
    );
  });

  it('names build-cache and its value when it is not a boolean', () => {
    expect(problemsOf({ 'build-cache': 'yes' })).toEqual([
      'build-cache: "yes" is not a boolean; use true or false',
    ]);
  });

  it('caps an offline bundle at 2 GiB unless offline-bundle-max-size says otherwise', () => {
    const bundle = 'https://files.example/go-bundle.tar.zst';
    expect(parse({ 'offline-bundle': bundle }).offlineBundle?.maxBytes).toBe(2 * 1024 ** 3);
    expect(
      parse({ 'offline-bundle': bundle, 'offline-bundle-max-size': '500MB' }).offlineBundle
        ?.maxBytes,
    ).toBe(500_000_000);
    expect(
      parse({ 'offline-bundle': bundle, 'offline-bundle-max-size': '8589934592' }).offlineBundle
        ?.maxBytes,
    ).toBe(8 * 1024 ** 3);
  });

  it('names offline-bundle-max-size and its value when it is not a size, bundle or none', () => {
    for (const bundle of ['', 'https://files.example/go-bundle.tar.zst']) {
      expect(problemsOf({ 'offline-bundle': bundle, 'offline-bundle-max-size': '2 gigs' })).toEqual(
        [
          'offline-bundle-max-size: "2 gigs" is not a size; give a whole number of bytes, or a number with a unit: KiB, MiB, GiB, TiB (powers of 1024) or KB, MB, GB, TB (powers of 1000), e.g. 2GiB',
        ],
      );
    }
    expect(problemsOf({ 'offline-bundle-max-size': '0' })).toEqual([
      'offline-bundle-max-size: "0" is out of range; use at least 1 byte and less than 8 PiB',
    ]);
  });
});
