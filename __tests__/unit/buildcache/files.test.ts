import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ageEntries, findIndexEntries, listCacheFiles } from '../../../src/buildcache/files.js';
import { AGED_BY_MS, GO_REFRESH_MS } from '../../../src/buildcache/plan.js';
import { GO } from '../gomod/go-oracle.js';

function entry(root: string, rel: string, body: string, mtimeMs: number): void {
  mkdirSync(join(root, rel.slice(0, 2)), { recursive: true });
  writeFileSync(join(root, rel), body);
  utimesSync(join(root, rel), mtimeMs / 1000, mtimeMs / 1000);
}

describe('ageEntries', () => {
  it('sets back the entries Go would not touch on use, and keeps older ones as they are', async () => {
    const now = Date.now();
    const root = mkdtempSync(join(tmpdir(), 'gocache-age-'));
    entry(root, 'aa/aa01-a', 'x', now - 60_000);
    entry(root, 'bb/bb02-d', 'y', now - 3 * GO_REFRESH_MS);
    writeFileSync(join(root, 'README'), 'kept as is');
    const names = await ageEntries(root, now);
    expect(names.sort()).toEqual(['aa/aa01-a', 'bb/bb02-d']);
    expect(statSync(join(root, 'aa/aa01-a')).mtimeMs).toBeCloseTo(now - AGED_BY_MS, -3);
    // Already old enough for Go to touch on use: its own age is kept, for Go's trimming.
    expect(statSync(join(root, 'bb/bb02-d')).mtimeMs).toBeCloseTo(now - 3 * GO_REFRESH_MS, -3);
    expect(statSync(join(root, 'README')).mtimeMs).toBeGreaterThan(now - 60_000);
  });

  it('lists nothing for a missing root', async () => {
    expect(await listCacheFiles(join(tmpdir(), 'no-such-gocache-here'))).toEqual([]);
  });
});

describe('findIndexEntries', () => {
  it('finds the directory indexes Go wrote, and only those', async () => {
    const work = mkdtempSync(join(tmpdir(), 'gocache-index-'));
    const gocache = join(work, 'gocache');
    mkdirSync(join(work, 'app/sub'), { recursive: true });
    writeFileSync(join(work, 'app/go.mod'), 'module example.com/app\n\ngo 1.21\n');
    writeFileSync(join(work, 'app/main.go'), 'package main\n\nfunc main() {}\n');
    writeFileSync(join(work, 'app/sub/sub.go'), 'package sub\n');
    // Go leaves files changed in the last seconds out of its index: make the checkout older.
    for (const f of ['main.go', 'sub/sub.go', 'go.mod']) {
      utimesSync(join(work, 'app', f), Date.now() / 1000 - 60, Date.now() / 1000 - 60);
    }
    execFileSync(GO, ['list', './...'], {
      cwd: join(work, 'app'),
      env: { ...process.env, GOCACHE: gocache, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' },
    });
    // An ordinary action and output, as a compile leaves.
    const out = 'c'.repeat(64);
    entry(gocache, `cc/${out}-d`, '!<arch>\n', Date.now());
    entry(gocache, `dd/${'d'.repeat(64)}-a`, `v1 ${'d'.repeat(64)} ${out} 8 0\n`, Date.now());

    const names = readdirSync(gocache, { recursive: true, encoding: 'utf8' })
      .filter((f) => /^[0-9a-f]{2}\/[0-9a-f]+-[ad]$/.test(f))
      .map((f) => `go-build/${f}`);
    const found = await findIndexEntries([{ label: 'go-build', dir: gocache }], names);
    // `go list` writes nothing but indexes: of the checkout's two package directories and of
    // the standard library packages they load, an action and an output each.
    const ordinary = [`go-build/cc/${out}-d`, `go-build/dd/${'d'.repeat(64)}-a`];
    expect([...found].sort()).toEqual(names.filter((n) => !ordinary.includes(n)).sort());
    expect([...found].filter((n) => n.endsWith('-a')).length).toBeGreaterThanOrEqual(2);
    expect([...found].filter((n) => n.endsWith('-a'))).toHaveLength(found.size / 2);
  });
});

describe('cached executables (Go 1.24 and later: `go run`, `go tool`)', () => {
  const out = 'e'.repeat(64);
  const action = 'f'.repeat(64);

  /** `<out>-d/app`, as Go keeps a binary, and the action entry that points at it. */
  function executableEntry(root: string, mtimeMs: number): void {
    mkdirSync(join(root, `ee/${out}-d`), { recursive: true });
    writeFileSync(join(root, `ee/${out}-d/app`), 'ELF binary');
    utimesSync(join(root, `ee/${out}-d`), mtimeMs / 1000, mtimeMs / 1000);
    entry(root, `ff/${action}-a`, `v1 ${action} ${out} 10 0\n`, mtimeMs);
  }

  it('are one entry each, dated and sized by their directory', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gocache-exe-'));
    executableEntry(root, Date.now() - 60_000);
    const files = await listCacheFiles(root);
    expect(files.map((f) => f.rel).sort()).toEqual([`ee/${out}-d`, `ff/${action}-a`]);
    const exe = files.find((f) => f.rel === `ee/${out}-d`)!;
    expect(exe.size).toBe('ELF binary'.length);
    expect(exe.mtimeMs).toBeCloseTo(Date.now() - 60_000, -4);
  });

  it('are set back like any entry, so that Go marks the ones it uses', async () => {
    const now = Date.now();
    const root = mkdtempSync(join(tmpdir(), 'gocache-exe-age-'));
    executableEntry(root, now - 60_000);
    expect((await ageEntries(root, now)).sort()).toEqual([`ee/${out}-d`, `ff/${action}-a`]);
    expect(statSync(join(root, `ee/${out}-d`)).mtimeMs).toBeCloseTo(now - AGED_BY_MS, -3);
  });

  it('are never taken for directory indexes, and never stop the search', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gocache-exe-index-'));
    executableEntry(root, Date.now());
    const names = [`go-build/ee/${out}-d`, `go-build/ff/${action}-a`];
    expect(await findIndexEntries([{ label: 'go-build', dir: root }], names)).toEqual(new Set());
  });

  const goRunCaches = /^go1\.(2[4-9]|[3-9]\d)/.test(
    execFileSync(GO, ['env', 'GOVERSION'], {
      encoding: 'utf8',
      env: { ...process.env, GOTOOLCHAIN: 'local' },
    }),
  );
  (goRunCaches ? it : it.skip)('is what the real `go run` leaves', async () => {
    const work = mkdtempSync(join(tmpdir(), 'gocache-go-run-'));
    const gocache = join(work, 'gocache');
    mkdirSync(join(work, 'app'));
    writeFileSync(join(work, 'app/go.mod'), 'module example.com/app\n\ngo 1.21\n');
    writeFileSync(join(work, 'app/main.go'), 'package main\n\nfunc main() {}\n');
    execFileSync(GO, ['run', '.'], {
      cwd: join(work, 'app'),
      env: { ...process.env, GOCACHE: gocache, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' },
    });
    const files = await listCacheFiles(gocache);
    const executables = files.filter((f) => statSync(join(gocache, f.rel)).isDirectory());
    expect(executables).toHaveLength(1);
    expect(executables[0].rel).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{64}-d$/);
    expect(executables[0].size).toBeGreaterThan(100_000);
    // Nothing inside it is listed on its own.
    expect(files.some((f) => f.rel.startsWith(`${executables[0].rel}/`))).toBe(false);
    const names = files.map((f) => `go-build/${f.rel}`);
    const found = await findIndexEntries([{ label: 'go-build', dir: gocache }], names);
    expect(found.has(`go-build/${executables[0].rel}`)).toBe(false);
  });
});
