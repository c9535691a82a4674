// `govulncheck-version: go.mod`: the version comes from the project's go.mod, and the binary is
// built inside the project's module, so Go selects what the project selects and checks every
// download against the project's go.sum. The version here is one the action has no pin for.
// With a Go that reads `tool` directives (1.24+) the project pins govulncheck that way; with an
// older Go, with a require line kept by a tools.go.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareReleases, goRelease } from '../../src/util/release-version.js';
import { forceRemove } from '../support/fs-cleanup.js';
import { createProject, GO_BIN, makeModuleSet, writeProxyTree } from '../support/gomodules.js';
import { startMirror, type Mirror } from '../support/goproxy-server.js';
import { errorsOf, expectSuccess, Scenario } from '../support/scenario.js';
import { fakeLibrary, fakeVuln, FIXTURE_BANNER, VULN_MODULE } from '../support/vuln-fixtures.js';

const CMD = `${VULN_MODULE}/cmd/govulncheck`;
// No pin in the action: only the project's go.sum vouches for it.
const VERSION = 'v1.9.0';
const goVersion = spawnSync(GO_BIN, ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout.trim();
const toolDirectives = compareReleases(goRelease(goVersion) ?? '0.0.0', '1.24.0') >= 0;

const dep = fakeLibrary('example.com/vulndep', 'v1.2.3');
/** The project requires a newer dep than x/vuln does: the build must take the project's. */
const depNewer = fakeLibrary('example.com/vulndep', 'v1.3.0');

describe(`govulncheck-version: go.mod through dist/ with ${goVersion}`, () => {
  let s: Scenario;
  let goproxy: Mirror;
  let impostorRoot: string;
  let impostor: Mirror;

  beforeAll(async () => {
    s = new Scenario((root) => {
      const { modules, app } = makeModuleSet(2);
      const appFiles: Record<string, string> = { ...app.files };
      appFiles['deps.go'] = `package main\n\nimport _ "${depNewer.path}"\n`;
      if (toolDirectives) {
        appFiles['go.mod'] =
          `module ${app.path}\n\ngo 1.24\n\ntool ${CMD}\n\nrequire ${depNewer.path} ${depNewer.version}\n`;
      } else {
        appFiles['go.mod'] =
          `module ${app.path}\n\ngo 1.21\n\nrequire ${depNewer.path} ${depNewer.version}\n`;
        appFiles['tools.go'] = `//go:build tools\n\npackage main\n\nimport _ "${CMD}"\n`;
      }
      return createProject({
        root,
        modules: [...modules, fakeVuln(VERSION, dep), dep, depNewer],
        appFiles,
      });
    });
    goproxy = await s.mirror();
    // The same module versions with other bytes for golang.org/x/vuln.
    impostorRoot = mkdtempSync(join(s.root, 'impostor-'));
    const tampered = fakeVuln(VERSION, dep);
    tampered.files = { ...tampered.files, 'extra.go': 'package vuln\n' };
    cpSync(s.project.proxyDir, impostorRoot, { recursive: true });
    writeProxyTree(impostorRoot, [tampered]);
    impostor = await startMirror({ root: impostorRoot });
  });
  afterAll(async () => {
    await impostor?.close();
    if (impostorRoot) forceRemove(impostorRoot);
    await s?.close();
  });

  test("builds the version go.mod pins, with the project's own dependency versions", async () => {
    const goSum = readFileSync(join(s.project.appDir, 'go.sum'), 'utf8');
    expect(goSum).toContain(`${VULN_MODULE} ${VERSION} h1:`);
    const job = s.job();
    const main = await job.runMain({
      mirrors: goproxy.url,
      'working-directory': 'app',
      'probe-timeout': '2',
      'govulncheck-version': 'go.mod',
    });
    expectSuccess(main);
    expect(main.outputs['govulncheck-version']).toBe(VERSION);
    expect(main.stdout).toContain(`${CMD}@${VERSION}`);
    const run = await job.run('govulncheck');
    expectSuccess(run);
    expect(run.stdout).toContain(`${FIXTURE_BANNER} ${VERSION} with`);
    // The project's go.sum vouched for the build; the summary names it and the go.mod line.
    expect(main.summary).toContain(
      `govulncheck | \`${VERSION}\` from app/go.mod | app/go.sum (${VULN_MODULE} ${VERSION} h1:`,
    );
    expect(main.stdout).toMatch(
      new RegExp(`${VERSION}, as app/go\\.mod:\\d+: require golang\\.org/x/vuln ${VERSION}`),
    );
    // Go selected the project's dep, not the older one x/vuln asks for.
    expect(goproxy.requests.some((r) => r.path === `/${dep.path}/@v/${depNewer.version}.zip`)).toBe(
      true,
    );
    expect(goproxy.requests.some((r) => r.path === `/${dep.path}/@v/${dep.version}.zip`)).toBe(
      false,
    );
  });

  test("a mirror serving other bytes fails against the project's go.sum, and nothing lands on PATH", async () => {
    const job = s.job();
    const main = await job.runMain({
      mirrors: impostor.url,
      'working-directory': 'app',
      'probe-timeout': '2',
      'govulncheck-version': 'go.mod',
      // Only govulncheck's modules are at stake here.
      prefetch: 'false',
    });
    expect(main.exitCode).not.toBe(0);
    const errors = errorsOf(main);
    expect(errors).toContain(`govulncheck ${VERSION}: failed`);
    expect(errors).toContain("did not match the project's go.sum");
    expect(errors).toMatch(/golang\.org\/x\/vuln@v1\.9\.0: checksum mismatch/);
    expect(job.paths).toEqual([]);
    expect(existsSync(join(job.dirs.toolCache, 'govulncheck'))).toBe(false);
    const which = await job.run('command -v govulncheck || echo absent');
    expect(which.stdout.trim()).toBe('absent');
  });

  test('a go.mod that pins no govulncheck is refused before any request, saying how to add it', async () => {
    const plain = Scenario.withModules(1);
    try {
      const job = plain.job();
      const before = goproxy.requests.length;
      const main = await job.runMain({
        mirrors: goproxy.url,
        'working-directory': 'app',
        'govulncheck-version': 'go.mod',
      });
      expect(main.exitCode).not.toBe(0);
      expect(errorsOf(main)).toContain(
        `govulncheck-version: go.mod: app/go.mod has no tool directive for ${CMD} and no require line for ${VULN_MODULE}; add it with \`go get -tool ${CMD}@v1.1.4\``,
      );
      expect(goproxy.requests.length).toBe(before);
    } finally {
      await plain.close();
    }
  });
});
