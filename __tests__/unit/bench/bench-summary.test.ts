// The benchmark reads the module snapshot's restore time from the job summary; these keep that
// reading in step with what the summary renders.
import { describe, expect, it } from '@jest/globals';
import { renderSummary } from '../../../src/action/render-summary.js';
import { spawnSync } from 'node:child_process';
import { summaryRestore, testCounts, type DayJob } from '../../../bench/lib/day-jobs.js';
import { medianJob } from '../../../bench/lib/normal-day.js';
import { REAL_USES, vendoredXModules } from '../../../bench/lib/real-modules.js';
import { GO_BIN } from '../../support/gomodules.js';

describe('summaryRestore', () => {
  it('reads the restore time the summary renders', () => {
    const md = renderSummary({
      probed: [],
      direct: false,
      goprivate: '',
      notes: [],
      cache: {
        key: 'go-mod-Linux-x64-abc',
        matchedKey: 'go-mod-Linux-x64-abc',
        hit: true,
        bytesRestored: 3 * 2 ** 20,
        restoreMs: 2345,
        verified: 12,
        dropped: [],
        skipped: {},
      },
    });
    expect(summaryRestore(md).restoreMs).toBe(2300);
  });

  it('reads the verification time, and never the build cache restore', () => {
    const md = [
      '### Build cache',
      '',
      '| restored | 40 file(s), 2.0 MiB in 9.9 s |',
      '',
      '### Module cache',
      '',
      '| | |',
      '|---|---|',
      '| restored | 117.0 MiB in 4.2 s |',
      '| verified against go.sum | 800 in 950 ms |',
      '',
      '### Build cache',
      '',
      '| restored | 40 file(s), 2.0 MiB in 7.7 s |',
    ].join('\n');
    expect(summaryRestore(md)).toEqual({ restoreMs: 4200, verifyMs: 950 });
  });

  it('reports nothing without a module cache section', () => {
    expect(summaryRestore('### Mirrors\n')).toEqual({});
  });
});

describe('testCounts', () => {
  it('counts the packages that passed and those that came from the cache', () => {
    const out = [
      'ok  \texample.com/shop/internal/model\t(cached)',
      'ok  \texample.com/shop/internal/store\t0.012s',
      '?   \texample.com/shop/cmd/shop\t[no test files]',
    ].join('\n');
    expect(testCounts(out)).toEqual({ packages: 2, cached: 1 });
  });
});

describe('medianJob', () => {
  const job = (jobMs: number) => ({ jobMs }) as DayJob;

  it('takes the middle job by time, whatever order the samples ran in', () => {
    expect(medianJob([job(9), job(5), job(7)]).jobMs).toBe(7);
  });

  it('takes the lower middle of an even count, and the only job of one', () => {
    expect(medianJob([job(4), job(1), job(3), job(2)]).jobMs).toBe(2);
    expect(medianJob([job(6)]).jobMs).toBe(6);
  });

  it('refuses an empty list', () => {
    expect(() => medianJob([])).toThrow(/no job/);
  });
});

describe('vendoredXModules', () => {
  // The Go the tests use vendors golang.org/x modules in GOROOT/src/{,cmd/}vendor.
  const goroot = spawnSync(GO_BIN, ['env', 'GOROOT'], { encoding: 'utf8' }).stdout.trim();
  const modules = vendoredXModules(goroot);
  const byPath = new Map(modules.map((m) => [m.path, m]));

  it('serves every module REAL_USES needs, with its LICENSE and a go.mod naming it', () => {
    for (const use of REAL_USES) {
      const mod = byPath.get(use.module);
      expect(mod).toBeDefined();
      expect(mod!.files.LICENSE).toBeDefined();
      expect(mod!.files['go.mod']).toMatch(new RegExp(`^module ${use.module}\\n\\ngo \\d+\\.\\d+`));
      const dir = use.pkg === use.module ? '' : `${use.pkg.slice(use.module.length + 1)}/`;
      expect(Object.keys(mod!.files).some((f) => f.startsWith(dir) && f.endsWith('.go'))).toBe(
        true,
      );
    }
  });

  it('requires the other vendored modules its sources import, at their vendored versions', () => {
    const owner = (imp: string) =>
      modules
        .map((m) => m.path)
        .filter((p) => imp === p || imp.startsWith(`${p}/`))
        .sort((a, b) => b.length - a.length)[0];
    let edges = 0;
    for (const m of modules) {
      const imported = new Set<string>();
      for (const [name, text] of Object.entries(m.files)) {
        if (!name.endsWith('.go')) continue;
        for (const [, imp] of text.matchAll(/"(golang\.org\/x\/[^"\s]+)"/g)) {
          const o = owner(imp);
          if (o && o !== m.path) imported.add(o);
        }
      }
      const required = (m.requires ?? []).map((r) => `${r.path}@${r.version}`).sort();
      const expected = [...imported].map((p) => `${p}@${byPath.get(p)!.version}`).sort();
      expect(required).toEqual(expected);
      edges += expected.length;
    }
    // x/tools imports x/sync, x/net imports x/text, ...: the check above is not vacuous.
    expect(edges).toBeGreaterThan(0);
  });
});
