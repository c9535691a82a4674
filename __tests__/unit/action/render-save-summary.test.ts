import { describe, expect, it } from '@jest/globals';
import { renderBuildCacheSaveSummary } from '../../../src/action/render-save-summary.js';

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
