// Which member names a bundle's tar may use, and the path each one stands for.
import { describe, expect, it } from '@jest/globals';
import { memberPath } from '../../../src/bundle/tar.js';

describe('memberPath', () => {
  it.each([
    ['manifest.json', 'manifest.json'],
    ['./manifest.json', 'manifest.json'],
    ['./modules/example.com/', 'modules/example.com'],
    ['./', ''],
    ['.', ''],
  ])('reads %s as %j', (name, path) => {
    expect(memberPath(name)).toBe(path);
  });

  it.each([
    // Escapes, with or without the ./ that tar -C dir . writes.
    '../x',
    './../x',
    './a/../../x',
    'a/../x',
    '/etc/passwd',
    './/etc/passwd',
    'C:/x',
    './C:/x',
    // Names GNU tar would resolve but never writes when it archives a directory.
    'a/./b',
    '././x',
    './/x',
    './/',
    'a//b',
    // Not a bundle's: Windows separators, NUL, nothing.
    'a\\b',
    'a\0b',
    '',
  ])('refuses %j', (name) => {
    expect(memberPath(name)).toBeUndefined();
  });
});
