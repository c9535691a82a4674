import type { Config } from '../config/types.js';
import type { Vendoring } from '../gomod/vendor.js';
import { buildChain, type Chain, type ProbedMirror } from '../proxy/chain.js';
import { chainToExport } from '../proxy/choose-chain.js';
import type { Outcome, Probed } from '../proxy/probe-types.js';
import type { SumdbChoice } from '../proxy/sumdb.js';
import { describeMirrors } from '../report/describe-failures.js';
import { healthyMirrors } from './exports.js';
import type { PrefetchReport } from './run-report.js';

/** A line for the job's log: `warning` lines also become annotations. */
export interface Message {
  level: 'info' | 'warning';
  text: string;
}

/** The checksum database to export, and the warning that goes with it. */
export interface SumdbDecision {
  sumdb: SumdbChoice;
  goprivate?: string;
  messages: Message[];
}

/** GOSUMDB for the chain chosen; its warning only matters when there is something to check. */
export function decideSumdb(config: Config, outcome: Outcome, modules: number): SumdbDecision {
  const { sumdb } = outcome;
  return {
    sumdb,
    goprivate: config.goprivate || undefined,
    messages: sumdb.warning && modules > 0 ? [{ level: 'warning', text: sumdb.warning }] : [],
  };
}

/**
 * Without a chain, GOPROXY=off is enough when the module cache holds everything; that needs
 * Go's offline check unless the snapshot was a hit. Vendored projects never need it.
 */
export function offlineCheckNeeded(
  outcome: Outcome,
  vendoring: Vendoring,
  cacheHit: boolean,
): boolean {
  return !outcome.chain && !vendoring.all && !cacheHit;
}

/** How the step goes on once the mirrors are judged. */
export type MirrorsEnd =
  /** A chain is exported: the toolchain, the prefetch and the late verdicts follow. */
  | 'continue'
  /** A vendored project with no usable mirror: the user's list is exported as it is. */
  | 'vendored'
  /** No usable mirror but a complete module cache: GOPROXY=off, then the late verdicts. */
  | 'offline'
  /** No usable mirror and modules to download: the step fails. */
  | 'fail';

export interface MirrorsDecision {
  end: MirrorsEnd;
  /** The chain to export; none with `offline` (GOPROXY=off) and with `fail` (nothing exported). */
  chain?: Chain;
  messages: Message[];
  /** For the summary, in order. */
  notes: string[];
  prefetch?: PrefetchReport;
  /** The healthy-mirrors output when it is settled here (the late verdicts settle it otherwise). */
  healthyMirrors?: string;
  error?: string;
}

export interface MirrorsFacts {
  config: Config;
  probed: Probed;
  outcome: Outcome;
  vendoring: Vendoring;
  /** The snapshot was an exact, verified, complete hit. */
  cacheHit: boolean;
  /** Go found every module in the module cache, offline (only asked when needed). */
  holdsEverything: boolean;
}

/** What the judged mirrors mean for the job: the chain to export, or why there is none. */
export function decideMirrors(f: MirrorsFacts): MirrorsDecision {
  const messages: Message[] = [];
  const notes: string[] = [];
  let prefetch: PrefetchReport | undefined;
  if (f.vendoring.all) {
    const note = `Vendored project (${f.vendoring.reason}): builds read vendor/, so the prefetch was skipped and no mirror is required.`;
    messages.push({ level: 'info', text: note });
    notes.push(note);
    prefetch = { enabled: f.config.prefetch, attempts: [], skipped: 'vendored project' };
    if (!f.outcome.chain) return vendoredWithoutMirror(f, messages, notes, prefetch);
  }
  if (f.outcome.chain)
    return { end: 'continue', chain: f.outcome.chain, messages, notes, prefetch };
  const mirrors = describeMirrors(f.probed.result);
  // cache-hit means Go already found every module in the snapshot, offline.
  if (f.cacheHit || f.holdsEverything) {
    const note = `No mirror is usable, but the module cache already holds everything go.sum needs; GOPROXY=off so a missing module fails fast instead of hanging.\n${mirrors}`;
    messages.push({ level: 'warning', text: note });
    notes.push(note.split('\n')[0]);
    return { end: 'offline', messages, notes };
  }
  return { end: 'fail', messages, notes, error: `No usable GOPROXY mirror:\n${mirrors}` };
}

function vendoredWithoutMirror(
  f: MirrorsFacts,
  messages: Message[],
  notes: string[],
  prefetch: PrefetchReport,
): MirrorsDecision {
  // Nothing answered now; the user's own list is the best guess for a later `go get`.
  const chain = buildChain(
    f.probed.result.map((p) => ({ ...p, health: { ...p.health, verdict: 'healthy' } })),
    f.config.direct,
  );
  const warning = `No mirror is usable; GOPROXY is your mirrors as given, for a later go get. Builds of this vendored project do not need it.\n${describeMirrors(f.probed.result)}`;
  messages.push({ level: 'warning', text: warning });
  notes.push(warning.split('\n')[0]);
  return { end: 'vendored', chain, messages, notes, prefetch, healthyMirrors: '' };
}

/** What the verdicts that came in late change, once the main step is done with the mirrors. */
export interface LateDecision {
  /** Every mirror's state, when a late verdict changed one. */
  probed?: ProbedMirror[];
  /** A new chain to export. */
  chain?: Chain;
  /** A new checksum database to export. */
  sumdb?: SumdbChoice;
  messages: Message[];
  healthyMirrors: string;
}

/**
 * The export later steps get, made when the main step is done with the mirrors: verdicts that
 * came in meanwhile for mirrors cut off by the grace are folded in (`folded`). A late pass
 * joins the chain behind the mirrors that answered in time; a late failure leaves it; a mirror
 * still probing stays where it was put.
 */
export function decideLateVerdicts(
  config: Config,
  judged: Probed,
  folded: Probed,
  current: { chain?: Chain; sumdb: SumdbChoice },
  cacheHit: boolean,
): LateDecision {
  const changed = folded.result.some((p, i) => p.health !== judged.result[i].health);
  if (!changed) return { messages: [], healthyMirrors: healthyMirrors(current.chain) };
  const out: LateDecision = { probed: folded.result, messages: [], healthyMirrors: '' };
  const outcome = chainToExport(config, folded, cacheHit);
  let chain = current.chain;
  const next = outcome.chain;
  if (next && next.display !== chain?.display) {
    out.messages.push({
      level: 'info',
      text: `Verdicts that came in late change GOPROXY to ${next.display}`,
    });
    out.chain = next;
    chain = next;
  }
  if (outcome.sumdb.value !== current.sumdb.value || outcome.sumdb.via !== current.sumdb.via) {
    out.sumdb = outcome.sumdb;
  }
  out.healthyMirrors = healthyMirrors(chain);
  return out;
}
