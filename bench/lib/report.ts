// The benchmark's results: one JSON document, and one Markdown table for the terminal and the
// README. Every time in the table is a ratio against a baseline taken in the same run; the
// baselines' own times are printed beside them only so a reader can compare machines.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, type } from 'node:os';
import { GO_BIN } from '../../__tests__/support/gomodules.js';
import type { Fault } from '../../__tests__/support/goproxy-server.js';
import type { ArchiveMeasure, Compression } from './archive.js';
import { dayWithRatios, renderNormalDay } from './day-report.js';
import type { Cell } from './measure.js';
import type { NormalDayResults } from './normal-day.js';
import type { BenchSettings } from './settings.js';
import type { Strategy } from './strategies.js';

export interface Machine {
  cpus: number;
  cpuModel: string;
  os: string;
  go: string;
  node: string;
}

export interface FaultRow {
  fault: Fault;
  /** Completes "a first mirror that …". */
  label: string;
  cells: Partial<Record<Strategy['id'], Cell>>;
  /** The action with A healthy too, measured right after the row's cells: its own baseline. */
  actionHealthy?: Cell;
}

export interface JobTiming {
  /** main + go build + post, as the job's wall time spent on modules. */
  ms: number;
  mainMs: number;
  buildMs: number;
  postMs: number;
  /** Archive bytes the cache service received during the job. */
  uploadedBytes: number;
  cacheHit: string;
}

export interface BenchResults {
  settings: BenchSettings;
  machine: Machine;
  startedAt: string;
  strategies: { id: Strategy['id']; label: string }[];
  /** The healthy scenario with Go's default single proxy: what every fault cell is divided by. */
  baselineMs?: number;
  faults: FaultRow[];
  snapshot?: { compression: Compression; ours: ArchiveMeasure; setupGo: ArchiveMeasure };
  /** Jobs with the cache service: cold, then warm with a healthy mirror, then warm with every mirror dead. */
  jobs?: { cold: JobTiming; warm: JobTiming; dead: JobTiming };
  overhead?: { mainMs: number; plainDownloadMs: number; runs: number };
  /** This action against a setup-go style cache, job after job on fresh runners. */
  normalDay?: NormalDayResults;
}

export function describeMachine(): Machine {
  const go = spawnSync(GO_BIN, ['version'], { encoding: 'utf8' }).stdout.trim();
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    os: osName(),
    go: go.replace(/^go version /, ''),
    node: process.version,
  };
}

function osName(): string {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (pretty) return pretty[1];
  } catch {
    // not Linux, or no os-release: fall back to the kernel
  }
  return `${type()} ${release()}`;
}

/** Adds the ratios a reader wants to the raw results, for the JSON file. */
export function withRatios(r: BenchResults): unknown {
  const ratio = (x: number, base: number | undefined) =>
    base ? Number((x / base).toFixed(3)) : undefined;
  return {
    ...r,
    faults: r.faults.map((row) => ({
      ...row,
      cells: Object.fromEntries(
        // A cut cell's time is only a lower bound, so it gets no ratio.
        Object.entries(row.cells).map(([id, c]) => [
          id,
          { ...c, ratio: c.outcome === 'cut' ? undefined : ratio(c.ms, r.baselineMs) },
        ]),
      ),
    })),
    snapshotRatios: r.snapshot && {
      bytes: ratio(r.snapshot.ours.bytes, r.snapshot.setupGo.bytes),
      saveTime: ratio(r.snapshot.ours.saveMs, r.snapshot.setupGo.saveMs),
      restoreTime: ratio(r.snapshot.ours.restoreMs, r.snapshot.setupGo.restoreMs),
    },
    warmOverCold: r.jobs && ratio(r.jobs.warm.ms, r.jobs.cold.ms),
    deadOverWarm: r.jobs && ratio(r.jobs.dead.ms, r.jobs.warm.ms),
    actionOverHealthy: Object.fromEntries(
      r.faults.map((row) => [row.fault, actionOverHealthy(r, row)]),
    ),
    overheadRatio: r.overhead && ratio(r.overhead.mainMs, r.overhead.plainDownloadMs),
    normalDay: r.normalDay && dayWithRatios(r.normalDay),
  };
}

const times = (x: number) => `×${x.toFixed(2)}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${n} B`;
}

function table(header: string[], rows: string[][]): string[] {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)];
}

function faultCell(c: Cell | undefined, baselineMs: number, cutMs: number): string {
  if (!c) return 'not run';
  if (c.outcome === 'cut') return `⏳ cut at ${cutMs / 1000} s`;
  if (c.outcome === 'failed') return `❌ fails (${times(c.ms / baselineMs)})`;
  return `✅ ${times(c.ms / baselineMs)}`;
}

/** This action's time with the fault ÷ its own time with both mirrors healthy, measured next to it. */
function actionOverHealthy(_r: BenchResults, row: FaultRow): number | undefined {
  const healthy = row.actionHealthy;
  const cell = row.cells.action;
  if (!healthy || !cell || cell.outcome !== 'passed' || healthy.outcome !== 'passed')
    return undefined;
  return Number((cell.ms / healthy.ms).toFixed(3));
}

function faultTable(r: BenchResults): string[] {
  if (!r.baselineMs || r.faults.length === 0) return [];
  const base = r.baselineMs;
  const rows = r.faults.map((row) => {
    const own = actionOverHealthy(r, row);
    return [
      row.label,
      ...r.strategies.map((s) => faultCell(row.cells[s.id], base, r.settings.cutMs)),
      own === undefined ? '' : times(own),
    ];
  });
  return [
    '### Mirror faults',
    '',
    'A cold job (empty module cache): setup + `go mod download` + `go build`. A is the first ' +
      'mirror, B a healthy one. Time ÷ the healthy scenario with one proxy ' +
      `(${seconds(base)} here). The last column is what the fault costs this action: its time ÷ ` +
      'its own time with A healthy too, measured right after.',
    '',
    ...table(
      ['first mirror A', ...r.strategies.map((s) => s.label), 'this action ÷ its healthy job'],
      rows,
    ),
    '',
  ];
}

function snapshotTable(r: BenchResults): string[] {
  if (!r.snapshot) return [];
  const { ours, setupGo, compression } = r.snapshot;
  const row = (name: string, m: ArchiveMeasure) => [
    name,
    `${formatBytes(m.bytes)} (${times(m.bytes / setupGo.bytes)})`,
    times(m.saveMs / setupGo.saveMs),
    times(m.restoreMs / setupGo.restoreMs),
  ];
  return [
    '### Module cache',
    '',
    `Snapshot after one job, as tar + ${compression}; ratios ÷ the setup-go style snapshot ` +
      `(save ${seconds(setupGo.saveMs)}, restore ${seconds(setupGo.restoreMs)} here).`,
    '',
    ...table(
      ['snapshot', 'bytes', 'save time', 'restore time'],
      [
        row('setup-go style: GOMODCACHE + GOCACHE', setupGo),
        row('this action: GOMODCACHE/cache/download', ours),
      ],
    ),
    '',
  ];
}

function jobTable(r: BenchResults): string[] {
  if (!r.jobs) return [];
  const { cold, warm, dead } = r.jobs;
  const row = (name: string, j: JobTiming) => [
    name,
    j.cacheHit,
    times(j.ms / cold.ms),
    times(j.ms / warm.ms),
    formatBytes(j.uploadedBytes),
  ];
  return [
    'Jobs with the cache service: main + `go build` + post. Time ÷ the cold job ' +
      `(${seconds(cold.ms)} here), and ÷ the warm job with a healthy mirror ` +
      `(${seconds(warm.ms)}).`,
    '',
    ...table(
      ['job', 'cache-hit', 'time ÷ cold', 'time ÷ warm', 'bytes uploaded'],
      [
        row('cold: empty cache, healthy mirror', cold),
        row('warm: exact hit, healthy mirror', warm),
        row('warm: exact hit, every mirror dead (one hangs, one refuses)', dead),
      ],
    ),
    '',
  ];
}

function overheadTable(r: BenchResults): string[] {
  if (!r.overhead) return [];
  const { mainMs, plainDownloadMs, runs } = r.overhead;
  return [
    '### Overhead',
    '',
    `No faults, one healthy mirror, empty module cache, median of ${runs}. Time ÷ plain ` +
      `\`go mod download\` (${seconds(plainDownloadMs)} here).`,
    '',
    ...table(
      ['step', 'time'],
      [
        ['plain `go mod download`', times(1)],
        ["this action's main step: probe + prefetch", times(mainMs / plainDownloadMs)],
      ],
    ),
    '',
  ];
}

export function renderTables(r: BenchResults): string {
  const m = r.machine;
  const s = r.settings;
  return [
    `## Benchmark (${s.mode}): ${s.modules} modules, cut at ${s.cutMs / 1000} s`,
    '',
    `${m.cpuModel}, ${m.cpus} CPUs, ${m.os}, ${m.go}, Node ${m.node}.`,
    '',
    ...faultTable(r),
    ...snapshotTable(r),
    ...jobTable(r),
    ...overheadTable(r),
    ...renderNormalDay(r.normalDay),
  ].join('\n');
}
