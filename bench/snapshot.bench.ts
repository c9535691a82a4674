// This action's snapshot (GOMODCACHE/cache/download) against a setup-go-style one (the whole
// GOMODCACHE plus GOCACHE), both as tar + zstd the way @actions/cache archives them, measured
// in one run on the same fixture after a real job has prefetched and built it.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forceRemove } from '../__tests__/support/fs-cleanup.js';
import { expectSuccess, goBuild, Scenario } from '../__tests__/support/scenario.js';

const MODULES = Number(process.env.BENCH_MODULES ?? 50);
let s: Scenario;
const scratch = mkdtempSync(join(tmpdir(), 'bench-snapshot-'));

beforeAll(() => {
  s = Scenario.withModules(MODULES, { payloadBytes: 16 * 1024 });
});
afterAll(async () => {
  await s?.close();
  forceRemove(scratch);
});

function sh(script: string): { ms: number } {
  const start = process.hrtime.bigint();
  const r = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${script}\n${r.stderr}`);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

/** Archives dirs (relative to a base) like @actions/cache does, then extracts into a fresh dir. */
function measure(name: string, base: string, dirs: string[]) {
  const archive = join(scratch, `${name}.tzst`);
  const save = sh(
    `tar -cf - -C '${base}' ${dirs.map((d) => `'${d}'`).join(' ')} | zstd -T0 --long=30 -q -o '${archive}'`,
  );
  const target = join(scratch, `${name}-restored`);
  const restore = sh(
    `mkdir -p '${target}' && zstd -d --long=30 -q -c '${archive}' | tar -xf - -C '${target}'`,
  );
  return { bytes: statSync(archive).size, saveMs: save.ms, restoreMs: restore.ms };
}

test('snapshot size and restore time against a setup-go-style snapshot', async () => {
  const mirror = await s.mirror();
  const job = s.job();
  expectSuccess(
    await job.runMain({ mirrors: mirror.url, 'working-directory': 'app', cache: 'false' }),
  );
  expectSuccess(await goBuild(job));
  const gocache = job.machineEnv.GOCACHE;
  const ours = measure('download-only', job.dirs.gomodcache, ['cache/download']);
  const setupGo = measure('setup-go-style', '/', [job.dirs.gomodcache.slice(1), gocache.slice(1)]);
  const rows = {
    modules: MODULES,
    ours,
    setupGo,
    ratios: {
      bytes: ours.bytes / setupGo.bytes,
      saveTime: ours.saveMs / setupGo.saveMs,
      restoreTime: ours.restoreMs / setupGo.restoreMs,
    },
  };
  process.stdout.write(
    [
      '',
      `Snapshot of ${MODULES} modules: this action vs setup-go style (GOMODCACHE + GOCACHE), tar + zstd`,
      `  bytes         ${ours.bytes} vs ${setupGo.bytes}  ratio ${rows.ratios.bytes.toFixed(3)}`,
      `  save time     ${ours.saveMs.toFixed(0)} ms vs ${setupGo.saveMs.toFixed(0)} ms  ratio ${rows.ratios.saveTime.toFixed(3)}`,
      `  restore time  ${ours.restoreMs.toFixed(0)} ms vs ${setupGo.restoreMs.toFixed(0)} ms  ratio ${rows.ratios.restoreTime.toFixed(3)}`,
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(process.cwd(), 'bench', 'snapshot-results.json'),
    `${JSON.stringify(rows, null, 2)}\n`,
  );
  expect(ours.bytes).toBeGreaterThan(0);
});
