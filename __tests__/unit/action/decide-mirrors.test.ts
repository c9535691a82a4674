import { describe, expect, it } from '@jest/globals';
import {
  decideLateVerdicts,
  decideMirrors,
  decideSumdb,
  offlineCheckNeeded,
  type MirrorsFacts,
} from '../../../src/action/decide-mirrors.js';
import type { Config } from '../../../src/config/types.js';
import type { Vendoring } from '../../../src/gomod/vendor.js';
import { chainToExport } from '../../../src/proxy/choose-chain.js';
import type { Probed } from '../../../src/proxy/probe-types.js';
import { DEFAULT_INPUTS, probed, configFrom } from '../helpers.js';

function config(mirrors: string, extra: Partial<Config> = {}): Config {
  const parsed = configFrom({ ...DEFAULT_INPUTS, mirrors }, '/ws', () => 'directory');
  return { ...parsed, ...extra };
}

const notVendored: Vendoring = { all: false, dirs: [], reason: '' };
const vendored: Vendoring = { all: true, dirs: ['/ws'], reason: '-mod=vendor in GOFLAGS' };

function facts(p: Probed, over: Partial<MirrorsFacts> = {}): MirrorsFacts {
  const cfg = over.config ?? config('https://a.example,https://b.example');
  const cacheHit = over.cacheHit ?? false;
  return {
    config: cfg,
    probed: p,
    outcome: chainToExport(cfg, p, cacheHit),
    vendoring: notVendored,
    cacheHit,
    holdsEverything: false,
    ...over,
  };
}

const healthy: Probed = {
  result: [probed('https://a.example', 'healthy'), probed('https://b.example', 'timeout')],
};
const dead: Probed = {
  result: [probed('https://a.example', 'refused'), probed('https://b.example', 'timeout')],
};

describe('decideMirrors', () => {
  it('goes on with the chain of the mirrors that passed', () => {
    const d = decideMirrors(facts(healthy));
    expect(d.end).toBe('continue');
    expect(d.chain?.display).toBe('https://a.example');
    expect(d.messages).toEqual([]);
    expect(d.healthyMirrors).toBeUndefined();
  });

  it('fails naming every mirror when none is usable and modules must be downloaded', () => {
    const d = decideMirrors(facts(dead));
    expect(d.end).toBe('fail');
    expect(d.error).toBe(
      'No usable GOPROXY mirror:\n  - https://a.example: refused\n  - https://b.example: timeout',
    );
  });

  it('exports GOPROXY=off with a warning when the module cache holds everything', () => {
    const d = decideMirrors(facts(dead, { holdsEverything: true }));
    expect(d.end).toBe('offline');
    expect(d.chain).toBeUndefined();
    expect(d.messages).toHaveLength(1);
    expect(d.messages[0].level).toBe('warning');
    expect(d.notes).toEqual([
      'No mirror is usable, but the module cache already holds everything go.sum needs; GOPROXY=off so a missing module fails fast instead of hanging.',
    ]);
  });

  it('skips the prefetch of a vendored project and keeps the chain', () => {
    const d = decideMirrors(facts(healthy, { vendoring: vendored }));
    expect(d.end).toBe('continue');
    expect(d.messages.map((m) => m.level)).toEqual(['info']);
    expect(d.prefetch).toEqual({ enabled: true, attempts: [], skipped: 'vendored project' });
  });

  it("exports the user's own list for a vendored project when no mirror answers", () => {
    const d = decideMirrors(facts(dead, { vendoring: vendored }));
    expect(d.end).toBe('vendored');
    expect(d.chain?.display).toBe('https://a.example|https://b.example');
    expect(d.messages.map((m) => m.level)).toEqual(['info', 'warning']);
    expect(d.notes[1]).toBe(
      'No mirror is usable; GOPROXY is your mirrors as given, for a later go get. Builds of this vendored project do not need it.',
    );
    expect(d.healthyMirrors).toBe('');
  });
});

describe('offlineCheckNeeded', () => {
  it('asks Go only without a chain, a vendored project or a cache hit', () => {
    const cfg = config('https://a.example,https://b.example');
    const none = chainToExport(cfg, dead, false);
    expect(offlineCheckNeeded(none, notVendored, false)).toBe(true);
    expect(offlineCheckNeeded(none, notVendored, true)).toBe(false);
    expect(offlineCheckNeeded(none, vendored, false)).toBe(false);
    expect(offlineCheckNeeded(chainToExport(cfg, healthy, false), notVendored, false)).toBe(false);
  });
});

describe('decideSumdb', () => {
  it('warns about an unreachable checksum database only when there are modules', () => {
    const cfg = config('https://a.example', { goprivate: '' });
    const outcome = chainToExport(cfg, { result: [probed('https://a.example', 'healthy')] }, false);
    expect(outcome.sumdb.via).toBe('unreachable');
    expect(decideSumdb(cfg, outcome, 3).messages.map((m) => m.level)).toEqual(['warning']);
    expect(decideSumdb(cfg, outcome, 0).messages).toEqual([]);
    expect(decideSumdb(cfg, outcome, 0).goprivate).toBeUndefined();
  });
});

describe('decideLateVerdicts', () => {
  const cfg = config('https://a.example,https://b.example');
  const judged: Probed = {
    result: [
      probed('https://a.example', 'healthy'),
      probed('https://b.example', 'timeout', { pending: true }),
    ],
  };
  const current = chainToExport(cfg, judged, false);

  it('keeps the export when nothing came in late, listing the healthy mirrors', () => {
    const d = decideLateVerdicts(cfg, judged, judged, current, false);
    expect(d).toEqual({ messages: [], healthyMirrors: 'https://a.example' });
  });

  it('drops a mirror cut off by the grace that failed late, and says so', () => {
    const folded: Probed = {
      result: [judged.result[0], probed('https://b.example', 'refused')],
    };
    expect(current.chain?.display).toBe('https://a.example|https://b.example');
    const d = decideLateVerdicts(cfg, judged, folded, current, false);
    expect(d.chain?.display).toBe('https://a.example');
    expect(d.messages).toEqual([
      { level: 'info', text: 'Verdicts that came in late change GOPROXY to https://a.example' },
    ]);
    expect(d.probed).toBe(folded.result);
    expect(d.sumdb).toBeUndefined();
    expect(d.healthyMirrors).toBe('https://a.example');
  });
});
