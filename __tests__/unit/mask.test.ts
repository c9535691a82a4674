import { describe, expect, it } from '@jest/globals';
import { findUrlSecrets, maskUrl } from '../../src/util/mask.js';
import { splitList } from '../../src/util/list.js';

describe('maskUrl', () => {
  it.each([
    ['https://user:pass@host.example/p', 'https://***:***@host.example/p'],
    ['https://token@host.example', 'https://***@host.example'],
    ['https://host.example/a@b', 'https://host.example/a@b'],
    ['https://host.example', 'https://host.example'],
    ['not a url', 'not a url'],
    ['ftp://u:p@x', 'ftp://***:***@x'],
  ])('%s -> %s', (input, masked) => {
    expect(maskUrl(input)).toBe(masked);
  });
});

describe('findUrlSecrets', () => {
  it('finds userinfo and passwords, decoded too, in multi-line list inputs', () => {
    const secrets = findUrlSecrets(
      'https://bot:p%40ss@a.example,\nhttps://tok3n@b.example\ndirect',
    );
    expect(secrets).toEqual(expect.arrayContaining(['bot:p%40ss', 'p%40ss', 'p@ss', 'tok3n']));
  });
  it('finds nothing in URLs without credentials', () => {
    expect(findUrlSecrets('https://proxy.golang.org\ndirect')).toEqual([]);
  });
});

describe('splitList', () => {
  it('splits on commas and newlines and drops blanks', () => {
    expect(splitList(' a ,b\n\n c,\n')).toEqual(['a', 'b', 'c']);
  });
});
