// `golangci-lint-version: go.mod`: the release comes from the project's go.mod, fetched from a
// loopback release mirror and verified like any other. With a Go that reads `tool` directives
// (1.24+) the project pins golangci-lint the Go 1.24 way; with an older Go, the way such projects
// did before, a require line kept by a tools.go.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { goRelease, compareReleases } from '../../src/util/release-version.js';
import { GO_BIN, makeModuleSet, createProject, type FixtureModule } from '../support/gomodules.js';
import type { Mirror } from '../support/goproxy-server.js';
import { startReleaseMirror, type ReleaseMirror } from '../support/release-server.js';
import type { Job } from '../support/runner.js';
import { errorsOf, expectSuccess, Scenario } from '../support/scenario.js';
import { golangciLintArchive, type FixtureArchive } from '../support/tool-archives.js';

const LINT = 'github.com/golangci/golangci-lint/v2';
const LINT_CMD = `${LINT}/cmd/golangci-lint`;
// Not in the action's table: installed with golangci-lint-checksum.
const UNKNOWN = '2.99.0';
// In the action's table (DESIGN.md): a real release whose real archive the tests never have.
const KNOWN = '2.4.0';
const KNOWN_LINUX_AMD64 = 'fae792524c04424c0ac369f5b8076f04b45cf29fc945a370e55d369a8dc11840';

const goVersion = spawnSync(GO_BIN, ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout.trim();
const toolDirectives = compareReleases(goRelease(goVersion) ?? '0.0.0', '1.24.0') >= 0;

/** A stand-in for the golangci-lint module, so that go can resolve and download what go.mod pins. */
function lintModule(version: string): FixtureModule {
  return {
    path: LINT,
    version,
    files: {
      'cmd/golangci-lint/main.go': 'package main\n\nfunc main() { println("stand-in") }\n',
      LICENSE: 'fixture\n',
    },
  };
}

/** A project of two fixture modules whose go.mod pins golangci-lint at `version`. */
function lintProject(version: string): Scenario {
  return new Scenario((root) => {
    const { modules, app } = makeModuleSet(2);
    const appFiles: Record<string, string> = { ...app.files };
    if (toolDirectives) {
      // go mod tidy adds the require line of the module that provides the tool.
      appFiles['go.mod'] = `module ${app.path}\n\ngo 1.24\n\ntool ${LINT_CMD}\n`;
    } else {
      appFiles['tools.go'] = `//go:build tools\n\npackage main\n\nimport _ "${LINT_CMD}"\n`;
    }
    return createProject({ root, modules: [...modules, lintModule(version)], appFiles });
  });
}

const scenarios: Scenario[] = [];
const releaseMirrors: ReleaseMirror[] = [];
let pinsUnknown: Scenario;
let pinsKnown: Scenario;
let pinsNothing: Scenario;
let archive: FixtureArchive;

beforeAll(() => {
  scenarios.push((pinsUnknown = lintProject(`v${UNKNOWN}`)));
  scenarios.push((pinsKnown = lintProject(`v${KNOWN}`)));
  scenarios.push((pinsNothing = Scenario.withModules(2)));
  archive = golangciLintArchive(UNKNOWN);
});

afterAll(async () => {
  await Promise.all(releaseMirrors.map((m) => m.close()));
  await Promise.all(scenarios.map((s) => s.close()));
});

async function releaseMirror(files: FixtureArchive[]): Promise<ReleaseMirror> {
  const m = await startReleaseMirror({
    files: Object.fromEntries(files.map((f) => [f.path, f.body])),
  });
  releaseMirrors.push(m);
  return m;
}

function toolCacheEntries(job: Job): string[] {
  const dir = join(job.dirs.toolCache, 'golangci-lint');
  return existsSync(dir) ? readdirSync(dir) : [];
}

const inputs = (goproxy: Mirror, mirror: ReleaseMirror) => ({
  mirrors: goproxy.url,
  'working-directory': 'app',
  'probe-timeout': '2',
  'golangci-lint-version': 'go.mod',
  'tool-mirrors': mirror.url,
});

describe(`golangci-lint-version: go.mod (${goVersion}, ${toolDirectives ? 'tool directive' : 'require line'})`, () => {
  test('the fixture pins golangci-lint the way this Go does', () => {
    const goMod = pinsUnknown.project.goMod;
    expect(goMod).toContain(`${LINT} v${UNKNOWN}`);
    if (toolDirectives) expect(goMod).toContain(`\ntool ${LINT_CMD}\n`);
    else expect(goMod).not.toMatch(/^tool /m);
  });

  test('installs the release go.mod pins, verified, on PATH for later steps', async () => {
    const goproxy = await pinsUnknown.mirror();
    const mirror = await releaseMirror([archive]);
    const job = pinsUnknown.job();
    const main = await job.runMain({
      ...inputs(goproxy, mirror),
      'golangci-lint-checksum': archive.sha256,
    });
    expectSuccess(main);
    const dir = join(job.dirs.toolCache, 'golangci-lint', UNKNOWN, 'x64');
    expect(main.outputs['golangci-lint-version']).toBe(`v${UNKNOWN}`);
    expect(main.outputs['golangci-lint-path']).toBe(join(dir, 'golangci-lint'));
    expect(job.paths).toEqual([dir]);
    expect(mirror.requests).toEqual([
      { path: `/v${UNKNOWN}/golangci-lint-${UNKNOWN}-linux-amd64.tar.gz`, status: 200 },
    ]);
    const requireLine = readFileSync(join(job.workspace, 'app', 'go.mod'), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(`${LINT} v${UNKNOWN}`));
    expect(main.stdout).toContain(`v${UNKNOWN}, as app/go.mod:${requireLine + 1}: `);
    expect(main.stdout).toContain(`sha256 ${archive.sha256} verified (golangci-lint-checksum)`);
    expect(main.summary).toContain(
      `✅ golangci-lint | \`v${UNKNOWN}\` from app/go.mod | sha256 ${archive.sha256} (golangci-lint-checksum)`,
    );
    const lint = await job.run('golangci-lint --version');
    expectSuccess(lint);
    expect(lint.stdout.trim()).toBe(`golangci-lint has version ${UNKNOWN}`);
    // The go command, with what the action exported, reads the same go.mod to the same version.
    const list = await job.run(`go list -m ${LINT}`, { cwd: 'app' });
    expectSuccess(list);
    expect(list.stdout.trim()).toBe(`${LINT} v${UNKNOWN}`);
  });

  test("a release from the table is checked against the table's sha256: a stand-in archive is refused", async () => {
    const goproxy = await pinsKnown.mirror();
    const standIn = golangciLintArchive(KNOWN);
    const mirror = await releaseMirror([standIn]);
    const job = pinsKnown.job();
    const main = await job.runMain(inputs(goproxy, mirror));
    expect(main.exitCode).not.toBe(0);
    const errors = errorsOf(main);
    expect(errors).toContain(`Expected sha256: ${KNOWN_LINUX_AMD64}`);
    expect(errors).toContain(`got sha256 ${standIn.sha256}`);
    expect(mirror.requests.map((r) => r.path)).toEqual([
      `/v${KNOWN}/golangci-lint-${KNOWN}-linux-amd64.tar.gz`,
    ]);
    expect(job.paths).toEqual([]);
    expect(toolCacheEntries(job)).toEqual([]);
    expect(main.summary).toContain(`❌ golangci-lint | \`v${KNOWN}\` from app/go.mod |`);
  });

  test('a release the table does not know, without a checksum, fails before any download', async () => {
    const goproxy = await pinsUnknown.mirror();
    const mirror = await releaseMirror([archive]);
    const job = pinsUnknown.job();
    const main = await job.runMain(inputs(goproxy, mirror));
    expect(main.exitCode).not.toBe(0);
    const errors = errorsOf(main);
    // Go 1.26's go mod tidy marks a module that only a tool directive needs as indirect.
    expect(errors).toMatch(
      new RegExp(
        `golangci-lint-version: go\\.mod: v2\\.99\\.0 \\(app/go\\.mod:\\d+: require ${LINT.replace(/\./g, '\\.')} v2\\.99\\.0(?: // indirect)?\\) has no known sha256 for linux-amd64`,
      ),
    );
    expect(errors).toContain('golangci-lint-checksum');
    expect(errors).toContain(`Versions this action can verify on its own: v2.14.0`);
    expect(mirror.requests).toEqual([]);
    expect(job.paths).toEqual([]);
  });

  test('a go.mod without golangci-lint fails with the go.mod named, and nothing lands on PATH', async () => {
    const goproxy = await pinsNothing.mirror();
    const mirror = await releaseMirror([archive]);
    const job = pinsNothing.job();
    const main = await job.runMain(inputs(goproxy, mirror));
    expect(main.exitCode).not.toBe(0);
    expect(errorsOf(main)).toContain(
      `golangci-lint-version: go.mod: app/go.mod has no tool directive for ${LINT_CMD} and no require line for ${LINT}; add it with \`go get -tool ${LINT_CMD}@v2.4.0\``,
    );
    expect(mirror.requests).toEqual([]);
    expect(job.paths).toEqual([]);
    expect(toolCacheEntries(job)).toEqual([]);
    expect(main.outputs['golangci-lint-path']).toBeUndefined();
    const which = await job.run('command -v golangci-lint || echo absent');
    expect(which.stdout.trim()).toBe('absent');
  });
});
