import { describe, expect, it } from '@jest/globals';
import { formatBytes } from '../../../src/util/bytes.js';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [1024 * 1024 - 1, '1024.0 KiB'],
    [1024 * 1024, '1.0 MiB'],
    [5 * 1024 * 1024 * 1024, '5120.0 MiB'],
  ])('%d bytes read as %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });
});
