// The "normal day" table: one row per situation, the setup-go style step and this action side
// by side, and the ratio this action ÷ setup-go style, both measured in the same run. The
// absolute figures are there only so that machines can be compared. Targets are the issue's;
// they are printed beside the ratios and never asserted.
import { SIDE_LABELS } from './day-jobs.js';
import type { DayRow, NormalDayResults } from './normal-day.js';

function ratioOf(row: DayRow): number | undefined {
  const base = row.values.setupGo;
  return base > 0 ? row.values.action / base : undefined;
}

/** The rows with their ratios, for the JSON results. */
export function dayWithRatios(r: NormalDayResults): unknown {
  return {
    ...r,
    rows: r.rows.map((row) => {
      const ratio = ratioOf(row);
      return {
        ...row,
        ratio: ratio === undefined ? undefined : Number(ratio.toFixed(3)),
        targetMet:
          row.target === undefined || ratio === undefined ? undefined : ratio <= row.target,
      };
    }),
  };
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${n} B`;
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function value(row: DayRow, side: 'setupGo' | 'action'): string {
  const v = row.unit === 'bytes' ? formatBytes(row.values[side]) : seconds(row.values[side]);
  const note = row.notes?.[side];
  return note ? `${v} (${note})` : v;
}

function target(row: DayRow): string {
  if (row.target === undefined) return '';
  const ratio = ratioOf(row);
  const met = ratio === undefined ? '' : ratio <= row.target ? ' ✅' : ' ❌';
  return `≤ ×${row.target.toFixed(1)}${met}`;
}

export function renderNormalDay(r: NormalDayResults | undefined): string[] {
  if (!r || r.rows.length === 0) return [];
  const s = r.settings;
  const lines = [
    '### A normal day: this action against a setup-go style cache',
    '',
    `A project of ${s.packages} packages importing ${s.modules} fixture modules ` +
      `(${s.stdlib ? 'with encoding/json, net/http and text/template' : 'no standard library'})` +
      (s.serviceTypes > 0 ? `, ${s.serviceTypes} types of service code per package` : '') +
      (s.realModules ? ' and real golang.org/x code from the toolchain' : '') +
      '. ' +
      'Every job runs on a fresh runner (empty HOME, GOCACHE and GOMODCACHE) and runs the ' +
      `setup step, then ${s.vet ? '`go build ./...` and `go vet ./...`' : '`go build ./...`'}; ` +
      'its time runs from the start of the setup step to the end of the last of those ' +
      '("build" in the notes is everything after setup), and the post step is timed apart. ' +
      'Ratio = this action ÷ setup-go style, both from this run. ' +
      (r.buildCache
        ? 'The action ran with its build cache (`build-cache: true`).'
        : 'The action under test has no build cache yet (action.yml declares no `build-cache`).'),
    '',
    `| situation | ${SIDE_LABELS.setupGo} | ${SIDE_LABELS.action} | ratio | target | post step (${SIDE_LABELS.setupGo} → ${SIDE_LABELS.action}) |`,
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of r.rows) {
    const ratio = ratioOf(row);
    const post = row.postMs ? `${seconds(row.postMs.setupGo)} → ${seconds(row.postMs.action)}` : '';
    lines.push(
      `| ${row.label} | ${value(row, 'setupGo')} | ${value(row, 'action')} | ` +
        `${ratio === undefined ? 'n/a' : `×${ratio.toFixed(2)}`} | ${target(row)} | ${post} |`,
    );
  }
  lines.push('');
  return lines;
}
