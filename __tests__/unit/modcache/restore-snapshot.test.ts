import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverProject } from '../../../src/gomod/discover.js';
import { keyForGoSums } from '../../../src/modcache/key.js';
import { planSnapshot } from '../../../src/modcache/restore-snapshot.js';
import { DEFAULT_INPUTS, configFrom } from '../helpers.js';

describe('planSnapshot', () => {
  it('keys the snapshot by go.sum and the vouched lines, with the state for the post step', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-'));
    try {
      writeFileSync(join(dir, 'go.mod'), 'module example.com/m\n\ngo 1.22\n');
      writeFileSync(join(dir, 'go.sum'), 'golang.org/x/text v0.3.0/go.mod h1:x=\n');
      const config = configFrom({ ...DEFAULT_INPUTS, 'working-directory': dir }, dir);
      const project = await discoverProject(dir, config.cacheDependencyPath);
      const vouched = ['golang.org/x/vuln v1.1.4 h1:v='];
      const plan = planSnapshot(config, project, vouched);
      const { key, restorePrefix } = keyForGoSums(
        config.cacheKeyPrefix,
        dir,
        project.goSumFiles,
        vouched,
      );
      expect(plan).toEqual({
        state: {
          key,
          restorePrefix,
          hit: false,
          saveCache: config.saveCache,
          workingDirectory: config.workingDirectory,
          cacheDependencyPath: config.cacheDependencyPath,
          cacheKeyPrefix: config.cacheKeyPrefix,
          vouchedSums: vouched,
        },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says why there is no snapshot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-'));
    try {
      const off = configFrom({ ...DEFAULT_INPUTS, cache: 'false', 'working-directory': dir }, dir);
      const project = await discoverProject(dir, off.cacheDependencyPath);
      expect(planSnapshot(off, project, [])).toEqual({ note: 'disabled (cache: false)' });
      const on = configFrom({ ...DEFAULT_INPUTS, 'working-directory': dir }, dir);
      expect(planSnapshot(on, project, [])).toEqual({ note: 'skipped: no go.sum' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
