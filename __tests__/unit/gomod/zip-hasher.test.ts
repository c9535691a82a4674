import { afterAll, describe, expect, it } from '@jest/globals';
import { hashZip } from '../../../src/gomod/dirhash.js';
import { ZipHasher } from '../../../src/gomod/zip-hasher.js';
import { runHashZipOracle } from './go-oracle.js';
import {
  acceptedZips,
  alteredZips,
  crcOnlyZips,
  goText,
  rejectedZips,
  writeZip,
} from './zip-fixtures.js';

const accepted = acceptedZips();
const rejected = rejectedZips();
const altered = alteredZips();
const crcOnly = crcOnlyZips();

/** hashZip's error message for a zip it refuses. */
function refusal(zip: Buffer): string {
  try {
    hashZip(zip);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('hashZip accepted the zip');
}

/** The hash a hasher gives a zip, or its error message. */
const outcome = (h: ZipHasher, zip: Buffer): Promise<string> =>
  h.hash(zip).catch((err: Error) => `error: ${err.message}`);

const hashers: ZipHasher[] = [];
function hasher(workers: number): ZipHasher {
  const h = new ZipHasher(workers);
  hashers.push(h);
  return h;
}

afterAll(async () => {
  await Promise.all(hashers.map((h) => h.close()));
});

describe('the fixtures', () => {
  // The pinned hashes are what the go command's own dirhash.HashZip computes.
  it('pin the hashes dirhash.HashZip computes', () => {
    const zips = [...accepted, ...crcOnly];
    const go = runHashZipOracle(zips.map((z) => z.zip));
    expect(go.slice(0, accepted.length)).toEqual(accepted.map(({ h1 }) => ({ sum: h1 })));
    // Go refuses a wrong CRC outright; the content is still the content the pin was taken from.
    expect(go.slice(accepted.length)).toEqual(
      crcOnly.map(() => ({ error: 'zip: checksum error' })),
    );
    expect(runHashZipOracle(crcOnly.map((z) => z.repaired))).toEqual(
      crcOnly.map(({ h1 }) => ({ sum: h1 })),
    );
  }, 120_000);
});

describe.each([
  ['in place', 0],
  ['on one worker thread', 1],
  ['on two worker threads', 2],
])('ZipHasher %s', (_, workers) => {
  const h = hasher(workers);

  it.each(accepted)('hashes $name as dirhash.HashZip does', async ({ zip, h1 }) => {
    expect(hashZip(zip)).toBe(h1);
    await expect(h.hash(zip)).resolves.toBe(h1);
  });

  it.each(rejected)('refuses $name as hashZip does', async ({ zip }) => {
    await expect(h.hash(zip)).rejects.toThrow(refusal(zip));
  });

  it.each(altered)('never gives $name the hash of what was written', async ({ zip, h1 }) => {
    expect(() => hashZip(zip)).toThrow(/^zip: (checksum error|corrupt deflate data)/);
    const result = await outcome(h, zip);
    expect(result).not.toBe(h1);
    expect(result).toMatch(/^(h1:|error: zip: corrupt deflate data in m@v1\/a\.go)/);
  });

  it.each(crcOnly)('proves $name by its content alone', async ({ zip, h1 }) => {
    expect(() => hashZip(zip)).toThrow('zip: checksum error in m@v1/a.go');
    await expect(h.hash(zip)).resolves.toBe(h1);
  });

  it(workers === 0 ? 'never starts a worker' : 'hashes in its workers', () => {
    const total = h.stats.inPlace + h.stats.inWorkers;
    expect(total).toBeGreaterThan(0);
    if (workers === 0) expect(h.stats.inWorkers).toBe(0);
    else expect(h.stats.inPlace).toBe(0);
  });
});

describe('ZipHasher concurrency', () => {
  // Many zips at once, good and bad mixed, each answer must be the one for that zip alone.
  const zips = Array.from({ length: 48 }, (_, i) => {
    if (i % 5 === 4) return rejected[i % rejected.length].zip;
    const files = Array.from({ length: 1 + (i % 9) * 7 }, (_, f) => ({
      name: `m${i}@v1/f${f}.go`,
      data: goText(((i * 31 + f * 17) % 40) * 997, i + f),
      method: f % 4 === 0 ? 0 : 8,
    }));
    return writeZip(files);
  });
  const expected = zips.map((zip) => {
    try {
      return hashZip(zip);
    } catch (err) {
      return `error: ${(err as Error).message}`;
    }
  });
  const settle = (h: ZipHasher): Promise<string[]> =>
    Promise.all(zips.map((zip) => outcome(h, zip)));

  it.each([0, 1, 2, 4])('gives every zip its own answer with %i workers', async (workers) => {
    await expect(settle(hasher(workers))).resolves.toEqual(expected);
  });

  it('finishes in place what workers stopped mid-way were given', async () => {
    const h = hasher(2);
    const results = settle(h);
    await h.close();
    await expect(results).resolves.toEqual(expected);
    expect(h.stats.inPlace).toBeGreaterThan(0);
  });
});
