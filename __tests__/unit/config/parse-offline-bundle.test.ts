import { describe, expect, it } from '@jest/globals';
import { parse, problemsOf } from './parse-helpers.js';

describe('parseInputs: offline bundle', () => {
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
