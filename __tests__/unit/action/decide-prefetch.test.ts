import { describe, expect, it } from '@jest/globals';
import { decideAfterPrefetch, decidePrefetch } from '../../../src/action/decide-prefetch.js';
import type { Project } from '../../../src/gomod/discover.js';
import { buildChain, type Chain } from '../../../src/proxy/chain.js';
import type { PrefetchResult } from '../../../src/prefetch/types.js';
import { DEFAULT_INPUTS, probed, configFrom } from '../helpers.js';

const config = configFrom(DEFAULT_INPUTS, '/ws', () => 'directory');
const project = { moduleDirs: ['/ws/a', '/ws/b'], modules: [] } as unknown as Project;
const none = { all: false, dirs: [], reason: '' };

describe('decidePrefetch', () => {
  it('downloads the modules that do not build from vendor/', () => {
    const step = decidePrefetch(config, project, { ...none, dirs: ['/ws/a'] }, false);
    expect(step).toEqual({ run: true, moduleDirs: ['/ws/b'] });
  });

  it('skips after a cache hit, saying why', () => {
    const why = 'cache-hit: Go found every module in the restored snapshot, offline';
    expect(decidePrefetch(config, project, none, true)).toEqual({
      run: false,
      messages: [{ level: 'info', text: `Prefetch skipped (${why}).` }],
      report: { enabled: true, attempts: [], skipped: why },
    });
  });

  it('does nothing, quietly, when turned off or with nothing to fetch', () => {
    const off = { ...config, prefetch: false };
    expect(decidePrefetch(off, project, none, false)).toEqual({ run: false, messages: [] });
    const all = { all: true, dirs: project.moduleDirs, reason: 'vendor' };
    expect(decidePrefetch(config, project, all, true)).toEqual({ run: false, messages: [] });
  });
});

describe('decideAfterPrefetch', () => {
  const chain = buildChain([probed('https://a.example', 'healthy')], false) as Chain;
  const attempt = { attempt: 1, chain: chain.display, durationMs: 5, dropped: [] };

  it('exports the chain the last attempt used', () => {
    const later = buildChain([probed('https://b.example', 'healthy')], false) as Chain;
    const result: PrefetchResult = {
      ok: true,
      probed: [],
      chain: later,
      attempts: [{ ...attempt, outcome: 'ok' }],
      failures: [],
      goErrors: [],
    };
    const d = decideAfterPrefetch(result, chain, 42);
    expect(d.chain).toBe(later);
    expect(d.error).toBeUndefined();
    expect(d.report).toEqual({
      enabled: true,
      ok: true,
      attempts: result.attempts,
      durationMs: 42,
    });
  });

  it("names what failed, Go's words and every mirror when the download failed", () => {
    const result: PrefetchResult = {
      ok: false,
      probed: [probed('https://a.example', 'failed-download', { reason: 'stalled' })],
      attempts: [{ ...attempt, outcome: 'stalled' }],
      failures: [
        { module: 'x.example/m', version: 'v1.0.0', checksumMismatch: false, message: 'stalled' },
        { module: 'x.example/m', version: 'v1.0.0', checksumMismatch: false, message: 'stalled' },
      ],
      goErrors: [{ dir: '/ws/a', lines: ['boom'] }],
      stopped: 'every mirror in the chain failed during the download',
    };
    const d = decideAfterPrefetch(result, chain, 7);
    expect(d.chain).toBe(chain);
    expect(d.error).toBe(
      [
        'go mod download failed after 1 attempt(s) (not retried: every mirror in the chain failed during the download).',
        'go in /ws/a said:\n    boom',
        'Could not fetch:\n  - x.example/m@v1.0.0: stalled',
        'Mirrors:\n  - https://a.example: failed-download (stalled)',
      ].join('\n'),
    );
  });
});
