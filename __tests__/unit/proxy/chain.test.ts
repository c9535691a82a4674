import { describe, expect, it } from '@jest/globals';
import { buildChain, markSlow, privateOnlyChain } from '../../../src/proxy/chain.js';
import { probed } from '../helpers.js';

describe('buildChain', () => {
  it('joins public mirrors with | so any error fails over, and ends with direct', () => {
    const chain = buildChain(
      [probed('https://a.example', 'healthy'), probed('https://b.example', 'healthy')],
      true,
    );
    expect(chain?.goproxy).toBe('https://a.example|https://b.example|direct');
    expect(chain?.gonoproxy).toBeUndefined();
  });

  it('drops mirrors that cannot serve, keeps 404 mirrors (Go falls through on 404)', () => {
    const chain = buildChain(
      [
        probed('https://refused.example', 'refused'),
        probed('https://empty.example', 'not-found'),
        probed('https://hung.example', 'timeout'),
        probed('https://portal.example', 'wrong-content'),
        probed('https://sumdb.example', 'sumdb-broken'),
        probed('https://ok.example', 'healthy'),
      ],
      false,
    );
    expect(chain?.goproxy).toBe('https://empty.example|https://ok.example');
  });

  it('moves slow mirrors behind the others, keeping the user order otherwise', () => {
    const chain = buildChain(
      [
        probed('https://slow.example', 'slow'),
        probed('https://a.example', 'healthy'),
        probed('https://b.example', 'not-found'),
      ],
      true,
    );
    expect(chain?.goproxy).toBe('https://a.example|https://b.example|https://slow.example|direct');
  });

  it('puts private mirrors first with , and sets GONOPROXY=none', () => {
    const chain = buildChain(
      [
        probed('https://athens.corp', 'healthy', {}, true),
        probed('https://artifactory.corp', 'healthy', {}, true),
        probed('https://a.example', 'healthy'),
        probed('https://b.example', 'healthy'),
      ],
      true,
    );
    expect(chain?.goproxy).toBe(
      'https://athens.corp,https://artifactory.corp,https://a.example|https://b.example|direct',
    );
    expect(chain?.gonoproxy).toBe('none');
    expect(chain?.privateLed).toBe(true);
    expect(privateOnlyChain(chain!)).toBe('https://athens.corp,https://artifactory.corp,off');
  });

  it('leaves GONOPROXY alone when every private mirror is dead, so private paths go direct, never public', () => {
    const chain = buildChain(
      [probed('https://athens.corp', 'refused', {}, true), probed('https://a.example', 'healthy')],
      false,
    );
    expect(chain?.goproxy).toBe('https://a.example');
    expect(chain?.gonoproxy).toBeUndefined();
    expect(privateOnlyChain(chain!)).toBeUndefined();
  });

  it('keeps credentials for Go and masks them in the display form', () => {
    const chain = buildChain([probed('https://u:tok@a.example', 'healthy')], false);
    expect(chain?.goproxy).toBe('https://u:tok@a.example');
    expect(chain?.display).toBe('https://***:***@a.example');
  });

  it('falls back to direct alone, and returns undefined when nothing is left', () => {
    expect(buildChain([probed('https://a.example', 'refused')], true)?.goproxy).toBe('direct');
    expect(buildChain([probed('https://a.example', 'refused')], false)).toBeUndefined();
  });
});

describe('markSlow', () => {
  it('marks a public mirror far slower than the best one', () => {
    const result = markSlow([
      probed('https://throttled.example', 'healthy', { scoreMs: 900 }),
      probed('https://fast.example', 'healthy', { scoreMs: 20 }),
      probed('https://close.example', 'healthy', { scoreMs: 90 }),
    ]);
    expect(result.map((p) => p.health.verdict)).toEqual(['slow', 'healthy', 'healthy']);
    expect(result[0].health.reason).toContain('https://fast.example');
  });

  it('never reorders private mirrors and needs two healthy mirrors to compare', () => {
    expect(
      markSlow([
        probed('https://athens.corp', 'healthy', { scoreMs: 5000 }, true),
        probed('https://fast.example', 'healthy', { scoreMs: 20 }),
      ]).map((p) => p.health.verdict),
    ).toEqual(['healthy', 'healthy']);
  });
});
