// The benchmark reads the module snapshot's restore time from the job summary; these keep that
// reading in step with what the summary renders.
import { describe, expect, it } from '@jest/globals';
import { renderSummary } from '../../src/report.js';
import { summaryRestore, testCounts } from '../../bench/lib/day-jobs.js';

describe('summaryRestore', () => {
  it('reads the restore time the summary renders', () => {
    const md = renderSummary({
      probed: [],
      direct: false,
      goprivate: '',
      notes: [],
      cache: {
        key: 'go-mod-Linux-x64-abc',
        matchedKey: 'go-mod-Linux-x64-abc',
        hit: true,
        bytesRestored: 3 * 2 ** 20,
        restoreMs: 2345,
        verified: 12,
        dropped: [],
      },
    });
    expect(summaryRestore(md).restoreMs).toBe(2300);
  });

  it('reads the verification time, and never the build cache restore', () => {
    const md = [
      '### Build cache',
      '',
      '| restored | 40 file(s), 2.0 MiB in 9.9 s |',
      '',
      '### Module cache',
      '',
      '| | |',
      '|---|---|',
      '| restored | 117.0 MiB in 4.2 s |',
      '| verified against go.sum | 800 in 950 ms |',
      '',
      '### Build cache',
      '',
      '| restored | 40 file(s), 2.0 MiB in 7.7 s |',
    ].join('\n');
    expect(summaryRestore(md)).toEqual({ restoreMs: 4200, verifyMs: 950 });
  });

  it('reports nothing without a module cache section', () => {
    expect(summaryRestore('### Mirrors\n')).toEqual({});
  });
});

describe('testCounts', () => {
  it('counts the packages that passed and those that came from the cache', () => {
    const out = [
      'ok  \texample.com/shop/internal/model\t(cached)',
      'ok  \texample.com/shop/internal/store\t0.012s',
      '?   \texample.com/shop/cmd/shop\t[no test files]',
    ].join('\n');
    expect(testCounts(out)).toEqual({ packages: 2, cached: 1 });
  });
});
