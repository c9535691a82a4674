import type { Config } from '../config/types.js';
import type { Outcome, Probed } from '../proxy/probe-types.js';
import { MIRROR_COLUMNS, mirrorRows } from '../report/mirror-table.js';
import { textTable } from './text-table.js';

/** What `probe` found: masked values only, since it is printed. */
export interface ProbeResult {
  config: Config;
  /** Where the mirror list came from: `--mirrors`, `go env GOPROXY` or Go's default. */
  mirrorsFrom: string;
  probeTarget?: string;
  probed: Probed;
  outcome: Outcome;
}

/** The job summary's mirrors table as plain text, then the settings Go would get. */
export function probeText(r: ProbeResult): string {
  const rows = mirrorRows(r.probed.result, r.config.direct).map((row) => [
    row.mirror,
    row.verdict,
    row.latency,
    row.throughput,
    row.reason,
  ]);
  const out: string[] = [];
  const target = r.probeTarget ? `, probed with ${r.probeTarget} from go.sum` : '';
  out.push(`Mirrors from ${r.mirrorsFrom}${target}.`, '');
  out.push(textTable(MIRROR_COLUMNS, rows), '');
  const settings: string[][] = [
    ['GOPROXY', r.outcome.chain?.display ?? 'none: no mirror is usable'],
    ['GOSUMDB', `${r.outcome.sumdb.value} (${r.outcome.sumdb.via})`],
  ];
  if (r.config.goprivate) settings.push(['GOPRIVATE', r.config.goprivate]);
  if (r.outcome.chain?.gonoproxy) settings.push(['GONOPROXY', r.outcome.chain.gonoproxy]);
  out.push(settings.map(([name, value]) => `${name}=${value}`).join('\n'));
  return out.join('\n') + '\n';
}

/** For scripts: one object, stable names, numbers as numbers. */
export function probeJson(r: ProbeResult): string {
  const { chain, sumdb } = r.outcome;
  return (
    JSON.stringify(
      {
        usable: chain !== undefined,
        mirrorsFrom: r.mirrorsFrom,
        probeTarget: r.probeTarget ?? null,
        mirrors: r.probed.result.map(({ mirror, health }) => ({
          mirror: mirror.display,
          private: mirror.private,
          verdict: health.verdict,
          reason: health.reason,
          latencyMs: health.latencyMs ?? null,
          throughputBps: health.throughputBps ?? null,
        })),
        direct: r.config.direct,
        goproxy: chain?.display ?? null,
        gonoproxy: chain?.gonoproxy ?? null,
        gosumdb: { value: sumdb.value, via: sumdb.via },
        goprivate: r.config.goprivate,
        neverPublic: r.config.noPublic,
      },
      null,
      2,
    ) + '\n'
  );
}
