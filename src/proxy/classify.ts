import { hashGoMod, hashZip } from '../gomod/dirhash.js';
import { describeOverCap, describeStatus } from './answer.js';
import type { ErrorObservation, Observation, ResponseObservation } from './fetch.js';
import type { ProbeTarget } from './target.js';

/** What a probe concluded about a mirror. */
export type Verdict =
  | 'healthy'
  | 'slow'
  | 'not-found'
  | 'unprobed'
  | 'erroring'
  | 'refused'
  | 'dns'
  | 'timeout'
  | 'stalled'
  | 'wrong-content'
  | 'sumdb-broken'
  | 'missing-private'
  | 'failed-download';

/**
 * A private mirror that answers 404 for a private module is no private
 * mirror at all: with GONOPROXY=none, Go would go on to ask the public
 * mirrors for that path. Only the caller knows whether the target was private.
 */
export function rejectMissingPrivate(health: Health, privateModule: string): Health {
  if (health.verdict !== 'not-found') return health;
  return {
    ...health,
    verdict: 'missing-private',
    reason: `does not serve the private module ${privateModule} (${health.reason}); Go would ask the public mirrors next`,
  };
}

/** Verdicts that keep a mirror in the chain. `not-found` stays: Go falls through on 404/410. */
const USABLE: ReadonlySet<Verdict> = new Set(['healthy', 'slow', 'not-found', 'unprobed']);

export function isUsable(verdict: Verdict): boolean {
  return USABLE.has(verdict);
}

export interface Health {
  verdict: Verdict;
  /** One line a person can act on; empty for a plain healthy mirror. */
  reason: string;
  /** Time to the first `.info` response headers. */
  latencyMs?: number;
  /** Bytes per second over the probe zip. */
  throughputBps?: number;
  /** How long the whole probe took: what "much slower" compares. */
  scoreMs: number;
  /** Answers `/sumdb/sum.golang.org/supported` with 200 and a valid tree head. */
  proxiesSumdb: boolean;
  /**
   * Judged before its probe finished, cut off by the grace another mirror's pass started: the
   * verdict is provisional, the probe goes on, and the mirror stays in the chain.
   */
  pending?: boolean;
  /** Answered after the grace, or not yet: placed behind the mirrors that answered in time. */
  behind?: boolean;
}

/** Whether a mirror belongs in the chain: a usable verdict, or one still being probed. */
export function staysInChain(health: Health): boolean {
  return isUsable(health.verdict) || health.pending === true;
}

/** The requests made for one probe target. */
export interface TargetObservations {
  target: ProbeTarget;
  info: Observation;
  mod?: Observation;
  zip?: Observation;
}

export interface MirrorObservations {
  targets: TargetObservations[];
  supported?: Observation;
  latest?: Observation;
}

/** A body that was still arriving this close to the deadline counts as flowing, not stalled. */
const PROGRESS_WINDOW_MS = 1000;
/** Probes use only part of the timeout as the window, so short timeouts still tell the two apart. */
const PROGRESS_WINDOW_SHARE = 0.25;
const SUMDB_PATH = '/sumdb/sum.golang.org';

/**
 * Turns a mirror's raw observations into a verdict. Order matters: a socket
 * failure explains everything after it, then HTTP errors, then wrong
 * content, and only then the checksum-database endpoint.
 */
export function classifyMirror(obs: MirrorObservations, timeoutMs: number): Health {
  let latencyMs: number | undefined;
  let throughputBps: number | undefined;
  let scoreMs = 0;
  let moduleVerdict: { verdict: Verdict; reason: string } | undefined;

  for (const t of obs.targets) {
    const label = `${t.target.module}@${t.target.version}`;
    for (const o of [t.info, t.mod, t.zip]) {
      if (o) scoreMs = Math.max(scoreMs, elapsed(o));
    }
    latencyMs ??= t.info.kind === 'response' ? t.info.headersMs : undefined;
    const failure =
      checkInfo(t.info, t.target, label, timeoutMs) ??
      checkMod(t.mod, t.target, label, timeoutMs) ??
      checkZip(t.zip, t.target, label, timeoutMs);
    if (t.zip?.kind === 'response' && t.zip.status === 200 && t.zip.totalMs > 0) {
      throughputBps ??= Math.round((t.zip.body.length * 1000) / Math.max(1, t.zip.totalMs));
      if (!t.zip.complete) scoreMs = Math.max(scoreMs, timeoutMs);
    }
    if (failure && (!moduleVerdict || moduleVerdict.verdict === 'not-found')) {
      moduleVerdict = failure;
    }
  }

  const sumdb = checkSumdb(obs.supported, obs.latest, timeoutMs);
  const base = { latencyMs, throughputBps, scoreMs, proxiesSumdb: sumdb.proxies };
  if (moduleVerdict && moduleVerdict.verdict !== 'not-found') return { ...base, ...moduleVerdict };
  if (sumdb.failure) return { ...base, ...sumdb.failure };
  if (moduleVerdict) return { ...base, ...moduleVerdict };
  if (obs.targets.length === 0) {
    return { ...base, verdict: 'unprobed', reason: 'no dependency to probe with' };
  }
  return { ...base, verdict: 'healthy', reason: '' };
}

type Failure = { verdict: Verdict; reason: string } | undefined;

function checkInfo(o: Observation, target: ProbeTarget, label: string, timeoutMs: number): Failure {
  const checked = responseOf(o, `${label} .info`, timeoutMs);
  if (checked.kind !== 'ok') return checked.failure;
  const r = checked.response;
  let version: unknown;
  try {
    version = (JSON.parse(r.body.toString('utf8')) as { Version?: unknown }).Version;
  } catch {
    return wrongContent(`${label} .info is not JSON${describeType(r)}`);
  }
  if (version !== target.version) {
    return wrongContent(`${label} .info names version ${JSON.stringify(version)}`);
  }
  return undefined;
}

function checkMod(
  o: Observation | undefined,
  target: ProbeTarget,
  label: string,
  timeoutMs: number,
): Failure {
  const checked = responseOf(o, `${label} .mod`, timeoutMs);
  if (checked.kind !== 'ok') return checked.failure;
  const r = checked.response;
  if (target.modHash) {
    const got = hashGoMod(r.body);
    if (got !== target.modHash) {
      return wrongContent(`${label} .mod hashes to ${got}, go.sum has ${target.modHash}`);
    }
  } else if (!/^\s*module\s/m.test(r.body.toString('utf8'))) {
    return wrongContent(`${label} .mod is not a go.mod file${describeType(r)}`);
  }
  return undefined;
}

function checkZip(
  o: Observation | undefined,
  target: ProbeTarget,
  label: string,
  timeoutMs: number,
): Failure {
  const checked = responseOf(o, `${label} .zip`, timeoutMs, true);
  if (checked.kind !== 'ok') return checked.failure;
  const r = checked.response;
  if (!r.complete) {
    // Flowing but too big to finish within the probe: usable, and scored as
    // slow; Go verifies it against go.sum when it downloads it anyway.
    return undefined;
  }
  if (!target.zipHash) return undefined;
  let got: string;
  try {
    got = hashZip(r.body);
  } catch (err) {
    return wrongContent(`${label} .zip is corrupt (${(err as Error).message})${describeType(r)}`);
  }
  if (got !== target.zipHash) {
    return wrongContent(`${label} .zip hashes to ${got}, go.sum has ${target.zipHash}`);
  }
  return undefined;
}

type Checked = { kind: 'ok'; response: ResponseObservation } | { kind: 'done'; failure: Failure };

/** A usable 200 response, or the verdict that ends the check (none when not requested). */
function responseOf(
  o: Observation | undefined,
  what: string,
  timeoutMs: number,
  allowPartial = false,
): Checked {
  if (!o) return { kind: 'done', failure: undefined };
  const bad = checkTransport(o, what, timeoutMs, allowPartial);
  if (bad) return { kind: 'done', failure: bad };
  return { kind: 'ok', response: o as ResponseObservation };
}

/**
 * Socket failures, HTTP statuses and stalled bodies. Returns undefined only
 * for a 200 whose body is complete or, where `allowPartial`, still flowing
 * at the deadline.
 */
function checkTransport(
  o: Observation,
  what: string,
  timeoutMs: number,
  allowPartial = false,
): Failure {
  if (o.kind === 'error') return transportVerdict(o, what, timeoutMs);
  if (o.status === 404 || o.status === 410) {
    return { verdict: 'not-found', reason: `${what}: HTTP ${o.status}` };
  }
  if (o.status === 401 || o.status === 403) {
    return { verdict: 'erroring', reason: `${what}: ${describeStatus(o)} (check the credentials)` };
  }
  if (o.status !== 200) return { verdict: 'erroring', reason: `${what}: ${describeStatus(o)}` };
  if (o.complete) return undefined;
  // A `.zip` past its cap was read far enough to measure; anything else that big is no answer.
  if (o.overCap && !allowPartial) return wrongContent(`${what}: ${describeOverCap(o.overCap)}`);
  if (!stillFlowing(o, timeoutMs)) {
    return {
      verdict: 'stalled',
      reason: `${what}: headers arrived but the body stalled after ${o.body.length} bytes`,
    };
  }
  if (allowPartial) return undefined;
  return {
    verdict: 'timeout',
    reason: `${what}: body still arriving after ${formatSeconds(timeoutMs)}`,
  };
}

function transportVerdict(o: ErrorObservation, what: string, timeoutMs: number): Failure {
  switch (o.code) {
    case 'refused':
      return { verdict: 'refused', reason: `${what}: connection refused` };
    case 'dns':
      return { verdict: 'dns', reason: `${what}: host name did not resolve (${o.message})` };
    case 'timeout':
      return {
        verdict: 'timeout',
        reason: `${what}: no answer within ${formatSeconds(timeoutMs)} (Go would wait forever)`,
      };
    default:
      return { verdict: 'erroring', reason: `${what}: ${o.message}` };
  }
}

function checkSumdb(
  supported: Observation | undefined,
  latest: Observation | undefined,
  timeoutMs: number,
): { proxies: boolean; failure?: Failure } {
  if (!supported) return { proxies: false };
  const what = `${SUMDB_PATH}/supported`;
  const bad = checkTransport(supported, what, timeoutMs);
  if (bad?.verdict === 'not-found') return { proxies: false };
  const pinned = 'Go pins the first mirror that answers there, so every checksum lookup would fail';
  if (bad) {
    return {
      proxies: false,
      failure: { verdict: 'sumdb-broken', reason: `${bad.reason}; ${pinned}` },
    };
  }
  if (!latest) return { proxies: false };
  const latestBad = checkTransport(latest, `${SUMDB_PATH}/latest`, timeoutMs);
  if (latestBad) {
    return {
      proxies: false,
      failure: {
        verdict: 'sumdb-broken',
        reason: `says it proxies the checksum database but ${latestBad.reason}; ${pinned}`,
      },
    };
  }
  const text = (latest as ResponseObservation).body.toString('utf8');
  if (!isTreeHead(text)) {
    return {
      proxies: false,
      failure: {
        verdict: 'sumdb-broken',
        reason: `says it proxies the checksum database but ${SUMDB_PATH}/latest is not a signed tree head; ${pinned}`,
      },
    };
  }
  return { proxies: true };
}

/** A signed tree head: the header line, a size, a base64 hash, then signature lines. */
export function isTreeHead(text: string): boolean {
  const lines = text.split('\n');
  return (
    lines[0] === 'go.sum database tree' &&
    /^\d+$/.test(lines[1] ?? '') &&
    /^[A-Za-z0-9+/]+=*$/.test(lines[2] ?? '') &&
    lines.slice(3).some((l) => l.startsWith('— '))
  );
}

function stillFlowing(o: ResponseObservation, timeoutMs: number): boolean {
  const window = Math.min(PROGRESS_WINDOW_MS, timeoutMs * PROGRESS_WINDOW_SHARE);
  return o.body.length > 0 && o.totalMs - o.lastByteMs <= window;
}

function elapsed(o: Observation): number {
  return o.kind === 'error' ? o.elapsedMs : o.totalMs;
}

function wrongContent(reason: string): Failure {
  return { verdict: 'wrong-content', reason };
}

function describeType(r: ResponseObservation): string {
  if (/html/i.test(r.contentType) || /^\s*<(!doctype|html)/i.test(r.body.toString('utf8', 0, 64))) {
    return ' (an HTML page: a captive portal or login page?)';
  }
  return '';
}

export function formatSeconds(ms: number): string {
  return `${+(ms / 1000).toFixed(1)}s`;
}
