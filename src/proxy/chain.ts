import type { Mirror } from '../config.js';
import { isUsable, type Health } from './classify.js';

export interface ProbedMirror {
  mirror: Mirror;
  health: Health;
}

/** The GOPROXY value to export, and what it is made of. */
export interface Chain {
  /** For Go: credentials included. */
  goproxy: string;
  /** For people and outputs: credentials masked. */
  display: string;
  /** `none` when private mirrors lead the chain, so they serve private modules too. */
  gonoproxy?: string;
  /** The mirrors in the chain, in chain order. */
  members: ProbedMirror[];
  /** Private mirrors lead the chain. */
  privateLed: boolean;
}

/** "Much slower": the probe took more than this many times the best one… */
const SLOW_FACTOR = 3;
/** …plus this margin, so jitter between fast mirrors never reorders them. */
const SLOW_MARGIN_MS = 50;

/**
 * Marks healthy public mirrors whose probe took far longer than the best
 * healthy one as `slow`. Private mirrors are never reordered: their order
 * is about which private proxy is authoritative, not speed.
 */
export function markSlow(probed: readonly ProbedMirror[]): ProbedMirror[] {
  const healthy = probed.filter(
    (p) => !p.mirror.private && !p.mirror.bundle && p.health.verdict === 'healthy',
  );
  if (healthy.length < 2) return [...probed];
  const best = healthy.reduce((a, b) => (b.health.scoreMs < a.health.scoreMs ? b : a));
  const limit = best.health.scoreMs * SLOW_FACTOR + SLOW_MARGIN_MS;
  return probed.map((p) => {
    if (p === best || p.mirror.private || p.mirror.bundle || p.health.verdict !== 'healthy') {
      return p;
    }
    if (p.health.scoreMs <= limit) return p;
    return {
      ...p,
      health: {
        ...p.health,
        verdict: 'slow',
        reason: `probe took ${p.health.scoreMs} ms against ${best.health.scoreMs} ms for ${best.mirror.display}; placed behind it`,
      },
    };
  });
}

/**
 * Puts the offline bundle's mirror first or last among the public mirrors, as the user asked.
 * Private mirrors keep leading: they are joined with `,` ahead of everything public.
 */
export function withBundleMirror(mirrors: readonly Mirror[], bundle: Mirror): Mirror[] {
  const privates = mirrors.filter((m) => m.private);
  const publics = mirrors.filter((m) => !m.private);
  return bundle.bundle === 'first'
    ? [...privates, bundle, ...publics]
    : [...privates, ...publics, bundle];
}

/**
 * Builds GOPROXY from probed mirrors (given in config order: private, then
 * public). Private mirrors are joined with `,` so an error from one never
 * sends a private path on to a public mirror; public mirrors with `|` so any
 * error fails over; slow ones go last; `direct` ends the chain if listed.
 * Returns undefined when nothing usable remains.
 */
export function buildChain(probed: readonly ProbedMirror[], direct: boolean): Chain | undefined {
  const usable = probed.filter((p) => isUsable(p.health.verdict));
  const privates = usable.filter((p) => p.mirror.private);
  const publics = usable.filter((p) => !p.mirror.private);
  // An offline bundle put last stays behind the slow mirrors too: it is the last resort.
  const last = (p: ProbedMirror) => p.mirror.bundle === 'last';
  const ordered = [
    ...publics.filter((p) => p.health.verdict !== 'slow' && !last(p)),
    ...publics.filter((p) => p.health.verdict === 'slow' && !last(p)),
    ...publics.filter(last),
  ];
  if (privates.length === 0 && ordered.length === 0 && !direct) return undefined;

  const join = (pick: (m: ProbedMirror) => string): string => {
    let text = privates.map(pick).join(',');
    const tail = ordered.map(pick);
    if (direct) tail.push('direct');
    if (tail.length > 0) text += (text ? ',' : '') + tail.join('|');
    return text;
  };
  const members = [...privates, ...ordered];
  return {
    goproxy: join((p) => p.mirror.url),
    display: join((p) => p.mirror.display),
    gonoproxy: privates.length > 0 ? 'none' : undefined,
    members,
    privateLed: privates.length > 0,
  };
}

/** The private-only chain used to fetch private modules: nothing public, then `off`. */
export function privateOnlyChain(chain: Chain): string | undefined {
  const privates = chain.members.filter((m) => m.mirror.private);
  if (privates.length === 0) return undefined;
  return [...privates.map((p) => p.mirror.url), 'off'].join(',');
}
