import { describe, expect, it } from '@jest/globals';
import { buildCacheKeys, savedKey } from '../../../src/buildcache/key.js';
import { planCleanup, type SavedEntry } from '../../../src/buildcache/plan-cleanup.js';
import type { ListedEntry } from '../../../src/cache-service/entries-api.js';

const parts = { os: 'Linux', arch: 'X64', goversion: 'go1.26.0', suffix: '' };
const keysFor = (job: string, goSums: string, suffix = '') =>
  buildCacheKeys({ ...parts, job, suffix, goSums: goSums.repeat(64) });
const MAIN = 'refs/heads/main';
const test = keysFor('test', 'a');
const newKey = savedKey(test, ['new']);
const saved: SavedEntry = { outcome: 'saved', key: newKey, keyPrefix: test.restoreKeys[1] };

let nextId = 1;
function entry(key: string, minute: number, more: Partial<ListedEntry> = {}): ListedEntry {
  return {
    id: nextId++,
    ref: MAIN,
    key,
    version: 'v1',
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
    sizeInBytes: 1000,
    ...more,
  };
}
const ids = (plan: { superseded: ListedEntry[] }) => plan.superseded.map((e) => e.key);

describe('planCleanup', () => {
  const own = entry(newKey, 30);

  it('supersedes the older entries of the same job, configuration and ref, whatever their go.sum', () => {
    const older = entry(savedKey(test, ['old']), 10);
    const otherGoSum = entry(savedKey(keysFor('test', 'b'), ['x']), 20);
    expect(ids(planCleanup(saved, MAIN, [own, older, otherGoSum]))).toEqual([
      older.key,
      otherGoSum.key,
    ]);
  });

  it("never touches another ref's, another job's or another suffix's entries", () => {
    const listed = [
      own,
      entry(savedKey(test, ['b']), 5, { ref: 'refs/heads/feature' }),
      entry(savedKey(keysFor('test-race', 'a'), ['c']), 5),
      entry(savedKey(keysFor('tes', 'a'), ['c']), 5),
      entry(savedKey(keysFor('test', 'a', 'amd'), ['d']), 5),
      entry(`go-mod-Linux-x64-${'e'.repeat(64)}`, 5),
    ];
    expect(ids(planCleanup(saved, MAIN, listed))).toEqual([]);
  });

  it('never the new entry, one made after it, or one with another version', () => {
    const listed = [
      own,
      entry(newKey, 10, { ref: 'refs/heads/feature' }),
      entry(savedKey(test, ['later']), 40),
      entry(savedKey(test, ['same-time']), 30),
      entry(savedKey(test, ['other-paths']), 10, { version: 'v2' }),
      entry(savedKey(test, ['no-date']), 10, { createdAt: 'yesterday' }),
    ];
    expect(ids(planCleanup(saved, MAIN, listed))).toEqual([]);
  });

  it('nothing when the save failed or was skipped, or when the new entry is not listed', () => {
    const listed = [own, entry(savedKey(test, ['old']), 10)];
    for (const outcome of ['failed', 'skipped'] as const) {
      expect(planCleanup({ ...saved, outcome }, MAIN, listed)).toEqual({
        superseded: [],
        reason: 'no new entry was saved',
      });
    }
    expect(planCleanup({ outcome: 'saved' }, MAIN, listed).superseded).toEqual([]);
    expect(planCleanup(saved, MAIN, listed.slice(1))).toEqual({
      superseded: [],
      reason: 'the new entry is not listed yet',
    });
    expect(planCleanup(saved, '', listed).superseded).toEqual([]);
  });

  it('nothing when the saved key does not start with the prefix it claims', () => {
    const wrong = { ...saved, keyPrefix: keysFor('lint', 'a').restoreKeys[1] };
    expect(planCleanup(wrong, MAIN, [own, entry(savedKey(test, ['old']), 10)]).superseded).toEqual(
      [],
    );
  });
});
