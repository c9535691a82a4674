import { describe, expect, it } from '@jest/globals';
import { buildChain, privateOnlyChain } from '../../../src/proxy/chain.js';
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

describe('buildChain: mirrors judged by the grace', () => {
  const late = (
    url: string,
    verdict: 'slow' | 'timeout' | 'not-found',
    pending: boolean,
    isPrivate = false,
  ) => probed(url, verdict, { behind: true, pending }, isPrivate);

  it('puts the mirrors that answered after the grace, or not yet, behind the ones in time, each in the user order', () => {
    const chain = buildChain(
      [
        late('https://hung.example', 'timeout', true),
        late('https://throttled.example', 'slow', true),
        probed('https://fast.example', 'healthy'),
        late('https://late.example', 'slow', false),
        probed('https://other.example', 'healthy'),
      ],
      true,
    );
    expect(chain?.goproxy).toBe(
      'https://fast.example|https://other.example|https://hung.example|https://throttled.example|https://late.example|direct',
    );
  });

  it('keeps a mirror still being probed in the chain, and drops one whose late verdict is a failure', () => {
    expect(buildChain([late('https://hung.example', 'timeout', true)], false)?.goproxy).toBe(
      'https://hung.example',
    );
    expect(buildChain([late('https://hung.example', 'timeout', false)], false)).toBeUndefined();
  });

  it('moves a private mirror cut off by the grace behind the private ones that answered, never among the public ones', () => {
    const chain = buildChain(
      [
        late('https://athens-a.corp', 'timeout', true, true),
        probed('https://athens-b.corp', 'healthy', {}, true),
        probed('https://fast.example', 'healthy'),
      ],
      false,
    );
    expect(chain?.goproxy).toBe('https://athens-b.corp,https://athens-a.corp,https://fast.example');
  });
});
