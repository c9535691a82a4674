import { describe, expect, it } from '@jest/globals';
import type { RawInputs } from '../../../src/config/inputs.js';
import { parse, problemsOf } from './parse-helpers.js';

describe('parseInputs', () => {
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

  it('resolves the working directory against the workspace', () => {
    expect(parse({ 'working-directory': 'services/api' }).workingDirectory).toBe(
      '/ws/services/api',
    );
  });

  const bad: [string, Partial<RawInputs>, string][] = [
    [
      'direct among private mirrors',
      { 'private-mirrors': 'direct' },
      'private-mirrors: "direct" is not allowed here; list it at the end of `mirrors` instead',
    ],
    ['empty mirrors', { mirrors: ' , \n' }, 'mirrors: at least one mirror or "direct" is required'],
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
  ];
  it.each(bad)('rejects %s with an actionable message', (_name, inputs, message) => {
    expect(problemsOf(inputs)).toEqual([message]);
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
});
