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
