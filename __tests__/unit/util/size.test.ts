import { describe, expect, it } from '@jest/globals';
import { formatSize, parseSize } from '../../../src/util/size.js';

describe('sizes', () => {
  it.each([
    ['1048576', 1048576],
    ['2GiB', 2 * 1024 ** 3],
    [' 2 GiB ', 2 * 1024 ** 3],
    ['2gib', 2 * 1024 ** 3],
    ['1.5KiB', 1536],
    ['500MiB', 500 * 1024 ** 2],
    ['1TiB', 1024 ** 4],
    ['750MB', 750_000_000],
    ['0.1KB', 100],
    ['1kb', 1000],
    ['3GB', 3e9],
    ['64B', 64],
  ])('reads %j as %i bytes', (raw, bytes) => {
    expect(parseSize('offline-bundle-max-size', raw)).toEqual({ bytes });
  });

  it.each(['', 'big', '2 G', '2GiBs', '-1', '1.5', '1e9', '2 Gi B', '0x10'])(
    'refuses %j, naming the input, the value and the forms it takes',
    (raw) => {
      expect(parseSize('offline-bundle-max-size', raw)).toEqual({
        problem: `offline-bundle-max-size: "${raw}" is not a size; give a whole number of bytes, or a number with a unit: KiB, MiB, GiB, TiB (powers of 1024) or KB, MB, GB, TB (powers of 1000), e.g. 2GiB`,
      });
    },
  );

  it.each(['0', '0GiB', '0.0001B', '9999999TiB'])('refuses %j as out of range', (raw) => {
    expect(parseSize('--max-size', raw)).toEqual({
      problem: `--max-size: "${raw}" is out of range; use at least 1 byte and less than 8 PiB`,
    });
  });

  it('says a size in the largest unit that says it exactly', () => {
    expect(formatSize(2 * 1024 ** 3)).toBe('2 GiB');
    expect(formatSize(1536)).toBe('1536 bytes');
    expect(formatSize(16 * 1024 ** 2)).toBe('16 MiB');
    expect(formatSize(750_000_000)).toBe('750 MB');
    expect(formatSize(1000)).toBe('1 KB');
    expect(formatSize(1023)).toBe('1023 bytes');
  });
});
