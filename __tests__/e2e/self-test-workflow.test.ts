// The self-test workflow's leg (.github/workflows/self-test-leg.yml) on the runner harness:
// its `setup`, `build` and `assert` steps as the file writes them, in a cold job and then a
// warm job on fresh runners that share one cache service, so scripts/self-test-assert.mjs is
// proven here before it runs on GitHub. What must differ is swapped in, and nothing else:
// loopback mirrors for the two mirror variables (a refused port, and one standing in for
// proxy.golang.org), stand-ins for the module's dependencies and for govulncheck at their real
// versions, and a test archive of the golangci-lint release the workflow names.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GOVULNCHECK_PINS } from '../../src/tools/govulncheck-pins.js';
import { copyBuiltAction, swapBundledPins } from '../support/action-copy.js';
import { REPO_ROOT } from '../support/action-metadata.js';
import { startCacheService, type CacheService } from '../support/cache-server.js';
import { forceRemove } from '../support/fs-cleanup.js';
import { goversion, govulncheckStandIns, LATEST } from '../support/govulncheck-stand-ins.js';
import { tidyApp, writeProxyTree, type FixtureModule } from '../support/gomodules.js';
import type { Mirror } from '../support/goproxy-server.js';
import { startReleaseMirror, type ReleaseMirror } from '../support/release-server.js';
import type { Job, StepResult } from '../support/runner.js';
import { expectSuccess, Scenario } from '../support/scenario.js';
import { SELF_TEST_MODULE_DIR, selfTestModule } from '../support/self-test-module.js';
import { golangciLintArchive, type FixtureArchive } from '../support/tool-archives.js';
import { workflowJob } from '../support/workflow-steps.js';

const LEG_WORKFLOW = join(REPO_ROOT, '.github', 'workflows', 'self-test-leg.yml');
const ASSERT_SCRIPT = 'scripts/self-test-assert.mjs';
/** One run of the workflow: both phases see the same run id, as on GitHub. */
const RUN_ID = '424242';
/** The matrix's `go`: the minor release of the Go under test. */
const GO_MINOR = /^go(1\.\d+)/.exec(goversion)![1];

let s: Scenario;
let dead: Mirror;
let healthy: Mirror;
let release: ReleaseMirror;
let lintArchive: FixtureArchive;
let service: CacheService;
let actionYmlPath: string;
let runnerDir: string;
let standIns: FixtureModule[];
let committed: Record<string, string>;

/** The leg's job with the harness's mirrors in place of the workflow's. */
const leg = (phase: string) =>
  workflowJob(LEG_WORKFLOW, 'leg', {
    env: { SELF_TEST_DEAD_MIRROR: dead.url, SELF_TEST_MIRROR: healthy.url },
    expressions: { 'github.run_id': RUN_ID, 'matrix.go': GO_MINOR, 'inputs.phase': phase },
  });

beforeAll(async () => {
  const module = selfTestModule();
  standIns = module.standIns;
  committed = module.files;
  s = new Scenario((root) => {
    // The checkout: the module with the stand-ins' go.sum, and the assert script.
    const project = join(root, 'checkout');
    const moduleDir = join(project, SELF_TEST_MODULE_DIR);
    mkdirSync(moduleDir, { recursive: true });
    writeFileSync(join(moduleDir, 'go.mod'), module.files['go.mod']);
    writeFileSync(join(moduleDir, 'main.go'), module.files['main.go']);
    writeFileSync(join(moduleDir, 'go.sum'), module.goSum);
    mkdirSync(join(project, 'scripts'));
    cpSync(join(REPO_ROOT, ASSERT_SCRIPT), join(project, ASSERT_SCRIPT));
    const proxyDir = join(root, 'proxy');
    return {
      root: project,
      appDir: moduleDir,
      proxyDir,
      proxyUrl: `file://${proxyDir}`,
      goMod: module.files['go.mod'],
      goSum: module.goSum,
    };
  });
  const vuln = govulncheckStandIns(join(s.root, 'govulncheck'));
  // One tree, written at once: both module sets hold golang.org/x/mod and x/sync versions.
  writeProxyTree(s.project.proxyDir, [...standIns, ...vuln.modules]);
  actionYmlPath = copyBuiltAction(join(s.root, 'action'));
  swapBundledPins(dirname(actionYmlPath), GOVULNCHECK_PINS, vuln.pins);

  dead = await s.mirror({ fault: 'refused' });
  healthy = await s.mirror();
  const lintVersion = leg('cold').env.SELF_TEST_GOLANGCI_LINT;
  lintArchive = golangciLintArchive(lintVersion.replace(/^v/, ''));
  release = await startReleaseMirror({ files: { [lintArchive.path]: lintArchive.body } });
  service = await startCacheService();
  // Go's build cache keys packages on their directory: every runner at the same place.
  runnerDir = mkdtempSync(join(tmpdir(), 'gha-self-test-runner-'));
});

afterAll(async () => {
  await Promise.all([release?.close(), service?.close()]);
  await s?.close();
  if (runnerDir) forceRemove(runnerDir);
});

interface Leg {
  job: Job;
  main: StepResult;
  build: StepResult;
  assert: StepResult;
  /** Runs the assert step again with some of its variables replaced. */
  assertWith(env: Record<string, string>): Promise<StepResult>;
}

/** One leg of the workflow: setup, build and assert as written there, then the post step. */
async function runLeg(phase: 'cold' | 'warm'): Promise<Leg> {
  const wf = leg(phase);
  const job = s.job({
    runnerDir,
    ownGocache: true,
    actionYmlPath,
    // A called workflow's GITHUB_JOB is its own job id, in both phases.
    env: { ...service.env('v2'), GITHUB_JOB: 'leg', GITHUB_RUN_ID: RUN_ID },
  });
  const setup = wf.step('setup');
  expect(setup.uses).toBe('./');
  const main = await job.runMain(
    {
      ...setup.with,
      // The test archive's checksum, and where it is served: the workflow relies on the table.
      'golangci-lint-checksum': lintArchive.sha256,
      'tool-mirrors': release.url,
    },
    { env: setup.env, timeoutMs: 600_000 },
  );
  expectSuccess(main);

  const buildStep = wf.step('build');
  const build = await job.run(buildStep.run!, {
    cwd: buildStep.workingDirectory,
    env: buildStep.env,
    timeoutMs: 300_000,
  });
  const outputs = { 'toJSON(steps.setup.outputs)': JSON.stringify(main.outputs, null, 2) };
  const assertStep = wf.step('assert', outputs);
  const assertWith = (env: Record<string, string>) =>
    job.run(assertStep.run!, { env: { ...assertStep.env, ...env } });
  const assert = await assertWith({});
  return { job, main, build, assert, assertWith };
}

/** The checks the script passed, by name. */
const passedChecks = (step: StepResult) =>
  step.stdout
    .split('\n')
    .filter((l) => l.startsWith('ok    '))
    .map((l) => l.slice(6));

describe('the self-test module', () => {
  test("go.mod is what `go mod tidy` keeps, and go.sum holds exactly tidy's lines with the dependencies' real go.mod hashes", () => {
    const dir = mkdtempSync(join(tmpdir(), 'self-test-tidy-'));
    try {
      writeFileSync(join(dir, 'go.mod'), committed['go.mod']);
      writeFileSync(join(dir, 'main.go'), committed['main.go']);
      const proxy = join(dir, 'proxy');
      writeProxyTree(proxy, standIns);
      tidyApp(dir, proxy);
      expect(readFileSync(join(dir, 'go.mod'), 'utf8')).toBe(committed['go.mod']);
      const keys = (sum: string) =>
        sum
          .split('\n')
          .filter(Boolean)
          .map((l) => l.slice(0, l.lastIndexOf(' ')));
      const tidied = readFileSync(join(dir, 'go.sum'), 'utf8');
      expect(keys(tidied)).toEqual(keys(committed['go.sum']));
      // The go.mod lines are the committed ones, byte for byte: the stand-ins carry the real
      // go.mod files. Only the zips are stand-ins.
      const goModLines = (sum: string) =>
        sum.split('\n').filter((l) => / \S+\/go\.mod h1:/.test(l));
      expect(goModLines(tidied)).toEqual(goModLines(committed['go.sum']));
    } finally {
      forceRemove(dir);
    }
  });
});

describe(`the self-test leg on Go ${GO_MINOR}`, () => {
  let cold: Leg;

  test('cold: past the dead mirror, tools installed, caches empty; the assert step passes', async () => {
    cold = await runLeg('cold');
    expect(cold.main.outputs.goproxy.startsWith(healthy.url)).toBe(true);
    expectSuccess(cold.build);
    expect(cold.build.stdout).toContain('self-test: v1.2.0 v1.9.0-rc.1 v1.9.0 v1.10.0');
    // The dependencies came from the mirror that stands in for proxy.golang.org.
    for (const m of standIns) {
      expect(healthy.requests.map((r) => r.path)).toContain(`/${m.path}/@v/${m.version}.zip`);
    }
    expectSuccess(cold.assert);
    expect(cold.main.outputs['govulncheck-version']).toBe(LATEST);
    expect(passedChecks(cold.assert)).toEqual(
      expect.arrayContaining([
        `GOPROXY leaves out the dead ${dead.url}`,
        'golangci-lint version runs and says ' + leg('cold').env.SELF_TEST_GOLANGCI_LINT,
        `govulncheck-path is golang.org/x/vuln/cmd/govulncheck built from golang.org/x/vuln ${LATEST}`,
        'govulncheck -h runs',
        'cache-hit is false in a cold job',
        'build-cache-hit is false in a cold job',
      ]),
    );
    expectSuccess(await cold.job.runPost());
  });

  test('the assert step fails when the outputs or the chain are not what the workflow expects', async () => {
    const asWarm = await cold.assertWith({ SELF_TEST_PHASE: 'warm' });
    expect(asWarm.exitCode).toBe(1);
    expect(asWarm.stdout).toContain('FAIL  cache-hit is true');
    expect(asWarm.stdout).toContain('FAIL  build-cache-hit is true');

    const swapped = await cold.assertWith({
      SELF_TEST_DEAD_MIRROR: healthy.url,
      SELF_TEST_MIRROR: dead.url,
    });
    expect(swapped.exitCode).toBe(1);
    expect(swapped.stdout).toContain(`FAIL  GOPROXY starts with ${dead.url}`);
    expect(swapped.stdout).toContain(`FAIL  GOPROXY leaves out the dead ${healthy.url}`);

    const otherLint = await cold.assertWith({ SELF_TEST_GOLANGCI_LINT: 'v9.9.9' });
    expect(otherLint.exitCode).toBe(1);
    expect(otherLint.stdout).toContain('FAIL  golangci-lint version runs and says v9.9.9');

    // What a later step would see had the action exported nothing.
    const unexported = await cold.assertWith({ GOPROXY: '', GOSUMDB: '' });
    expect(unexported.exitCode).toBe(1);
    expect(unexported.stdout).toContain('FAIL  GOPROXY exported as the goproxy output');
    expect(unexported.stdout).toContain('FAIL  GOSUMDB exported as the gosumdb output');

    // A tool output that names a file off PATH, which is not golangci-lint.
    const elsewhere = join(cold.job.workspace, ASSERT_SCRIPT);
    const offPath = await cold.assertWith({
      SELF_TEST_OUTPUTS: JSON.stringify({ ...cold.main.outputs, 'golangci-lint-path': elsewhere }),
    });
    expect(offPath.exitCode).toBe(1);
    expect(offPath.stdout).toContain("FAIL  golangci-lint's directory is on PATH");
    expect(offPath.stdout).toContain('FAIL  golangci-lint version runs and says');
  });

  test('warm: the same leg restores what the cold job saved; the assert step passes', async () => {
    const warm = await runLeg('warm');
    expectSuccess(warm.build);
    expectSuccess(warm.assert);
    expect(warm.main.outputs['cache-matched-key']).toBe(cold.main.outputs['cache-key']);
    expect(passedChecks(warm.assert)).toEqual(
      expect.arrayContaining([
        'cache-hit is true',
        'cache-matched-key is cache-key',
        'build-cache-hit is true',
      ]),
    );
    expectSuccess(await warm.job.runPost());
  });
});
