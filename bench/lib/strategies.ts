// The four ways a CI job can point Go at two mirrors, A (first, possibly faulty) and B
// (healthy). Each run is one cold job on a fresh runner: an empty module cache, then
// "setup + go mod download + go build", timed from the first command to the built app.
import { performance } from 'node:perf_hooks';
import type { Job, StepResult } from '../../__tests__/support/runner.js';

export type Outcome = 'passed' | 'failed' | 'cut';

export interface Run {
  outcome: Outcome;
  ms: number;
  /** Why a run failed or was cut: the first line of the failing command's error. */
  detail?: string;
}

export interface Strategy {
  id: 'single' | 'comma' | 'pipe' | 'action';
  /** Markdown, for the table header. */
  label: string;
  run(job: Job, a: string, b: string, cutMs: number): Promise<Run>;
}

/** The user's build step, the same after every strategy. The app's output is not the point. */
export const USER_BUILD = 'go build -o "$RUNNER_TEMP/app" . && "$RUNNER_TEMP/app" 2>/dev/null';

/** Inputs every action run in the benchmark shares. */
export interface ActionInputOptions {
  probeTimeout?: string;
  cache?: boolean;
}

/**
 * The action's inputs as a workflow would give them. `sumdb` is set rather than `auto`: auto
 * probes the public checksum database directly, and a benchmark must neither leave the machine
 * nor time a host it does not control. With a complete go.sum no build consults it anyway.
 */
export function actionInputs(
  mirrors: string[],
  opts: ActionInputOptions = {},
): Record<string, string> {
  const inputs: Record<string, string> = {
    mirrors: mirrors.join('\n'),
    'working-directory': 'app',
    sumdb: 'sum.golang.org',
    cache: String(opts.cache ?? false),
  };
  if (opts.probeTimeout) inputs['probe-timeout'] = opts.probeTimeout;
  return inputs;
}

export function outcomeOf(step: StepResult): Outcome {
  if (step.timedOut) return 'cut';
  return step.exitCode === 0 ? 'passed' : 'failed';
}

/** The first line that says what went wrong, for the JSON results. */
export function firstErrorLine(step: StepResult): string | undefined {
  if (outcomeOf(step) === 'passed') return undefined;
  if (step.timedOut) return 'still running at the cut bound: its process group was killed';
  const lines = `${step.stderr}\n${step.stdout}`.split('\n').map((l) => l.trim());
  return lines.find((l) => l.startsWith('::error::')) ?? lines.find((l) => l !== '');
}

/** Plain Go: GOPROXY set by hand, then the user's own download and build. */
function plainGo(
  id: Strategy['id'],
  label: string,
  chain: (a: string, b: string) => string,
): Strategy {
  return {
    id,
    label,
    async run(job, a, b, cutMs) {
      const step = await job.run(`go mod download && ${USER_BUILD}`, {
        cwd: 'app',
        env: { GOPROXY: chain(a, b) },
        timeoutMs: cutMs,
      });
      return { outcome: outcomeOf(step), ms: step.durationMs, detail: firstErrorLine(step) };
    },
  };
}

/** This action's main step with both mirrors, then the same build with what it exported. */
export function actionStrategy(opts: ActionInputOptions): Strategy {
  return {
    id: 'action',
    label: 'this action',
    async run(job, a, b, cutMs) {
      const start = performance.now();
      const main = await job.runMain(actionInputs([a, b], opts), { timeoutMs: cutMs });
      const elapsed = () => Math.round(performance.now() - start);
      if (outcomeOf(main) !== 'passed') {
        return { outcome: outcomeOf(main), ms: elapsed(), detail: firstErrorLine(main) };
      }
      const left = cutMs - elapsed();
      if (left <= 0) return { outcome: 'cut', ms: elapsed(), detail: 'no time left to build' };
      const build = await job.run(USER_BUILD, { cwd: 'app', timeoutMs: left });
      return { outcome: outcomeOf(build), ms: elapsed(), detail: firstErrorLine(build) };
    },
  };
}

export function strategies(actionOpts: ActionInputOptions): Strategy[] {
  return [
    // A team that points Go at one proxy.
    plainGo('single', 'Go, one proxy: `A`', (a) => a),
    // What most manual recipes recommend.
    plainGo('comma', '`A,B,direct`', (a, b) => `${a},${b},direct`),
    plainGo('pipe', '`A\\|B`', (a, b) => `${a}|${b}`),
    actionStrategy(actionOpts),
  ];
}
