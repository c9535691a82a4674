import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { stagedLocation, stageWorkspace } from '../../src/modcache/staging.js';

describe('stagedLocation', () => {
  const ws = '/home/runner/work/repo/repo';

  it('lands a directory outside the workspace where tar -P -C <staged workspace> writes it', () => {
    const dir = '/home/runner/go/pkg/mod/cache/download';
    const staged = stagedLocation('/tmp/stage', ws, dir)!;
    expect(staged).toBe('/tmp/stage/home/runner/go/pkg/mod/cache/download');
    // What the archive holds is relative to the workspace; resolved from the staged one.
    expect(path.resolve(stageWorkspace('/tmp/stage', ws), path.relative(ws, dir))).toBe(staged);
  });

  it('keeps a directory inside the workspace inside the stage', () => {
    expect(stagedLocation('/tmp/stage', ws, `${ws}/.cache`)).toBe(`/tmp/stage${ws}/.cache`);
  });
});
