// How big the benchmark is. The full run is the one the README quotes. The smoke run
// (BENCH_SMOKE=1) runs every code path once on a small fixture, so CI notices when the
// benchmark itself breaks. Its numbers mean nothing.

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
  };
}
