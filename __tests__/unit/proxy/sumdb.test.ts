import { describe, expect, it } from '@jest/globals';
import { chooseSumdb } from '../../../src/proxy/sumdb.js';
import { probed } from '../helpers.js';

describe('chooseSumdb', () => {
  const plain = [probed('https://a.example', 'healthy')];
  const proxying = [probed('https://a.example', 'healthy', { proxiesSumdb: true })];

  it('exports any explicit value as is', () => {
    expect(chooseSumdb('sum.golang.google.cn', plain, undefined).value).toBe(
      'sum.golang.google.cn',
    );
    expect(chooseSumdb('off', plain, undefined).value).toBe('off');
  });

  it('prefers sum.golang.org through a healthy mirror that proxies it', () => {
    const c = chooseSumdb('auto', proxying, { official: false, china: false });
    expect(c).toEqual({ value: 'sum.golang.org', via: 'proxied by https://a.example' });
  });

  it('uses sum.golang.org directly, else the google.cn alias', () => {
    expect(chooseSumdb('auto', plain, { official: true, china: true }).value).toBe(
      'sum.golang.org',
    );
    expect(chooseSumdb('auto', plain, { official: false, china: true }).value).toBe(
      'sum.golang.google.cn',
    );
  });

  it('never turns verification off when nothing is reachable', () => {
    const c = chooseSumdb('auto', plain, { official: false, china: false });
    expect(c.value).toBe('sum.golang.org');
    expect(c.warning).toMatch(/No checksum database is reachable/);
  });

  it('ignores a mirror that proxies the database but was rejected', () => {
    const dead = [probed('https://a.example', 'refused', { proxiesSumdb: true })];
    expect(chooseSumdb('auto', dead, { official: false, china: true }).value).toBe(
      'sum.golang.google.cn',
    );
  });
});
