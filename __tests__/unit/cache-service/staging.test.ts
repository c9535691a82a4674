import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { adoptStaged } from '../../../src/cache-service/staging.js';

function tree(root: string, files: Record<string, string>): void {
  for (const [rel, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), body);
  }
}

describe('adoptStaged', () => {
  it('moves a staged tree into an empty place and counts what it moved', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'adopt-'));
    tree(path.join(dir, 'stage'), { 'aa/aa1-a': '12', 'aa/aa1-d': '1234', README: 'r' });
    const adopted = await adoptStaged(path.join(dir, 'stage'), path.join(dir, 'cache'));
    expect(adopted).toEqual({ files: 3, bytes: 7 });
    expect(readFileSync(path.join(dir, 'cache/aa/aa1-d'), 'utf8')).toBe('1234');
  });

  it('only adds to what is in place: files already there are kept', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'adopt-'));
    tree(path.join(dir, 'cache'), { 'aa/aa1-a': 'mine', 'bb/bb1-a': 'mine too' });
    tree(path.join(dir, 'stage'), { 'aa/aa1-a': 'restored', 'aa/aa2-a': 'new', 'cc/cc1-d': 'new' });
    const adopted = await adoptStaged(path.join(dir, 'stage'), path.join(dir, 'cache'));
    expect(adopted).toEqual({ files: 2, bytes: 6 });
    expect(readFileSync(path.join(dir, 'cache/aa/aa1-a'), 'utf8')).toBe('mine');
    expect(readFileSync(path.join(dir, 'cache/aa/aa2-a'), 'utf8')).toBe('new');
    expect(readdirSync(path.join(dir, 'cache')).sort()).toEqual(['aa', 'bb', 'cc']);
  });

  it('adopts nothing from a stage that is not there', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'adopt-'));
    expect(await adoptStaged(path.join(dir, 'none'), path.join(dir, 'cache'))).toEqual({
      files: 0,
      bytes: 0,
    });
  });
});
