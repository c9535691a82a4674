import { describe, expect, it } from '@jest/globals';
import type { Health, Verdict } from '../../../src/proxy/classify.js';
import type { RequestProgress } from '../../../src/proxy/fetch.js';
import {
  answeredLate,
  finishesBy,
  GRACE_FLOOR_MS,
  graceMs,
  hedge,
  type HedgeClock,
  type ProbeState,
} from '../../../src/proxy/hedge.js';

const T0 = 1_000_000;

function health(verdict: Verdict, scoreMs = 10): Health {
  return { verdict, reason: '', scoreMs, proxiesSumdb: false };
}

function done(display: string, verdict: Verdict, atMs: number): ProbeState {
  return { display, done: { health: health(verdict, atMs), atMs }, requests: [] };
}

/** A probe still running: its requests as they stand at `T0 + nowMs`. */
function running(display: string, requests: RequestProgress[] = []): ProbeState {
  return { display, requests };
}

/** A body of `total` bytes arriving at `bytesPerMs` since `headersMs`, looked at `nowMs` in. */
function flowing(headersMs: number, nowMs: number, bytesPerMs: number, total: number) {
  const bytes = Math.min(total, Math.round((nowMs - headersMs) * bytesPerMs));
  return {
    headersAt: T0 + headersMs,
    bytes,
    expectedBytes: total,
    lastByteAt: T0 + nowMs - 10,
    done: false,
  };
}

const at = (nowMs: number, nothingToDownload = false): HedgeClock => ({
  startedAt: T0,
  now: T0 + nowMs,
  nothingToDownload,
});

describe('graceMs', () => {
  it('is a few times the passing probe time, never under the floor', () => {
    expect(graceMs(10)).toBe(GRACE_FLOOR_MS);
    expect(graceMs(400)).toBe(1200);
  });
});

describe('hedge', () => {
  it('waits for every probe while no mirror has passed: probe-timeout stays the bound', () => {
    const step = hedge([running('A'), done('B', 'refused', 3)], at(4000));
    expect(step).toEqual({ kind: 'wait', until: Number.POSITIVE_INFINITY });
  });

  it('gives the mirrors still probing the grace after the first pass, then cuts them off', () => {
    const states = [running('hung'), done('B', 'healthy', 20)];
    expect(hedge(states, at(100))).toEqual({ kind: 'wait', until: T0 + 20 + GRACE_FLOOR_MS });
    const step = hedge(states, at(20 + GRACE_FLOOR_MS));
    expect(step.kind).toBe('settle');
    if (step.kind !== 'settle') return;
    expect(step.verdicts[0]).toMatchObject({ verdict: 'timeout', pending: true, behind: true });
    expect(step.verdicts[0].reason).toContain('B passed in 20 ms');
    expect(step.verdicts[1]).toMatchObject({ verdict: 'healthy' });
    expect(step.verdicts[1].behind).toBeUndefined();
  });

  it('keeps a first mirror that answers within the grace as it is, so it stays first', () => {
    const step = hedge([done('A', 'healthy', 200), done('B', 'healthy', 20)], at(200));
    expect(step.kind === 'settle' && step.verdicts.map((v) => v.verdict)).toEqual([
      'healthy',
      'healthy',
    ]);
  });

  it('puts a mirror that passed after the grace behind, as slow', () => {
    const step = hedge([done('A', 'healthy', 900), done('B', 'healthy', 20)], at(900));
    expect(step.kind === 'settle' && step.verdicts[0]).toMatchObject({
      verdict: 'slow',
      behind: true,
    });
  });

  it('waits one more grace for a mirror ahead of the passing one that will finish in it', () => {
    const now = 20 + GRACE_FLOOR_MS;
    // 4 KiB at 40 B/ms: done 100 ms after the grace.
    const ahead = running('A', [flowing(10, now, 40, 4096 + 30 * 40)]);
    expect(hedge([ahead, done('B', 'healthy', 20)], at(now)).kind).toBe('wait');
  });

  it('cuts off a throttled mirror ahead of the passing one: at its rate it would take seconds', () => {
    const now = 20 + GRACE_FLOOR_MS;
    const throttled = running('A', [flowing(10, now, 4, 4400)]);
    const step = hedge([throttled, done('B', 'healthy', 20)], at(now));
    expect(step.kind === 'settle' && step.verdicts[0]).toMatchObject({
      verdict: 'slow',
      pending: true,
    });
  });

  it('does not wait for a mirror behind the passing one, however close it is to finishing', () => {
    const now = 20 + GRACE_FLOOR_MS;
    const behind = running('C', [flowing(10, now, 40, 12_000)]);
    expect(hedge([done('B', 'healthy', 20), behind], at(now)).kind).toBe('settle');
  });

  it('cuts off a stalled mirror ahead of the passing one: it stopped sending', () => {
    const now = 20 + GRACE_FLOOR_MS;
    const stalled = running('A', [
      { headersAt: T0 + 5, bytes: 2000, expectedBytes: 4000, lastByteAt: T0 + 6, done: false },
    ]);
    const step = hedge([stalled, done('B', 'healthy', 20)], at(now));
    expect(step.kind === 'settle' && step.verdicts[0]).toMatchObject({ verdict: 'timeout' });
    expect(step.kind === 'settle' && step.verdicts[0].reason).toContain('stopped sending');
  });

  it('with nothing to download, judges by the floor even when no mirror has passed', () => {
    const states = [running('hung-a'), running('hung-b')];
    expect(hedge(states, at(100, true))).toEqual({ kind: 'wait', until: T0 + GRACE_FLOOR_MS });
    const step = hedge(states, at(GRACE_FLOOR_MS + 400, true));
    expect(step.kind === 'settle' && step.verdicts.map((v) => v.pending)).toEqual([true, true]);
    expect(step.kind === 'settle' && step.verdicts[0].reason).toContain(
      'nothing needs downloading',
    );
  });

  it('judges everything at once when every probe has ended', () => {
    const step = hedge([done('A', 'refused', 2), done('B', 'wrong-content', 30)], at(30));
    expect(step.kind === 'settle' && step.verdicts.map((v) => v.verdict)).toEqual([
      'refused',
      'wrong-content',
    ]);
  });
});

describe('answeredLate', () => {
  it('keeps a late pass in the chain behind, and a late failure out of it', () => {
    expect(answeredLate(health('healthy'), 1500)).toMatchObject({
      verdict: 'slow',
      behind: true,
      pending: false,
    });
    expect(answeredLate(health('wrong-content'), 1500)).toMatchObject({
      verdict: 'wrong-content',
      pending: false,
    });
  });
});

describe('finishesBy', () => {
  it('cannot tell without a Content-Length or before the headers', () => {
    const now = T0 + 300;
    expect(finishesBy([{ bytes: 0, done: false }], now, now + 1000)).toBe(false);
    expect(
      finishesBy(
        [{ headersAt: T0, bytes: 100, lastByteAt: now - 5, done: false }],
        now,
        now + 1000,
      ),
    ).toBe(false);
  });
});
