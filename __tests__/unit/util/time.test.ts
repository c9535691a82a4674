import { describe, expect, it } from '@jest/globals';
import { waitAtMost } from '../../../src/util/time.js';

describe('waitAtMost', () => {
  it('returns when the promise settles, well before the limit', async () => {
    const started = Date.now();
    await waitAtMost(Promise.resolve('done'), 10_000);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('returns at the limit when the promise never settles', async () => {
    const started = Date.now();
    await waitAtMost(new Promise(() => {}), 50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('passes on the rejection of a promise that fails in time', async () => {
    await expect(waitAtMost(Promise.reject(new Error('gone')), 1_000)).rejects.toThrow('gone');
  });
});
