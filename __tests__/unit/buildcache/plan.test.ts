import { describe, expect, it } from '@jest/globals';
import { createdEntries, isEntry, planSave, type RootFiles } from '../../../src/buildcache/plan.js';

const SINCE = 1_000_000;
const old = SINCE - 7_200_000;

const roots: RootFiles[] = [
  {
    label: 'go-build',
    files: [
      { rel: '00/0a-a', mtimeMs: SINCE + 5, size: 10 }, // restored, used
      { rel: '00/0a-d', mtimeMs: SINCE + 5, size: 100 },
      { rel: '11/1b-a', mtimeMs: old, size: 10 }, // restored, unused
      { rel: '11/1b-d', mtimeMs: old, size: 1000 },
      { rel: '22/2c-a', mtimeMs: SINCE + 9, size: 10 }, // created
      { rel: '22/2c-d', mtimeMs: SINCE + 9, size: 50 },
      { rel: '33/3d-a', mtimeMs: SINCE + 9, size: 10 }, // created: a directory index
      { rel: 'README', mtimeMs: old, size: 7 },
      { rel: 'trim.txt', mtimeMs: old, size: 3 },
    ],
  },
  { label: 'golangci-lint', files: [{ rel: '44/4e-a', mtimeMs: old, size: 4 }] },
];
const before = new Set([
  'go-build/00/0a-a',
  'go-build/00/0a-d',
  'go-build/11/1b-a',
  'go-build/11/1b-d',
  'golangci-lint/44/4e-a',
]);

describe('planSave', () => {
  it('keeps what the job used or made and leaves out what it did not touch', () => {
    const plan = planSave(roots, SINCE, before);
    expect(plan.kept).toEqual([
      'go-build/00/0a-a',
      'go-build/00/0a-d',
      'go-build/22/2c-a',
      'go-build/22/2c-d',
      'go-build/33/3d-a',
    ]);
    expect(plan.leftOut.get('go-build')).toEqual(['11/1b-a', '11/1b-d']);
    expect(plan.leftOut.get('golangci-lint')).toEqual(['44/4e-a']);
    expect(plan.leftOutCount).toBe(3);
    expect(plan.used).toBe(2);
    expect(plan.created).toBe(3);
    // Entries, plus the cache's own files, which are always kept.
    expect(plan.keptBytes).toBe(10 + 100 + 10 + 50 + 10 + 7 + 3);
  });

  it('counts directory indexes apart, so that they alone never cause a save', () => {
    const plan = planSave(roots, SINCE, before, new Set(['go-build/33/3d-a']));
    expect(plan.created).toBe(2);
    expect(plan.indexes).toBe(1);
    expect(plan.kept).toContain('go-build/33/3d-a');
    const onlyIndex = planSave(
      roots,
      SINCE,
      new Set([...before, 'go-build/22/2c-a', 'go-build/22/2c-d']),
      new Set(['go-build/33/3d-a']),
    );
    expect(onlyIndex.created).toBe(0);
  });

  it('names what the job created for the index check', () => {
    expect(createdEntries(roots, SINCE, before)).toEqual([
      'go-build/22/2c-a',
      'go-build/22/2c-d',
      'go-build/33/3d-a',
    ]);
  });

  it("tells Go's entries from the cache's own files", () => {
    expect(isEntry('0f/0f3390ad8c-a')).toBe(true);
    expect(isEntry('0f/0f3390ad8c-d')).toBe(true);
    expect(isEntry('README')).toBe(false);
    expect(isEntry('fuzz/example.com/x/FuzzY/abc')).toBe(false);
    expect(isEntry('0f/0f33-x')).toBe(false);
  });
});
