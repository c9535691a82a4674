import { describe, expect, it } from '@jest/globals';
import { cleanupText, renderCleanupSummary } from '../../../src/action/post-summary.js';
import type { CleanupReport } from '../../../src/buildcache/delete-superseded.js';

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
