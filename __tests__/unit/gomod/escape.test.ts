import { describe, it, expect } from '@jest/globals';
import { escapeModulePath, escapeVersion, unescapeModulePath } from '../../../src/gomod/escape.js';

describe('escapeModulePath', () => {
  it.each([
    ['github.com/Azure/azure-sdk-for-go', 'github.com/!azure/azure-sdk-for-go'],
    ['github.com/BurntSushi/toml', 'github.com/!burnt!sushi/toml'],
    ['golang.org/x/mod', 'golang.org/x/mod'],
    ['example.com/ALLCAPS', 'example.com/!a!l!l!c!a!p!s'],
    ['example.com/a-b_c.d~e', 'example.com/a-b_c.d~e'],
  ])('%s -> %s', (path, escaped) => {
    expect(escapeModulePath(path)).toBe(escaped);
    expect(unescapeModulePath(escaped)).toBe(path);
  });

  it.each([
    ['', /empty module path/],
    ['example.com/a!b', /contains '!'/],
    ['example.com/caf\u00e9', /non-ASCII/],
  ])('rejects %j', (path, message) => {
    expect(() => escapeModulePath(path)).toThrow(message);
  });
});

describe('escapeVersion', () => {
  it.each([
    ['v1.0.0-RC1', 'v1.0.0-!r!c1'],
    ['v1.2.3', 'v1.2.3'],
    ['v2.0.0+incompatible', 'v2.0.0+incompatible'],
    ['v0.0.0-20240101000000-abcdef123456', 'v0.0.0-20240101000000-abcdef123456'],
  ])('%s -> %s', (version, escaped) => {
    expect(escapeVersion(version)).toBe(escaped);
  });

  it('rejects empty and ambiguous versions', () => {
    expect(() => escapeVersion('')).toThrow(/empty version/);
    expect(() => escapeVersion('v1.0.0-!x')).toThrow(/contains '!'/);
  });
});

describe('unescapeModulePath', () => {
  it.each([
    ['', /empty/],
    ['github.com/!Azure/x', /must be followed by a lowercase letter/],
    ['github.com/!1/x', /must be followed by a lowercase letter/],
    ['github.com/!!a', /must be followed by a lowercase letter/],
    ['github.com/Azure/x', /unescaped uppercase letter/],
    ['github.com/azure!', /trailing '!'/],
    ['example.com/caf\u00e9', /non-ASCII/],
  ])('rejects %j', (escaped, message) => {
    expect(() => unescapeModulePath(escaped)).toThrow(message);
  });
});
