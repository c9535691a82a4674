// Plays a GitHub Actions runner for one job: a fresh machine (empty module cache, own HOME),
// the step environment a runner builds, and the command files it reads back after each step.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  expandDefault,
  inputEnvName,
  loadActionMetadata,
  type ActionMetadata,
} from './action-metadata.js';
import {
  parseKeyValueFile,
  parsePathFile,
  parseWorkflowCommands,
  type WorkflowCommand,
} from './command-files.js';
import { forceRemove } from './fs-cleanup.js';
import { GO_BIN_DIR } from './gomodules.js';
import { killGroup, runProcess, type ProcessResult } from './process-runner.js';

export interface StepResult extends ProcessResult {
  outputs: Record<string, string>;
  summary: string;
  /** Variables this step exported through GITHUB_ENV. */
  exportedEnv: Record<string, string>;
  /** Directories this step added through GITHUB_PATH. */
  addedPaths: string[];
  state: Record<string, string>;
  /** `::warning::`, `::error::`, `::add-mask::` ... parsed from the raw stdout. */
  commands: WorkflowCommand[];
}

export interface StepOptions {
  timeoutMs?: number;
  /** The step's `env:` (workflow/job/step level): beats GITHUB_ENV exports, as on a runner. */
  env?: Record<string, string>;
  /** Working directory, relative to the workspace unless absolute. */
  cwd?: string;
  /** Told the step's pid once it runs, e.g. to signal it as a runner cancelling the step does. */
  onSpawn?: (pid: number) => void;
}

export interface JobOptions {
  workspace: string;
  /** The runner machine's environment on top of the defaults; GITHUB_ENV exports beat it. */
  env?: Record<string, string>;
  /** Machine variables to leave unset, e.g. GOMODCACHE to test go's default location. */
  unsetEnv?: string[];
  /** Where the job's temp, tool cache and home live; a fresh temp dir by default. */
  runnerDir?: string;
  actionYmlPath?: string;
}

export interface JobStep {
  kind: 'main' | 'post' | 'run';
  label: string;
  result: StepResult;
}

export const DEFAULT_STEP_TIMEOUT_MS = 120_000;
/** What `${{ github.token }}` expands to; fake, so tests can assert it is masked. */
export const FAKE_GITHUB_TOKEN = 'ghs_harnessFakeToken0123456789abcdefABCD';

// Host variables a runner machine would not have, or that would make the job depend on the
// developer's machine: the Go settings, and GITHUB_*/RUNNER_*/INPUT_* when the tests
// themselves run inside Actions.
const INHERITED = ['LANG', 'LC_ALL', 'TZ', 'TMPDIR'];

let jobCounter = 0;

export class Job {
  readonly workspace: string;
  readonly runnerDir: string;
  readonly dirs: {
    temp: string;
    toolCache: string;
    home: string;
    gopath: string;
    gomodcache: string;
    gocache: string;
    files: string;
  };
  /** Everything exported through GITHUB_ENV so far. */
  readonly env: Record<string, string> = {};
  /** Every GITHUB_PATH entry so far, in the order added (the last added wins on PATH). */
  readonly paths: string[] = [];
  readonly steps: JobStep[] = [];
  /** The action's saved state (GITHUB_STATE of its main step), handed to post. */
  state: Record<string, string> = {};
  readonly machineEnv: Record<string, string>;
  private readonly ownsRunnerDir: boolean;
  private readonly actionYmlPath?: string;
  private metadata?: ActionMetadata;
  private readonly running = new Set<number>();
  private stepCounter = 0;
  private mainInputs: Record<string, string> = {};

  constructor(opts: JobOptions) {
    this.workspace = resolve(opts.workspace);
    this.ownsRunnerDir = !opts.runnerDir;
    this.runnerDir = opts.runnerDir ?? mkdtempSync(join(tmpdir(), 'gha-job-'));
    this.actionYmlPath = opts.actionYmlPath;
    const home = join(this.runnerDir, 'home');
    const gopath = join(home, 'go');
    this.dirs = {
      temp: join(this.runnerDir, 'temp'),
      toolCache: join(this.runnerDir, 'tool-cache'),
      home,
      gopath,
      gomodcache: join(gopath, 'pkg', 'mod'),
      gocache: join(home, '.cache', 'go-build'),
      files: join(this.runnerDir, '_runner_file_commands'),
    };
    for (const dir of Object.values(this.dirs)) mkdirSync(dir, { recursive: true });
    mkdirSync(this.workspace, { recursive: true });
    const eventPath = join(this.runnerDir, 'event.json');
    writeFileSync(eventPath, '{}\n');

    const id = ++jobCounter;
    const machine: Record<string, string> = {};
    for (const key of INHERITED) if (process.env[key]) machine[key] = process.env[key]!;
    Object.assign(machine, {
      PATH: [GO_BIN_DIR, dirname(process.execPath), process.env.PATH].filter(Boolean).join(':'),
      HOME: home,
      GOPATH: gopath,
      GOMODCACHE: this.dirs.gomodcache,
      GOCACHE: this.dirs.gocache,
      GOTOOLCHAIN: 'local',
      // Writable module cache, so the job dir can be deleted afterwards.
      GOFLAGS: '-modcacherw',
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: this.workspace,
      GITHUB_REPOSITORY: 'octo-org/octo-app',
      GITHUB_REPOSITORY_OWNER: 'octo-org',
      GITHUB_RUN_ID: String(1_000_000 + id),
      GITHUB_RUN_NUMBER: '1',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_JOB: 'test',
      GITHUB_WORKFLOW: 'CI',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_REF_NAME: 'main',
      GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
      GITHUB_ACTOR: 'octocat',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: 'https://api.github.com',
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_NAME: 'harness',
      RUNNER_ENVIRONMENT: 'github-hosted',
      RUNNER_TEMP: this.dirs.temp,
      RUNNER_TOOL_CACHE: this.dirs.toolCache,
      ImageOS: 'ubuntu24',
    });
    Object.assign(machine, opts.env ?? {});
    for (const key of opts.unsetEnv ?? []) delete machine[key];
    this.machineEnv = machine;
  }

  get action(): ActionMetadata {
    this.metadata ??= loadActionMetadata(this.actionYmlPath);
    return this.metadata;
  }

  /** The environment a step would get, before its GITHUB_* command file variables. */
  stepEnv(stepEnv: Record<string, string> = {}): Record<string, string> {
    const env = { ...this.machineEnv, ...this.env, ...stepEnv };
    const prefix = [...this.paths].reverse();
    if (prefix.length) env.PATH = [...prefix, env.PATH].filter(Boolean).join(':');
    return env;
  }

  runMain(inputs: Record<string, string> = {}, opts: StepOptions = {}): Promise<StepResult> {
    const action = this.action;
    const env = { ...this.inputEnv(inputs), ...(opts.env ?? {}) };
    this.mainInputs = inputs;
    const entry = resolve(action.dir, action.main);
    return this.step('main', `main ${JSON.stringify(inputs)}`, [process.execPath, entry], {
      ...opts,
      env,
    });
  }

  /**
   * The post step: the runner gives it main's inputs again (unless `inputs` overrides them) and
   * main's saved state as STATE_<name>.
   */
  runPost(opts: StepOptions & { inputs?: Record<string, string> } = {}): Promise<StepResult> {
    const action = this.action;
    if (!action.post) throw new Error(`${action.path} declares no runs.post`);
    const env: Record<string, string> = { ...this.inputEnv(opts.inputs ?? this.mainInputs) };
    for (const [name, value] of Object.entries(this.state)) env[`STATE_${name}`] = value;
    Object.assign(env, opts.env ?? {});
    const entry = resolve(action.dir, action.post);
    return this.step('post', 'post', [process.execPath, entry], { ...opts, env });
  }

  /** A workflow `run:` step, with the runner's default bash flags. */
  run(script: string, opts: StepOptions = {}): Promise<StepResult> {
    const bash = ['bash', '--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', script];
    return this.step('run', script, bash, opts);
  }

  /** Kills whatever steps are still running and removes the job's directories. */
  cleanup(): void {
    for (const pid of this.running) killGroup(pid);
    this.running.clear();
    if (this.ownsRunnerDir) forceRemove(this.runnerDir);
    else for (const dir of Object.values(this.dirs)) forceRemove(dir);
  }

  private inputEnv(inputs: Record<string, string>): Record<string, string> {
    const declared = this.action.inputs;
    const byLower = new Map(Object.keys(declared).map((name) => [name.toLowerCase(), name]));
    // The runner only warns about undeclared inputs; here they are almost always test typos.
    for (const name of Object.keys(inputs)) {
      if (!byLower.has(name.toLowerCase())) {
        throw new Error(
          `unknown input '${name}'; action.yml declares: ${Object.keys(declared).join(', ')}`,
        );
      }
    }
    const given = new Map(
      Object.entries(inputs).map(([k, v]) => [byLower.get(k.toLowerCase())!, v]),
    );
    const context = {
      'github.token': FAKE_GITHUB_TOKEN,
      'github.workspace': this.workspace,
      'runner.temp': this.dirs.temp,
      'runner.tool_cache': this.dirs.toolCache,
      'runner.os': 'Linux',
      'runner.arch': 'X64',
    };
    const env: Record<string, string> = {};
    for (const [name, spec] of Object.entries(declared)) {
      const value =
        given.get(name) ??
        (spec.default === undefined ? undefined : expandDefault(spec.default, context));
      if (value !== undefined) env[inputEnvName(name)] = value;
    }
    return env;
  }

  private async step(
    kind: JobStep['kind'],
    label: string,
    argv: string[],
    opts: StepOptions,
  ): Promise<StepResult> {
    if (kind !== 'run' && !existsSync(argv[1])) {
      throw new Error(`${argv[1]} does not exist; build the action first (npm run build)`);
    }
    // Fresh, empty command files for every step, as the runner creates them.
    const dir = join(this.dirs.files, `${++this.stepCounter}-${kind}`);
    mkdirSync(dir, { recursive: true });
    const files = {
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_ENV: join(dir, 'env'),
      GITHUB_PATH: join(dir, 'path'),
      GITHUB_STATE: join(dir, 'state'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    };
    for (const file of Object.values(files)) writeFileSync(file, '');
    const env = { ...this.stepEnv(opts.env), ...files, GITHUB_ACTION: `step${this.stepCounter}` };
    const cwd = resolve(this.workspace, opts.cwd ?? '.');

    let pid: number | undefined;
    const proc = await runProcess(argv[0], argv.slice(1), {
      cwd,
      env,
      timeoutMs: opts.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS,
      onSpawn: (spawned) => {
        this.running.add((pid = spawned));
        opts.onSpawn?.(spawned);
      },
    }).finally(() => {
      if (pid) this.running.delete(pid);
    });

    const read = (file: string) => readFileSync(file, 'utf8');
    const exportedEnv = parseKeyValueFile(read(files.GITHUB_ENV));
    const addedPaths = parsePathFile(read(files.GITHUB_PATH));
    const state = parseKeyValueFile(read(files.GITHUB_STATE));
    Object.assign(this.env, exportedEnv);
    for (const path of addedPaths) {
      const at = this.paths.indexOf(path);
      if (at >= 0) this.paths.splice(at, 1);
      this.paths.push(path);
    }
    if (kind === 'main') this.state = { ...this.state, ...state };

    const result: StepResult = {
      ...proc,
      outputs: parseKeyValueFile(read(files.GITHUB_OUTPUT)),
      summary: read(files.GITHUB_STEP_SUMMARY),
      exportedEnv,
      addedPaths,
      state,
      commands: parseWorkflowCommands(proc.stdout),
    };
    this.steps.push({ kind, label, result });
    return result;
  }
}
