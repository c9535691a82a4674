// How big the benchmark is. The full run is the one the README quotes. The smoke run
// (BENCH_SMOKE=1) runs every code path once on a small fixture, so CI notices when the
// benchmark itself breaks. Its numbers mean nothing.

/** The "normal day" comparison with a setup-go style cache (see normal-day.ts). */
export interface NormalDaySettings {
  /** Fixture modules the project imports. */
  modules: number;
  /** Project packages; the commits row changes a different one in each commit. */
  packages: number;
  /** Whether the fixture uses the standard library (encoding/json, net/http, text/template). */
  stdlib: boolean;
  /**
   * Whether jobs vet: `go vet ./...` after `go build ./...`, and go test's own vet (off is
   * `-vet=off`). Vet compiles fmt and runtime whatever the packages import, ten seconds or so on
   * an empty build cache.
   */
  vet: boolean;
  /** Types of compilable service code in every project package (day-fixture.ts). */
  serviceTypes: number;
  /** Serve the golang.org/x modules the toolchain vendors, and import some of them. */
  realModules: boolean;
  /**
   * Samples of the rows that differ by under a second (warm, one file changed): each runs this
   * many times per side, interleaved, and the job with the median time counts.
   */
  samples: number;
  /** Commits in a row; the table reports the last one's job. */
  commits: number;
  /** Modules of the large module cache. */
  bigModules: number;
  /** Go-like source per large module: about 3.4 times its zip. */
  bigSourceBytes: number;
}

export interface BenchSettings {
  mode: 'full' | 'smoke';
  /** Fixture modules, all imported by the app, so `go build` needs every one. */
  modules: number;
  /** Barely compressible bytes per module: enough that a throttled mirror is visibly slow. */
  payloadBytes: number;
  /** A job still running after this long is cut (its process group killed) and reported as such. */
  cutMs: number;
  /** Runs per quick cell; the median counts. Slow, failed and cut cells run once. */
  repeats: number;
  /** A cell whose first run passed in less than this is repeated. */
  quickMs: number;
  /** The action's probe-timeout input; undefined = the default from action.yml. */
  probeTimeout?: string;
  normalDay: NormalDaySettings;
}

export function benchSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  if (env.BENCH_SMOKE === '1') {
    return {
      mode: 'smoke',
      modules: 8,
      payloadBytes: 4096,
      // The action's hang cells take the probe timeout plus the build, about 2.5 s: the bound
      // leaves four times that for a loaded CI machine.
      cutMs: 10_000,
      repeats: 1,
      quickMs: 0,
      probeTimeout: '2',
      // No standard library and no vet: a job with an empty build cache then compiles in under
      // a second instead of a minute, and every code path still runs once.
      normalDay: {
        modules: 4,
        packages: 3,
        stdlib: false,
        vet: false,
        serviceTypes: 0,
        realModules: false,
        samples: 1,
        commits: 2,
        bigModules: 4,
        bigSourceBytes: 16_384,
      },
    };
  }
  return {
    mode: 'full',
    modules: Number(env.BENCH_MODULES ?? 50),
    payloadBytes: 4096,
    // About 50 times the healthy job. A hung Go never finishes, so the bound only decides how
    // long the benchmark waits before it says so.
    cutMs: 40_000,
    repeats: 3,
    quickMs: 10_000,
    normalDay: {
      modules: Number(env.BENCH_DAY_MODULES ?? 40),
      packages: 10,
      stdlib: true,
      vet: true,
      serviceTypes: Number(env.BENCH_DAY_SERVICE_TYPES ?? 40),
      realModules: env.BENCH_DAY_REAL_MODULES !== '0',
      samples: Number(env.BENCH_DAY_SAMPLES ?? 5),
      commits: 10,
      // About 117 MiB of zips: a large project's module cache.
      bigModules: Number(env.BENCH_BIG_MODULES ?? 400),
      bigSourceBytes: Number(env.BENCH_BIG_SOURCE_BYTES ?? 1_050_000),
    },
  };
}
