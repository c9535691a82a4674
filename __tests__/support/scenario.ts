// Shared setup for the action's end-to-end tests: a fixture project, mirrors over its proxy
// tree, and jobs on fresh runners that share only Go's build cache (compiling the standard
// library once per job would dominate every timing without testing anything of the action).
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forceRemove } from './fs-cleanup.js';
import {
  createProject,
  makeModuleSet,
  requireGo,
  type CreatedProject,
  type ModuleSetOptions,
} from './gomodules.js';
import { startMirror, type Mirror, type MirrorOptions } from './goproxy-server.js';
import { Job, type JobOptions, type StepResult } from './runner.js';

export class Scenario {
  readonly root: string;
  readonly project: CreatedProject;
  private readonly mirrors: Mirror[] = [];
  private readonly jobs: Job[] = [];
  private readonly gocache: string;
  private readonly runnerDirs: string[] = [];

  constructor(project: (root: string) => CreatedProject) {
    requireGo();
    this.root = mkdtempSync(join(tmpdir(), 'grs-e2e-'));
    this.gocache = join(this.root, 'shared-gocache');
    mkdirSync(this.gocache, { recursive: true });
    this.project = project(this.root);
  }

  /** A project of n fixture modules and an app that imports them all. */
  static withModules(n: number, opts: ModuleSetOptions = {}): Scenario {
    return new Scenario((root) => {
      const { modules, app } = makeModuleSet(n, opts);
      return createProject({ root, modules, appFiles: app.files });
    });
  }

  async mirror(opts: Partial<MirrorOptions> = {}): Promise<Mirror> {
    const m = await startMirror({ root: this.project.proxyDir, ...opts });
    this.mirrors.push(m);
    return m;
  }

  /**
   * A job on a fresh runner: empty module cache, own HOME, and its own checkout of the project.
   * The workspace sits at the same place relative to HOME on every runner, as on hosted runners
   * (/home/runner/work/<repo>/<repo>): @actions/cache stores paths relative to the workspace.
   * `runnerDir` puts the runner at a fixed place, wiped first, as hosted runners are: Go's
   * build cache keys packages on their directory. `ownGocache` gives it an empty GOCACHE too.
   */
  job(opts: Partial<JobOptions> & { ownGocache?: boolean } = {}): Job {
    const { ownGocache, ...jobOpts } = opts;
    let runnerDir: string;
    if (opts.runnerDir) {
      runnerDir = opts.runnerDir;
      forceRemove(runnerDir);
      mkdirSync(runnerDir, { recursive: true });
    } else {
      runnerDir = mkdtempSync(join(tmpdir(), 'gha-runner-'));
    }
    this.runnerDirs.push(runnerDir);
    const workspace = join(runnerDir, 'work', 'repo', 'repo');
    cpSync(this.project.root, workspace, {
      recursive: true,
      filter: (src) => !src.startsWith(this.project.proxyDir) && !src.startsWith(this.gocache),
    });
    const job = new Job({
      workspace,
      runnerDir,
      ...jobOpts,
      env: ownGocache ? { ...(opts.env ?? {}) } : { GOCACHE: this.gocache, ...(opts.env ?? {}) },
    });
    this.jobs.push(job);
    return job;
  }

  async close(): Promise<void> {
    await Promise.all(this.mirrors.map((m) => m.close()));
    for (const job of this.jobs) job.cleanup();
    for (const dir of this.runnerDirs) forceRemove(dir);
    forceRemove(this.root);
  }
}

/** Asserts a step succeeded, showing its output when it did not. */
export function expectSuccess(step: StepResult): void {
  if (step.exitCode !== 0 || step.timedOut) {
    throw new Error(
      `step failed (exit ${step.exitCode}, timedOut ${step.timedOut})\n--- stdout\n${step.stdout}\n--- stderr\n${step.stderr}`,
    );
  }
}

/** The `::error::` messages a step printed. */
export function errorsOf(step: StepResult): string {
  return messagesOf(step, 'error');
}

/** The `::warning::` messages a step printed. */
export function warningsOf(step: StepResult): string {
  return messagesOf(step, 'warning');
}

function messagesOf(step: StepResult, command: string): string {
  return step.commands
    .filter((c) => c.command === command)
    .map((c) => c.message)
    .join('\n');
}

/** Builds the app the way a user's later step would, into the runner's temp dir. */
export function goBuild(job: Job, env: Record<string, string> = {}): Promise<StepResult> {
  return job.run('go build -o "$RUNNER_TEMP/app" . && "$RUNNER_TEMP/app"', {
    cwd: 'app',
    env,
    timeoutMs: 120_000,
  });
}
