import type { Health } from './classify.js';
import type { RequestProgress } from './fetch.js';

/**
 * The grace never goes below this: a mirror in the next region needs a few round trips for its
 * probe, and loopback or same-datacenter answers in a few ms would otherwise leave it none.
 */
export const GRACE_FLOOR_MS = 250;
/** Mirrors still probing get this many times the first passing mirror's probe time. */
export const GRACE_FACTOR = 3;
/** A probe whose last byte is older than this is not "still sending". */
export const RECEIVING_WINDOW_MS = 150;

/** How long the other mirrors get once one has passed its probe in `passMs`. */
export function graceMs(passMs: number): number {
  return Math.max(GRACE_FLOOR_MS, GRACE_FACTOR * passMs);
}

/** One mirror's probe, as far as it has got. Mirrors come in the user's order. */
export interface ProbeState {
  display: string;
  /** The verdict, and when it came in ms after the probes started. */
  done?: { health: Health; atMs: number };
  /** Its requests so far (times are `Date.now()` values). */
  requests: readonly RequestProgress[];
}

export interface HedgeClock {
  /** `Date.now()` when the probes started. */
  startedAt: number;
  now: number;
  /**
   * Set when the job downloads nothing (the restored snapshot holds every module, or the
   * project is vendored): no mirror is worth waiting for beyond the grace.
   */
  nothingToDownload?: boolean;
}

export type HedgeStep =
  /** Judge again at `until` (a `Date.now()` value), or as soon as another verdict comes in. */
  | { kind: 'wait'; until: number }
  /** One verdict per mirror: answered in time, answered late (behind), or cut off (pending). */
  | { kind: 'settle'; verdicts: Health[] };

/**
 * Decides whether the probes can be judged now. Once a mirror passes, the others have the grace
 * to answer; then the ones still probing are cut off: placed behind the mirrors that answered,
 * never out of the chain, while their probes go on. A mirror ahead of the passing one in the
 * user's order that is still sending, at a rate that would finish within one more grace, is
 * waited for, so the user's order is kept wherever that costs little. With no passing mirror,
 * every probe is waited for (each ends by probe-timeout), unless nothing needs downloading.
 */
export function hedge(states: readonly ProbeState[], clock: HedgeClock): HedgeStep {
  const pass = firstPass(states);
  if (states.every((s) => s.done)) return { kind: 'settle', verdicts: judge(states, pass, clock) };
  if (!pass) {
    if (!clock.nothingToDownload) return { kind: 'wait', until: Number.POSITIVE_INFINITY };
    const until = clock.startedAt + GRACE_FLOOR_MS;
    if (clock.now < until) return { kind: 'wait', until };
    return { kind: 'settle', verdicts: judge(states, undefined, clock) };
  }
  const deadline = clock.startedAt + pass.atMs + pass.graceMs;
  if (clock.now < deadline) return { kind: 'wait', until: deadline };
  const extended = deadline + pass.graceMs;
  if (!clock.nothingToDownload && clock.now < extended) {
    const waitFor = states.some(
      (s, i) => !s.done && i < pass.index && finishesBy(s.requests, clock.now, extended),
    );
    // Looked at again every so often: a mirror that stops sending is no longer worth waiting for.
    if (waitFor)
      return { kind: 'wait', until: Math.min(extended, clock.now + RECEIVING_WINDOW_MS) };
  }
  return { kind: 'settle', verdicts: judge(states, pass, clock) };
}

/** The first mirror to pass its probe. */
interface Pass {
  index: number;
  display: string;
  atMs: number;
  graceMs: number;
}

function firstPass(states: readonly ProbeState[]): Pass | undefined {
  let pass: Pass | undefined;
  states.forEach((s, index) => {
    if (s.done?.health.verdict !== 'healthy') return;
    if (pass && pass.atMs <= s.done.atMs) return;
    pass = { index, display: s.display, atMs: s.done.atMs, graceMs: graceMs(s.done.atMs) };
  });
  return pass;
}

/**
 * Verdicts relative to the first passing mirror: in time (by the grace, or by one more grace
 * for a mirror ahead of it) as they are; later ones behind; unfinished ones cut off.
 */
function judge(states: readonly ProbeState[], pass: Pass | undefined, clock: HedgeClock): Health[] {
  return states.map((s, i) => {
    if (!s.done) return cutOff(s, pass, clock);
    if (!pass) return s.done.health;
    const allowed = pass.atMs + pass.graceMs * (i < pass.index ? 2 : 1);
    if (s.done.atMs <= allowed) return s.done.health;
    return answeredLate(s.done.health, s.done.atMs);
  });
}

/** A verdict that came after the grace: a pass goes behind as slow, a failure stays a failure. */
export function answeredLate(health: Health, atMs: number): Health {
  if (health.verdict === 'healthy') {
    return {
      ...health,
      verdict: 'slow',
      behind: true,
      pending: false,
      reason: `passed its probe ${atMs} ms after the probes started, after the grace; placed behind the mirrors that answered in time`,
    };
  }
  if (health.verdict === 'not-found') return { ...health, behind: true, pending: false };
  return { ...health, pending: false };
}

function cutOff(s: ProbeState, pass: Pass | undefined, clock: HedgeClock): Health {
  const elapsed = clock.now - clock.startedAt;
  const receiving = isReceiving(s.requests, clock.now);
  const answered = s.requests.some((r) => r.headersAt !== undefined);
  const state = receiving
    ? `still sending its probe after ${elapsed} ms`
    : answered
      ? `stopped sending its probe (nothing for ${clock.now - lastByteAt(s.requests)} ms)`
      : `no answer to its probe after ${elapsed} ms`;
  const why = pass
    ? `${pass.display} passed in ${pass.atMs} ms`
    : 'nothing needs downloading (complete snapshot or vendored project)';
  return {
    verdict: receiving ? 'slow' : 'timeout',
    reason: `${state}, while ${why}; placed behind the mirrors that answered, its probe going on until probe-timeout`,
    scoreMs: elapsed,
    proxiesSumdb: false,
    pending: true,
    behind: true,
  };
}

function lastByteAt(requests: readonly RequestProgress[]): number {
  return Math.max(0, ...requests.map((r) => r.lastByteAt ?? r.headersAt ?? 0));
}

function isReceiving(requests: readonly RequestProgress[], now: number): boolean {
  return requests.some(
    (r) => !r.done && r.lastByteAt !== undefined && now - r.lastByteAt <= RECEIVING_WINDOW_MS,
  );
}

/**
 * Whether a probe still running would finish by `by` at the rate its bytes are arriving. Only a
 * probe whose every unfinished request is receiving a body of known length can tell.
 */
export function finishesBy(requests: readonly RequestProgress[], now: number, by: number): boolean {
  if (!isReceiving(requests, now)) return false;
  for (const r of requests) {
    if (r.done) continue;
    if (r.headersAt === undefined || r.expectedBytes === undefined || r.bytes === 0) return false;
    const remaining = r.expectedBytes - r.bytes;
    const bytesPerMs = r.bytes / Math.max(1, now - r.headersAt);
    if (now + remaining / bytesPerMs > by) return false;
  }
  return true;
}
