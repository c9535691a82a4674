// When there is no Go, the tests and the demo unpack the newest supported release themselves:
// the decision, the range it reads, and the whole round (look, install, look again) with a
// stand-in installer, so that nothing here needs the network.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
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
import { goRange, planGo, settleGo } from '../../support/go-install.js';
import { GO_MISSING } from '../../support/go-lookup.js';

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'go-install-test-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const versionsScript = readFileSync(join(REPO_ROOT, '.ci', 'go-versions.sh'), 'utf8');

describe('goRange', () => {
  it('reads the range exactly as bash does when install-go.sh sources go-versions.sh', () => {
    const sourced = spawnSync(
      'bash',
      ['-c', '. .ci/go-versions.sh && echo "$GO_OLDEST $GO_NEWEST"'],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    const [oldest, newest] = sourced.stdout.trim().split(' ');
    expect(goRange(versionsScript)).toEqual({ oldest, newest });
  });

  it('takes quoted values and ignores comments that mention the names', () => {
    const script = '# GO_NEWEST=1.99 is not set here\nGO_OLDEST="1.23"\nGO_NEWEST=\'1.27\'\n';
    expect(goRange(script)).toEqual({ oldest: '1.23', newest: '1.27' });
  });

  it('names the variable it cannot find, instead of guessing a version', () => {
    expect(() => goRange('GO_OLDEST=1.23\n')).toThrow('.ci/go-versions.sh sets no GO_NEWEST');
    expect(() => goRange('GO_OLDEST=1.23\nGO_NEWEST=latest\n')).toThrow('GO_NEWEST');
  });
});

describe('planGo', () => {
  const found = { ok: true, path: '/x/go', source: 'PATH' } as const;
  const none = { ok: false, cause: 'none', problem: GO_MISSING } as const;
  const badGoBin = { ok: false, cause: 'GO_BIN', problem: 'GO_BIN=/nope is not…' } as const;

  it('uses a Go that was found, without installing anything', () => {
    expect(planGo(found, '1.27', false)).toEqual({ do: 'use', path: '/x/go', source: 'PATH' });
  });

  it('installs the newest supported Go when there is none anywhere', () => {
    expect(planGo(none, '1.27', false)).toEqual({ do: 'install', minor: '1.27' });
  });

  it('gives up with the one line once an install was tried and Go is still missing', () => {
    expect(planGo(none, '1.27', true)).toEqual({ do: 'give-up', problem: GO_MISSING });
  });

  it('never installs over a GO_BIN that names no go: the user asked for that one', () => {
    expect(planGo(badGoBin, '1.27', false)).toEqual({ do: 'give-up', problem: badGoBin.problem });
  });
});

describe('settleGo', () => {
  const { newest } = goRange(versionsScript);

  /** A PATH of only these tools, so that no go on this machine is found by accident. */
  function toolsOnly(dir: string, tools: string[]): string {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    for (const tool of tools) {
      const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
      symlinkSync(found.stdout.trim(), join(bin, tool));
    }
    return bin;
  }

  /**
   * An installer that does what install-go.sh does, without the network: it unpacks a go
   * that answers `go env GOVERSION` where install-go.sh would, and notes each call.
   */
  function standIn(dir: string, works: boolean): string {
    const script = join(dir, 'install.sh');
    const unpack = [
      'd="$GO_INSTALL_ROOT/$1/usr/lib/go-$1/bin"',
      'mkdir -p "$d"',
      `printf '#!/bin/sh\\necho go%s.4\\n' "$1" >"$d/go"`,
      'chmod +x "$d/go"',
    ];
    writeFileSync(
      script,
      ['echo "$1" >>"$GO_INSTALL_ROOT.calls"', ...(works ? unpack : ['exit 1'])].join('\n'),
    );
    chmodSync(script, 0o755);
    return script;
  }

  function run(opts: { works: boolean; env?: NodeJS.ProcessEnv }) {
    const dir = mkdtempSync(join(scratch, 's-'));
    const root = join(dir, 'go');
    const said: string[] = [];
    const settled = settleGo({
      repoRoot: REPO_ROOT,
      say: (line) => said.push(line),
      env: {
        PATH: toolsOnly(dir, ['bash', 'mkdir', 'chmod']),
        GO_INSTALL_ROOT: root,
        HOME: dir,
        ...opts.env,
      },
      installer: standIn(dir, opts.works),
    });
    const calls = existsSync(`${root}.calls`)
      ? readFileSync(`${root}.calls`, 'utf8').trim().split('\n')
      : [];
    return { root, said, settled, calls };
  }

  it('unpacks the newest supported Go into GO_INSTALL_ROOT, says so once, then finds it there', () => {
    const { root, said, settled, calls } = run({ works: true });
    expect(calls).toEqual([newest]);
    expect(said).toEqual([
      `Go not found: unpacking Go ${newest}, the newest supported, into ${root} with .ci/install-go.sh (once; later runs find it there).`,
    ]);
    expect(settled).toEqual({
      ok: true,
      path: join(root, newest, 'usr', 'lib', `go-${newest}`, 'bin', 'go'),
      source: 'install-go.sh',
      version: `go${newest}.4`,
    });
  });

  it('tries once, then gives up with the one line saying how to get Go', () => {
    const { said, settled, calls } = run({ works: false });
    expect(calls).toEqual([newest]);
    expect(said).toHaveLength(1);
    expect(settled).toEqual({ ok: false, problem: GO_MISSING });
  });

  it('installs nothing when GO_BIN names no go', () => {
    const { said, settled, calls } = run({ works: true, env: { GO_BIN: '/nonexistent/go' } });
    expect(calls).toEqual([]);
    expect(said).toEqual([]);
    expect(settled).toEqual({
      ok: false,
      problem: expect.stringContaining('GO_BIN=/nonexistent/go is not an executable file'),
    });
  });

  it('says which installer did not start when there is no bash to run it', () => {
    const dir = mkdtempSync(join(scratch, 'n-'));
    const said: string[] = [];
    const settled = settleGo({
      repoRoot: REPO_ROOT,
      say: (line) => said.push(line),
      env: { PATH: dir, GO_INSTALL_ROOT: join(dir, 'go'), HOME: dir },
    });
    expect(said[1]).toMatch(/install-go\.sh did not run: .*ENOENT/);
    expect(settled).toEqual({ ok: false, problem: GO_MISSING });
  });
});
