import type { Mirror } from './mirror.js';
import { staysInChain, type Health } from './classify.js';

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
 * error fails over. In each group the mirrors that answered in time keep the
 * user's order, and the ones that answered after the grace, or are still being
 * probed, follow; `direct` ends the chain if listed.
 * Returns undefined when nothing usable remains.
 */
export function buildChain(probed: readonly ProbedMirror[], direct: boolean): Chain | undefined {
  const usable = probed.filter((p) => staysInChain(p.health));
  const behind = (p: ProbedMirror) => p.health.behind === true || p.health.verdict === 'slow';
  const inTimeFirst = (list: ProbedMirror[]) => [
    ...list.filter((p) => !behind(p)),
    ...list.filter(behind),
  ];
  const privates = inTimeFirst(usable.filter((p) => p.mirror.private));
  // The offline bundle keeps the place the user gave it; put last, it stays behind the late
  // mirrors too: it is the last resort.
  const publics = usable.filter((p) => !p.mirror.private);
  const placed = (where: 'first' | 'last') => publics.filter((p) => p.mirror.bundle === where);
  const ordered = [
    ...placed('first'),
    ...inTimeFirst(publics.filter((p) => !p.mirror.bundle)),
    ...placed('last'),
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
