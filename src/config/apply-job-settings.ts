import { splitList, splitUrlList } from '../util/list.js';
import { findUrlSecrets, maskUrl } from '../util/mask.js';
import { InputError } from './input-error.js';
import type { RawInputs } from './inputs.js';
import { parseMirrorList } from './parse-mirror-list.js';
import type { Config, ParsedInputs } from './types.js';

/** Go's own defaults, as its go.env ships them. */
export const GO_DEFAULT_GOPROXY = 'https://proxy.golang.org,direct';
export const GO_DEFAULT_GOSUMDB = 'sum.golang.org';
/** action.yml's default for `mirrors`. */
const DEFAULT_MIRRORS = ['https://proxy.golang.org', 'direct'];

/** What the job set, as `go env` reports it with the job's own environment. */
export type JobGoSettings = Record<
  'GOPROXY' | 'GOSUMDB' | 'GOPRIVATE' | 'GONOPROXY' | 'GONOSUMDB',
  string
> & {
  /** The job set GOSUMDB itself (even to Go's default value). */
  gosumdbSet: boolean;
};

export interface FromJob {
  config: Config;
  /** What the job's settings changed, or what replaced them: each is logged and shown. */
  notes: string[];
}

/**
 * Folds the job's own Go settings into what the inputs say. Rules:
 * - GOPRIVATE, GONOPROXY and GONOSUMDB are the user's intent: such paths never go to a public
 *   mirror, merged with the `private` input;
 * - a GOPROXY the job set is the mirror list when `mirrors` was left at its default (it is
 *   written in the same list syntax); otherwise the input wins;
 * - a GOSUMDB the job set is kept when `sumdb` is `auto`; otherwise the input wins.
 */
export function applyJobSettings(
  inputs: ParsedInputs,
  raw: RawInputs,
  job: JobGoSettings,
): FromJob {
  const notes: string[] = [];
  const goprivate = mergePatterns(inputs.goprivate, job.GOPRIVATE);
  const noPublic = mergePatterns(goprivate, job.GONOPROXY, job.GONOSUMDB);
  let { mirrors, direct, sumdb, secrets } = inputs;
  let mirrorsFrom: Config['mirrorsFrom'] = 'mirrors';

  const jobProxy = job.GOPROXY.trim();
  const proxySet = jobProxy !== '' && jobProxy !== GO_DEFAULT_GOPROXY;
  const defaulted = sameList(splitList(raw.mirrors), DEFAULT_MIRRORS);
  if (proxySet) secrets = [...secrets, ...findUrlSecrets(jobProxy)];
  if (proxySet && defaulted) {
    const parsed = parseJobGoproxy(jobProxy);
    const privates = inputs.mirrors.filter((m) => m.private);
    mirrors = [...privates, ...parsed.mirrors];
    direct = parsed.direct;
    mirrorsFrom = 'GOPROXY';
    secrets = [...secrets, ...findUrlSecrets(parsed.mirrors.map((m) => m.url).join('\n'))];
    notes.push(
      `GOPROXY=${maskUrl(jobProxy)} from the job's environment is used as the mirror list (mirrors was left at its default).`,
    );
  } else if (proxySet) {
    notes.push(
      `GOPROXY=${maskUrl(jobProxy)} from the job's environment is replaced by the probed chain of mirrors.`,
    );
  }

  if (job.gosumdbSet || (job.GOSUMDB && job.GOSUMDB !== GO_DEFAULT_GOSUMDB)) {
    if (inputs.sumdb === 'auto') {
      sumdb = job.GOSUMDB;
      notes.push(`GOSUMDB=${job.GOSUMDB} set by the job is kept (sumdb: auto).`);
    } else if (inputs.sumdb !== job.GOSUMDB) {
      notes.push(
        `GOSUMDB=${job.GOSUMDB} from the job's environment is replaced by sumdb: ${inputs.sumdb}.`,
      );
    }
  }
  const privateFromJob = [job.GOPRIVATE, job.GONOPROXY, job.GONOSUMDB].some(
    (v) => cleanPatterns(v).length > 0,
  );
  if (privateFromJob) {
    notes.push(`Private paths (never sent to a public mirror): ${noPublic}.`);
  }
  return {
    config: { ...inputs, mirrors, direct, mirrorsFrom, sumdb, goprivate, noPublic, secrets },
    notes,
  };
}

/** GOPROXY's entries, with `,` and `|` alike; an `off` ends the list, as in Go. */
function parseJobGoproxy(value: string): { mirrors: Config['mirrors']; direct: boolean } {
  // Go splits at every `,` and `|`; one inside a password would leave Go nothing valid anyway.
  const entries = splitUrlList(value, ',|');
  const off = entries.findIndex((e) => e.toLowerCase() === 'off');
  const kept = off >= 0 ? entries.slice(0, off) : entries;
  const problems: string[] = [];
  if (kept.length === 0) {
    problems.push(
      `GOPROXY: "${maskUrl(value)}" from the job's environment turns module downloads off, and mirrors was left at its default; set mirrors to the proxies to probe, or remove GOPROXY=off`,
    );
    throw new InputError(problems);
  }
  const parsed = parseMirrorList('GOPROXY', kept.join('\n'), false, problems);
  if (problems.length > 0) throw new InputError(problems);
  return parsed;
}

/** Comma-joined union of pattern lists, in first-seen order; `none`/`off` mean no patterns. */
export function mergePatterns(...lists: string[]): string {
  const out: string[] = [];
  for (const list of lists) {
    for (const p of cleanPatterns(list)) if (!out.includes(p)) out.push(p);
  }
  return out.join(',');
}

function cleanPatterns(list: string): string[] {
  return splitList(list).filter((p) => p !== 'none' && p !== 'off');
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
