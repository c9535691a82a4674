import { describe, expect, it } from '@jest/globals';
import {
  cleanupText,
  renderBuildCacheSaveSummary,
  renderCleanupSummary,
} from '../../../src/action/render-save-summary.js';
import type { CleanupReport } from '../../../src/buildcache/delete-superseded.js';

describe('build cache save summary', () => {
  it('shows used, created and left-out entries, and indexes apart', () => {
    const md = renderBuildCacheSaveSummary({
      key: 'go-build-k',
      outcome: 'saved',
      reason: '3 unused entries left out',
      used: 10,
      created: 2,
      indexes: 4,
      leftOut: 3,
      bytesSaved: 2048,
      saveMs: 250,
    });
    expect(md).toContain('| outcome | saved: 3 unused entries left out |');
    expect(md).toContain('| entries used (restored) | 10 |');
    expect(md).toContain(
      '| entries created | 2 (and 4 directory-index entries, which alone never cause a save) |',
    );
    expect(md).toContain('| entries left out (unused) | 3 |');
    expect(md).toContain('| bytes saved (before compression) | 2.0 KiB |');
  });
});

const base: CleanupReport = {
  outcome: 'kept',
  keyPrefix: 'go-build-Linux-x64-go1.26.0-test+-',
  ref: 'refs/heads/main',
  deleted: 0,
  deletedBytes: 0,
  reason: '',
};

describe('cleanupText', () => {
  it('says what was deleted, and what was kept and why', () => {
    expect(
      cleanupText({ ...base, outcome: 'deleted', deleted: 2, deletedBytes: 3 << 20, kept: 0 }),
    ).toBe('deleted 2 older entries (3.0 MiB)');
    expect(
      cleanupText({
        ...base,
        kept: 3,
        reason: 'no token with actions: write (deleting answered HTTP 403)',
      }),
    ).toBe('kept 3 older entries: no token with actions: write (deleting answered HTTP 403)');
    expect(
      cleanupText({ ...base, reason: 'no token with actions: write (the token input is empty)' }),
    ).toBe('kept the older entries: no token with actions: write (the token input is empty)');
    expect(cleanupText({ ...base, kept: 0 })).toBe('no older entries to delete');
    expect(cleanupText({ ...base, kept: 0, reason: 'the new entry is not listed yet' })).toBe(
      'deleted nothing: the new entry is not listed yet',
    );
  });

  it('renders a table with the prefix and the ref', () => {
    const md = renderCleanupSummary({ ...base, kept: 1, reason: 'a | b' });
    expect(md).toContain('### Build cache cleanup');
    expect(md).toContain(
      '| older entries of | `go-build-Linux-x64-go1.26.0-test+-` on `refs/heads/main` |',
    );
    expect(md).toContain('| outcome | kept 1 older entry: a \\| b |');
  });
});
