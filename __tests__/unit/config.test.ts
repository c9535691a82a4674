import { describe, expect, it } from '@jest/globals';
import { InputError, parseConfig, type RawInputs } from '../../src/config.js';

const defaults: RawInputs = {
  mirrors: 'https://proxy.golang.org\ndirect\n',
  'private-mirrors': '',
  private: '',
  sumdb: 'auto',
  'probe-timeout': '5',
  prefetch: 'true',
  'working-directory': '.',
  'cache-dependency-path': '**/go.sum',
  cache: 'true',
  'cache-key-prefix': 'go-mod',
  'save-cache': 'true',
  'golangci-lint-version': '',
  'golangci-lint-checksum': '',
  'govulncheck-version': '',
  'tool-mirrors': 'https://github.com/golangci/golangci-lint/releases/download',
};

function parse(overrides: Partial<RawInputs>) {
  return parseConfig({ ...defaults, ...overrides }, '/ws');
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
      'probe-timeout: "0" is out of range; use more than 0 and at most 300 seconds',
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
  ];
  it.each(bad)('rejects %s with an actionable message', (_name, inputs, message) => {
    expect(problemsOf(inputs)).toEqual([message]);
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
});
