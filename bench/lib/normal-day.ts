// The "normal day": this action against a setup-go style cache step, job after job, through
// the same cache service stand-in. Each side has its own cache service, so neither can see the
// other's entries. Both start cold; every row then starts from a copy of what that side's own
// cold first job saved (a fresh service seeded with its entries), so rows do not leak into each
// other and the cold job runs once per side instead of once per row.
//
// Only properties are asserted here (every step passes, a cold job saves, an exact hit restores
// and saves no second copy); the times and bytes are reported, never asserted.
import { writeFileSync } from 'node:fs';
import {
  startCacheService,
  type ActionsPermission,
  type CacheEntry,
} from '../../__tests__/support/cache-server.js';
import { forceRemove } from '../../__tests__/support/fs-cleanup.js';
import { startMirror, type Mirror } from '../../__tests__/support/goproxy-server.js';
import {
  makeBigFixture,
  makeDayFixture,
  type BigFixture,
  type DayFixture,
  type Files,
} from './day-fixture.js';
import { DayRunner, SIDES, type DayJob, type Side } from './day-jobs.js';
import { formatBytes, seconds } from './day-report.js';
import { timeExtractLimit } from './extract-limit.js';
import type { NormalDaySettings } from './settings.js';

export type DayRowId =
  | 'warm'
  | 'limit'
  | 'oneFile'
  | 'oneFileLimit'
  | 'goSum'
  | 'tenth'
  | 'test'
  | 'downloaded'
  | 'held'
  | 'heldNoToken'
  | 'bigRestore';

export interface DayRow {
  id: DayRowId;
  /** Markdown. */
  label: string;
  unit: 'ms' | 'bytes';
  values: Record<Side, number>;
  /** The issue's target for the ratio (this action ÷ setup-go style), printed, never asserted. */
  target?: number;
  /** The measured jobs' post steps, timed apart from the job. */
  postMs?: Record<Side, number>;
  /** Per side, what else the row shows, e.g. how many test packages said (cached). */
  notes?: Partial<Record<Side, string>>;
}

export interface NormalDayResults {
  settings: NormalDaySettings;
  /** Whether the action under test declares `build-cache` (false before the feature lands). */
  buildCache: boolean;
  fixture?: {
    modules: number;
    packages: number;
    commitOrder: string[];
    bump: { module: string; from: string; to: string };
  };
  big?: { modules: number; zipBytes: number; sourceBytes: number };
  rows: DayRow[];
  /** Every job, in the order run. */
  jobs: DayJob[];
}

/** The row order of the table, whatever order the tests ran in. */
export const ROW_ORDER: DayRowId[] = [
  'warm',
  'limit',
  'oneFile',
  'oneFileLimit',
  'goSum',
  'tenth',
  'test',
  'downloaded',
  'held',
  'heldNoToken',
  'bigRestore',
];

type PerSide<T> = Record<Side, T>;

function perSide<T>(make: (side: Side) => T): PerSide<T> {
  return { setupGo: make('setupGo'), action: make('action') };
}

/** The job whose time is the median of `jobs` (the lower middle one for an even count). */
export function medianJob(jobs: readonly DayJob[]): DayJob {
  if (jobs.length === 0) throw new Error('normal day: no job to take the median of');
  const sorted = [...jobs].sort((a, b) => a.jobMs - b.jobMs);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`normal day: ${message}`);
}

export class NormalDay {
  readonly results: NormalDayResults;
  private readonly settings: NormalDaySettings;
  private readonly scratch: string;
  private readonly runner: DayRunner;
  private readonly log: (line: string) => void;
  private fixture?: DayFixture;
  private mirror?: Mirror;
  private big?: { fixture: BigFixture; mirror: Mirror };
  private cold?: PerSide<CacheEntry[]>;
  /** The download-and-unpack limit of the warm entries, each time it was measured. */
  private readonly limits: number[] = [];

  constructor(opts: {
    settings: NormalDaySettings;
    scratch: string;
    actionYmlPath: string;
    log: (line: string) => void;
  }) {
    this.settings = opts.settings;
    this.scratch = opts.scratch;
    this.log = opts.log;
    this.runner = new DayRunner(opts.scratch, opts.actionYmlPath, { vet: opts.settings.vet });
    this.results = {
      settings: opts.settings,
      buildCache: this.runner.buildCache,
      rows: [],
      jobs: [],
    };
  }

  async start(): Promise<void> {
    const s = this.settings;
    const started = Date.now();
    this.fixture = makeDayFixture(this.scratch, s);
    this.mirror = await startMirror({ root: this.fixture.proxyDir });
    this.results.fixture = {
      modules: s.modules,
      packages: s.packages,
      commitOrder: this.fixture.commitOrder.map((i) => this.fixture!.packages[i].dir),
      bump: this.fixture.bump,
    };
    this.log(
      `normal day: ${s.packages} packages, ${s.modules} modules generated in ${Date.now() - started} ms; ` +
        `build cache ${this.runner.buildCache ? 'declared' : 'not in action.yml yet'}`,
    );
  }

  async close(): Promise<void> {
    await this.mirror?.close();
    await this.big?.mirror.close();
    if (this.fixture) forceRemove(this.fixture.root);
    if (this.big) forceRemove(this.big.fixture.root);
  }

  private get day(): DayFixture {
    if (!this.fixture || !this.mirror) throw new Error('normal day: start() first');
    return this.fixture;
  }

  private record(job: DayJob): DayJob {
    this.results.jobs.push(job);
    const hit = job.outputs['cache-hit'] ?? '-';
    const build = job.outputs['build-cache-hit'];
    this.log(
      `${job.label}, ${job.side}: ${(job.jobMs / 1000).toFixed(1)} s + post ${(job.postMs / 1000).toFixed(1)} s ` +
        `(cache-hit ${hit}${build === undefined ? '' : `, build-cache-hit ${build}`}; ` +
        `down ${job.downloadedBytes} B, up ${job.uploadedBytes} B)`,
    );
    return job;
  }

  /**
   * A row timing whole jobs. The note splits each into its setup step and the user's steps, so
   * a reader sees whether a difference comes from the restore or from the compile it spares.
   */
  private jobRow(
    row: Omit<DayRow, 'unit' | 'values' | 'postMs'>,
    jobs: PerSide<DayJob>,
    note: (job: DayJob) => string = () => '',
    measure: 'job' | 'build' = 'job',
  ): void {
    this.addRow({
      ...row,
      unit: 'ms',
      values: perSide((side) => (measure === 'build' ? jobs[side].userMs : jobs[side].jobMs)),
      postMs: perSide((side) => jobs[side].postMs),
      notes: perSide((side) => {
        const j = jobs[side];
        const extra = note(j);
        return `setup ${seconds(j.setupMs)} + build ${seconds(j.userMs)}${extra ? `; ${extra}` : ''}`;
      }),
    });
  }

  private addRow(row: DayRow): void {
    this.results.rows = [...this.results.rows.filter((r) => r.id !== row.id), row].sort(
      (a, b) => ROW_ORDER.indexOf(a.id) - ROW_ORDER.indexOf(b.id),
    );
  }

  /**
   * Runs `jobs` for both sides, interleaved job by job so that load hits both alike. `permission`
   * is what the action's token may do with the REST API: `write` lets its post step delete the
   * entries its new one supersedes.
   */
  private async bothSides(
    seed: PerSide<readonly CacheEntry[]> | undefined,
    plans: { label: string; files: Files; test?: boolean; mirror?: string }[],
    permission: ActionsPermission = 'none',
  ): Promise<{
    jobs: PerSide<DayJob[]>;
    held: PerSide<number>;
    entries: PerSide<CacheEntry[]>;
  }> {
    const services = await Promise.all(
      SIDES.map((side) => startCacheService({ seed: seed?.[side], actionsPermission: permission })),
    );
    try {
      const jobs: PerSide<DayJob[]> = { setupGo: [], action: [] };
      for (const plan of plans) {
        for (const [i, side] of SIDES.entries()) {
          const job = await this.runner.run(side, services[i], {
            ...plan,
            mirror: plan.mirror ?? this.mirror!.url,
          });
          jobs[side].push(this.record(job));
        }
      }
      const entries = perSide((side) => services[SIDES.indexOf(side)].entries());
      const held = perSide((side) => entries[side].reduce((sum, e) => sum + e.size, 0));
      return { jobs, held, entries };
    } finally {
      await Promise.all(services.map((s) => s.close()));
    }
  }

  /** The first job of the day on each side: empty caches everywhere, then a save. */
  async coldStart(): Promise<void> {
    const services = await Promise.all(SIDES.map(() => startCacheService()));
    try {
      const cold = {} as PerSide<CacheEntry[]>;
      for (const [i, side] of SIDES.entries()) {
        const job = this.record(
          await this.runner.run(side, services[i], {
            label: 'cold',
            files: this.day.base,
            mirror: this.mirror!.url,
          }),
        );
        check(job.outputs['cache-hit'] === 'false', `${side}: a cold job must miss`);
        check(job.uploadedBytes > 0, `${side}: a cold job must save`);
        cold[side] = services[i].entries();
      }
      this.cold = cold;
    } finally {
      await Promise.all(services.map((s) => s.close()));
    }
  }

  private get coldEntries(): PerSide<CacheEntry[]> {
    if (!this.cold) throw new Error('normal day: the cold jobs did not run');
    return this.cold;
  }

  /**
   * Job 2, same commit: what both caches are for. Sampled (settings.samples), each sample from
   * the cold job's entries, and the median job counts: the two sides differ by less than the
   * machine's noise from one job to the next.
   */
  async warmSameCommit(): Promise<void> {
    const samples: PerSide<DayJob>[] = [];
    // One job per side, then the limit, round after round: load hits all three alike.
    for (let i = 0; i < this.settings.samples; i++) {
      const [sample] = await this.sampled(
        { label: 'warm, same commit', files: this.day.base },
        this.coldEntries,
        1,
      );
      samples.push(sample.job);
      const archives = this.coldEntries.action.map((e) => e.archive);
      if (i === 0 && process.env.BENCH_DUMP) {
        archives.forEach((a, n) => writeFileSync(`${process.env.BENCH_DUMP}.entry${n}`, a));
      }
      this.limits.push(await timeExtractLimit(archives));
    }
    for (const sample of samples) {
      for (const side of SIDES) {
        check(sample[side].outputs['cache-hit'] === 'true', `${side}: a warm job must hit`);
      }
      check(sample.setupGo.uploadedBytes === 0, 'setup-go style: a hit must save nothing');
      check(
        !sample.action.savedKeys.some((k) => this.isSnapshotKey(k)),
        'this action: an exact hit must save no second module snapshot',
      );
    }
    const warm = perSide((side) => medianJob(samples.map((s) => s[side])));
    this.jobRow({ id: 'warm', label: 'warm, same commit', target: 1.0 }, warm, () =>
      this.sampleNote(samples.length),
    );
    this.limitRow(samples, this.limits);
    // No target: the action downloads its build cache too, which is what spares the compile.
    this.addRow({
      id: 'downloaded',
      label: 'bytes a warm job downloads',
      unit: 'bytes',
      values: perSide((side) => warm[side].downloadedBytes),
    });
  }

  /**
   * The action's main step against the physical limit: downloading the entries it restores and
   * unpacking them with `zstd -dc | tar -x`, all at once. Best against best, since both only
   * ever lose time to the machine's noise.
   */
  private limitRow(samples: readonly PerSide<DayJob>[], limits: readonly number[]): void {
    const entries = this.coldEntries.action;
    const bytes = entries.reduce((sum, e) => sum + e.size, 0);
    this.addRow({
      id: 'limit',
      label: 'warm main step against download + `zstd -dc \\| tar -x` of its entries',
      unit: 'ms',
      values: {
        setupGo: Math.min(...limits),
        action: Math.min(...samples.map((s) => s.action.setupMs)),
      },
      target: 1.5,
      notes: {
        setupGo: `the limit: ${entries.length} entries, ${formatBytes(bytes)}; best of ${limits.length}`,
        action: `main step, best of ${samples.length}`,
      },
    });
  }

  /**
   * One file changed, against the limit plus the compile the change needs: the best job's time
   * against the best limit plus that job's own build steps, which no restore can spare.
   */
  private oneFileLimitRow(jobs: readonly DayJob[]): void {
    if (this.limits.length === 0) return; // the warm row did not run
    const best = [...jobs].sort((a, b) => a.jobMs - b.jobMs)[0];
    const limit = Math.min(...this.limits);
    this.addRow({
      id: 'oneFileLimit',
      label: 'one source file changed, against the limit plus its compile',
      unit: 'ms',
      values: { setupGo: limit + best.userMs, action: best.jobMs },
      target: 1.5,
      notes: {
        setupGo: `the limit ${seconds(limit)} + build ${seconds(best.userMs)}`,
        action: `setup ${seconds(best.setupMs)} + build ${seconds(best.userMs)}; best of ${jobs.length}`,
      },
    });
  }

  /** `settings.samples` runs of one job per side, each on a fresh service seeded from the cold jobs. */
  private async sampled(
    plan: { label: string; files: Files },
    seed: PerSide<readonly CacheEntry[]> = this.coldEntries,
    count = this.settings.samples,
    permission: ActionsPermission = 'none',
  ): Promise<{ job: PerSide<DayJob>; held: PerSide<number> }[]> {
    const out: { job: PerSide<DayJob>; held: PerSide<number> }[] = [];
    for (let i = 0; i < count; i++) {
      const { jobs, held } = await this.bothSides(seed, [plan], permission);
      out.push({ job: perSide((side) => jobs[side][0]), held });
    }
    return out;
  }

  private sampleNote(n: number): string {
    return n > 1 ? `median of ${n}` : '';
  }

  /** The module snapshot's keys start with the `cache-key-prefix` default. */
  private isSnapshotKey(key: string): boolean {
    return key.startsWith('go-mod-');
  }

  /** Commits in a row, each changing a different package; the first is "one file changed". */
  async commits(): Promise<void> {
    const n = this.settings.commits;
    const plans = Array.from({ length: n }, (_, i) => ({
      label: `commit ${i + 1} of ${n}`,
      files: this.day.afterCommits(i + 1),
    }));
    // Commits 1 to n-1 once; then the first and the last commit are sampled like the warm row,
    // the last from what the service held after commit n-1. The action's token may delete
    // (actions: write), as the README recommends.
    const { jobs, entries } = await this.bothSides(this.coldEntries, plans.slice(0, -1), 'write');
    const more = await this.sampled(plans[0], this.coldEntries, this.settings.samples - 1);
    const firsts = [perSide((side) => jobs[side][0]), ...more.map((s) => s.job)];
    const first = perSide((side) => medianJob(firsts.map((s) => s[side])));
    this.jobRow({ id: 'oneFile', label: 'one source file changed', target: 1.0 }, first, () =>
      this.sampleNote(firsts.length),
    );
    this.oneFileLimitRow(firsts.map((f) => f.action));
    const lasts = await this.sampled(plans[n - 1], entries, this.settings.samples, 'write');
    const byBuild = (side: Side) =>
      [...lasts].sort((a, b) => a.job[side].userMs - b.job[side].userMs)[
        Math.floor((lasts.length - 1) / 2)
      ].job[side];
    const last = perSide(byBuild);
    const held = lasts[0].held;
    for (const side of SIDES) jobs[side].push(lasts[0].job[side]);
    this.jobRow(
      {
        id: 'tenth',
        label: `${n === 10 ? 'ten' : n} commits in a row, one package each: the last job's build`,
        target: 0.5,
      },
      last,
      () => this.sampleNote(lasts.length),
      // What the row is about: how much a stale build cache costs the user's steps.
      'build',
    );
    const savedNote = perSide((side) => {
      const saved = jobs[side].filter((j) => j.savedKeys.length > 0).length;
      return `${saved} of ${n} jobs saved`;
    });
    this.addRow({
      id: 'held',
      label: `bytes the cache service holds after the ${n} commits, token with \`actions: write\``,
      unit: 'bytes',
      values: held,
      target: 2.0,
      notes: savedNote,
    });
    // Without a token that may delete, every entry stays: the same jobs (a restore takes the
    // newest entry either way) leave the cold entries and everything they uploaded.
    const kept = perSide(
      (side) =>
        this.coldEntries[side].reduce((sum, e) => sum + e.size, 0) +
        jobs[side].reduce((sum, j) => sum + j.uploadedBytes, 0),
    );
    this.addRow({
      id: 'heldNoToken',
      label: `… without a token that may delete (every entry kept)`,
      unit: 'bytes',
      values: { setupGo: held.setupGo, action: kept.action },
      notes: perSide((side) =>
        side === 'action' ? `${savedNote[side]}; cold entries + every upload` : savedNote[side],
      ),
    });
  }

  /** A module moved to a new version: go.sum changes. */
  async goSumChanged(): Promise<void> {
    const { jobs } = await this.bothSides(this.coldEntries, [
      { label: 'go.sum changed', files: this.day.bumped },
    ]);
    const job = perSide((side) => jobs[side][0]);
    check(job.setupGo.outputs['cache-hit'] === 'false', 'setup-go style: a new go.sum must miss');
    this.jobRow({ id: 'goSum', label: 'one dependency bumped in go.sum', target: 0.5 }, job);
  }

  /** go test ./... on job 2, after a cold job 1 that ran the same steps and saved. */
  async goTest(): Promise<void> {
    const plan = { files: this.day.base, test: true };
    const { jobs } = await this.bothSides(undefined, [
      { label: 'go test, cold', ...plan },
      { label: 'go test, warm', ...plan },
    ]);
    const warm = perSide((side) => jobs[side][1]);
    this.jobRow({ id: 'test', label: '`go test ./...` on a warm job' }, warm, (job) => {
      const t = job.tests!;
      return t.packages === 0
        ? 'no test ran'
        : `${t.cached} of ${t.packages} packages \`(cached)\``;
    });
  }

  /** A big module cache: the warm setup step's restore, against the untar of all of it. */
  async bigRestore(): Promise<void> {
    const s = this.settings;
    if (!this.big) {
      const started = Date.now();
      const fixture = makeBigFixture(this.scratch, {
        modules: s.bigModules,
        sourceBytes: s.bigSourceBytes,
        progress: (done) => this.log(`big fixture: ${done} of ${s.bigModules} modules written`),
      });
      this.big = { fixture, mirror: await startMirror({ root: fixture.proxyDir }) };
      this.results.big = {
        modules: fixture.modules,
        zipBytes: fixture.zipBytes,
        sourceBytes: fixture.sourceBytes,
      };
      this.log(
        `big fixture: ${fixture.modules} modules, ${(fixture.zipBytes / 2 ** 20).toFixed(1)} MiB of zips, ` +
          `generated in ${Date.now() - started} ms`,
      );
    }
    const plan = { files: this.big.fixture.app, mirror: this.big.mirror.url };
    const { jobs } = await this.bothSides(undefined, [
      { label: 'big, cold', ...plan },
      { label: 'big, warm', ...plan },
    ]);
    const warm = perSide((side) => jobs[side][1]);
    for (const side of SIDES) {
      check(warm[side].outputs['cache-hit'] === 'true', `${side}: the warm big job must hit`);
    }
    this.addRow({
      id: 'bigRestore',
      label:
        `${s.bigModules}-module cache (${formatBytes(this.big.fixture.zipBytes)} of zips): ` +
        'warm restore (this action: restore + verify)',
      unit: 'ms',
      // Without a restore time in the summary, the whole setup step stands in, and says so.
      values: perSide((side) => warm[side].restoreMs ?? warm[side].setupMs),
      notes: perSide((side) => {
        const j = warm[side];
        const parts = [
          j.restoreMs === undefined
            ? 'no restore time reported: the whole setup step'
            : `setup step ${seconds(j.setupMs)}`,
          ...(j.verifyMs === undefined ? [] : [`verify ${seconds(j.verifyMs)}`]),
          `${formatBytes(j.downloadedBytes)} downloaded`,
        ];
        return parts.join(', ');
      }),
    });
  }
}
