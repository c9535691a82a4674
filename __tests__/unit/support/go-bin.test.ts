import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../support/action-metadata.js';
import { findGo, GO_BIN, GO_MISSING, goInstallRoot, goVersion } from '../../support/go-bin.js';
import { goRange } from '../../support/go-install.js';

let scratch: string;

/** A stand-in `go` that answers `go env GOVERSION` with `version` (or fails when undefined). */
function fakeGo(path: string, version?: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  const body = version ? `echo ${version}` : 'echo "go: broken" >&2; exit 2';
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** Where install-go.sh leaves a toolchain of `minor` under `root`. */
const installed = (root: string, minor: string) =>
  join(root, minor, 'usr', 'lib', `go-${minor}`, 'bin', 'go');

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'go-bin-test-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('findGo', () => {
  it('takes GO_BIN first, over go on PATH and installed toolchains', () => {
    const dir = mkdtempSync(join(scratch, 'a-'));
    const explicit = fakeGo(join(dir, 'mine', 'go'), 'go1.24.0');
    fakeGo(join(dir, 'path', 'go'), 'go1.25.0');
    fakeGo(installed(join(dir, 'root'), '1.26'), 'go1.26.1');
    const env = { GO_BIN: explicit, PATH: join(dir, 'path'), GO_INSTALL_ROOT: join(dir, 'root') };
    expect(findGo(env)).toEqual({ ok: true, path: explicit, source: 'GO_BIN' });
  });

  it('looks a bare GO_BIN name up on PATH', () => {
    const dir = mkdtempSync(join(scratch, 'b-'));
    const go = fakeGo(join(dir, 'bin', 'go1.26'), 'go1.26.1');
    expect(findGo({ GO_BIN: 'go1.26', PATH: `/nonexistent:${join(dir, 'bin')}` })).toEqual({
      ok: true,
      path: go,
      source: 'GO_BIN',
    });
  });

  it.each([
    ['a missing file', '/nonexistent/go'],
    ['a directory', '/'],
    ['a name not on PATH', 'go1.99'],
  ])('names GO_BIN and its value when it is %s, instead of looking elsewhere', (_, value) => {
    const dir = mkdtempSync(join(scratch, 'c-'));
    fakeGo(join(dir, 'path', 'go'), 'go1.25.0');
    const found = findGo({ GO_BIN: value, PATH: join(dir, 'path') });
    expect(found).toEqual({
      ok: false,
      cause: 'GO_BIN',
      problem: expect.stringContaining(`GO_BIN=${value} is not an executable file`),
    });
  });

  it('takes the first executable go on PATH, skipping files that cannot run', () => {
    const dir = mkdtempSync(join(scratch, 'd-'));
    writeFileSync(join(dir, 'go'), 'not a program');
    mkdirSync(join(dir, 'empty'));
    const first = fakeGo(join(dir, 'first', 'go'), 'go1.23.5');
    fakeGo(join(dir, 'second', 'go'), 'go1.26.1');
    const PATH = ['', dir, join(dir, 'empty'), join(dir, 'first'), join(dir, 'second')].join(':');
    expect(findGo({ PATH, GO_INSTALL_ROOT: join(dir, 'none') })).toEqual({
      ok: true,
      path: first,
      source: 'PATH',
    });
  });

  it('falls back to the newest complete toolchain install-go.sh unpacked, by minor number', () => {
    const dir = mkdtempSync(join(scratch, 'e-'));
    const root = join(dir, 'root');
    fakeGo(installed(root, '1.9'), 'go1.9.7');
    const newest = fakeGo(installed(root, '1.26'), 'go1.26.1');
    fakeGo(installed(root, '1.23'), 'go1.23.5');
    mkdirSync(join(root, '1.27')); // an interrupted unpack leaves no go binary
    mkdirSync(join(root, '.apt'));
    expect(findGo({ PATH: '/nonexistent', GO_INSTALL_ROOT: root })).toEqual({
      ok: true,
      path: newest,
      source: 'install-go.sh',
    });
  });

  it("looks under HOME when GO_INSTALL_ROOT is unset, where install-go.sh's default is", () => {
    const home = mkdtempSync(join(scratch, 'f-'));
    expect(goInstallRoot({ HOME: home })).toBe(join(home, '.cache/go-resilient-setup/go'));
    const go = fakeGo(installed(goInstallRoot({ HOME: home }), '1.23'), 'go1.23.5');
    expect(findGo({ HOME: home, PATH: '/nonexistent' })).toEqual({
      ok: true,
      path: go,
      source: 'install-go.sh',
    });
    const script = readFileSync(join(REPO_ROOT, '.ci', 'install-go.sh'), 'utf8');
    expect(script).toContain(
      'root=${GO_INSTALL_ROOT:-${HOME:?HOME is not set}/.cache/go-resilient-setup/go}',
    );
  });

  it('says in one line how to get Go when there is none anywhere', () => {
    const dir = mkdtempSync(join(scratch, 'g-'));
    expect(findGo({ PATH: dir, GO_INSTALL_ROOT: join(dir, 'none') })).toEqual({
      ok: false,
      cause: 'none',
      problem: GO_MISSING,
    });
    expect(GO_MISSING).not.toContain('\n');
    expect(GO_MISSING).toContain('bash .ci/install-go.sh');
  });
});

describe('goVersion', () => {
  it("reads the go's release", () => {
    const dir = mkdtempSync(join(scratch, 'h-'));
    expect(goVersion(fakeGo(join(dir, 'go'), 'go1.26.11'))).toEqual({
      ok: true,
      version: 'go1.26.11',
    });
  });

  it('reports a go that does not run, with its path and what it said', () => {
    const dir = mkdtempSync(join(scratch, 'i-'));
    const go = fakeGo(join(dir, 'go'));
    expect(goVersion(go)).toEqual({
      ok: false,
      problem: expect.stringMatching(new RegExp(`^${go} does not run as Go \\(go: broken\\)\\. `)),
    });
  });

  it('reads the real Go this run uses', () => {
    expect(goVersion(GO_BIN)).toEqual({ ok: true, version: expect.stringMatching(/^go1\.\d+/) });
  });
});

describe('without Go', () => {
  /**
   * A fresh machine where Go cannot be fetched: no GO_BIN, no go on PATH (only what
   * install-go.sh needs before it looks for Debian's sources), nothing unpacked, and no
   * Debian sources file.
   */
  const noGo = (dir: string): NodeJS.ProcessEnv => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    for (const tool of ['bash', 'dirname']) {
      const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
      symlinkSync(found.stdout.trim(), join(bin, tool));
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: bin,
      GO_INSTALL_ROOT: join(dir, 'go'),
      HOME: dir,
      DEBIAN_SOURCES: join(dir, 'debian.sources'),
    };
    delete env.GO_BIN;
    return env;
  };
  const tsx = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const newest = goRange(readFileSync(join(REPO_ROOT, '.ci', 'go-versions.sh'), 'utf8')).newest;

  it("tries install-go.sh, then stops Jest's run before any test, with the one line", () => {
    const dir = mkdtempSync(join(scratch, 'j-'));
    const setup = join(REPO_ROOT, '__tests__', 'support', 'go-setup.ts');
    const project = JSON.stringify({ rootDir: REPO_ROOT });
    const res = spawnSync(
      process.execPath,
      [tsx, '-e', `import(${JSON.stringify(setup)}).then((m) => m.default({}, ${project}))`],
      { env: noGo(dir), encoding: 'utf8' },
    );
    expect(res.status).toBe(1);
    const lines = res.stderr.trim().split('\n').filter(Boolean);
    expect(lines).toEqual([
      `Go not found: unpacking Go ${newest}, the newest supported, into ${join(dir, 'go')} with .ci/install-go.sh (once; later runs find it there).`,
      expect.stringMatching(/^install-go: .*debian\.sources not found/),
      GO_MISSING,
    ]);
  });

  it('tries install-go.sh, then stops the demo before it starts, with the one line', () => {
    const dir = mkdtempSync(join(scratch, 'k-'));
    const res = spawnSync(process.execPath, [tsx, join(REPO_ROOT, 'scripts', 'demo.ts')], {
      env: { ...noGo(dir), NO_COLOR: '1' },
      encoding: 'utf8',
    });
    expect(res.status).toBe(1);
    expect(res.stdout).toContain(`  Go not found: unpacking Go ${newest}, the newest supported`);
    expect(res.stderr).toMatch(/^install-go: .*debian\.sources not found/m);
    expect(res.stdout).toContain(`  ${GO_MISSING}\n`);
    expect(res.stdout).toContain('FAIL: the demo cannot run here.');
  });
});
