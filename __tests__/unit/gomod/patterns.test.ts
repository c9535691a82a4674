import { describe, it, expect } from '@jest/globals';
import { matchesPrefixPatterns, validatePatterns } from '../../../src/gomod/patterns.js';
import { runGoPairOracle } from './go-oracle.js';

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

describe('matchesPrefixPatterns', () => {
  it.each(cases)('(%j, %j) -> %s', (patterns, target, expected) => {
    expect(matchesPrefixPatterns(patterns, target)).toBe(expected);
  });

  it('agrees with module.MatchPrefixPatterns from the Go toolchain', () => {
    expect(cases.map(([p, t]) => matchesPrefixPatterns(p, t))).toEqual(
      runGoPairOracle<boolean>(
        'module',
        'MatchPrefixPatterns',
        cases.map(([p, t]) => [p, t]),
      ),
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
