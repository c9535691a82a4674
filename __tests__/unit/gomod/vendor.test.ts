import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  compareGoVersions,
  detectVendoring,
  explicitBuildMod,
  goLine,
  modulesTextIsForWorkspace,
} from '../../../src/gomod/vendor.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function moduleDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'vendor-test-'));
  roots.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const VENDORED = {
  'go.mod': 'module example.com/a\n\ngo 1.21\n',
  'vendor/modules.txt': '# example.com/b v1.0.0\n## explicit\nexample.com/b\n',
};

describe('detectVendoring', () => {
  it('a vendor directory and go >= 1.14 mean vendor mode, as the go command decides', () => {
    const dir = moduleDir(VENDORED);
    expect(detectVendoring([dir], undefined, '')).toMatchObject({ all: true, dirs: [dir] });
  });

  it('an older go line, or none, keeps module mode', () => {
    for (const goMod of ['module a\n\ngo 1.13\n', 'module a\n']) {
      const dir = moduleDir({ ...VENDORED, 'go.mod': goMod });
      expect(detectVendoring([dir], undefined, '').all).toBe(false);
    }
  });

  it('-mod=mod overrides vendor/, -mod=vendor needs no vendor/ check; the last -mod wins', () => {
    const vendored = moduleDir(VENDORED);
    const plain = moduleDir({ 'go.mod': 'module a\n\ngo 1.13\n' });
    expect(detectVendoring([vendored], undefined, '-modcacherw -mod=mod').all).toBe(false);
    expect(detectVendoring([plain], undefined, '-mod=vendor').all).toBe(true);
    expect(detectVendoring([plain], undefined, '-mod=vendor -mod=readonly').all).toBe(false);
  });

  it('only some modules vendored: those are listed, the project is not', () => {
    const vendored = moduleDir(VENDORED);
    const plain = moduleDir({ 'go.mod': 'module b\n\ngo 1.21\n' });
    expect(detectVendoring([plain, vendored], undefined, '')).toMatchObject({
      all: false,
      dirs: [vendored],
    });
  });

  it('in workspace mode only a workspace vendor directory counts', () => {
    const module = moduleDir(VENDORED);
    const ws = moduleDir({ 'go.work': 'go 1.22\n\nuse ./a\n' });
    expect(detectVendoring([module], ws, '').all).toBe(false);
    const vendoredWs = moduleDir({
      'go.work': 'go 1.22\n\nuse ./a\n',
      'vendor/modules.txt': '## workspace\n# example.com/b v1.0.0\n',
    });
    expect(detectVendoring([module], vendoredWs, '').all).toBe(true);
  });

  it('a module-mode modules.txt is not used for a workspace, nor a workspace one for a module', () => {
    const ws = moduleDir({ 'go.work': 'go 1.22\n', 'vendor/modules.txt': '# x v1.0.0\n' });
    expect(detectVendoring([], ws, '').all).toBe(false);
    const module = moduleDir({ ...VENDORED, 'vendor/modules.txt': '## workspace\n' });
    expect(detectVendoring([module], undefined, '').all).toBe(false);
  });

  it('no module at all is not a vendored project', () => {
    expect(detectVendoring([], undefined, '-mod=vendor').all).toBe(false);
  });
});

describe('helpers', () => {
  it('explicitBuildMod takes the last -mod flag', () => {
    expect(explicitBuildMod('')).toBeUndefined();
    expect(explicitBuildMod('-mod=vendor --mod=mod')).toBe('mod');
  });
  it('goLine reads the go directive, comments allowed', () => {
    expect(goLine('module a\n\ngo 1.22.3 // pinned\n')).toBe('1.22.3');
    expect(goLine('module a\n// go 1.22\n')).toBeUndefined();
  });
  it('compareGoVersions orders by number, prereleases first', () => {
    expect(compareGoVersions('1.14', '1.14')).toBe(0);
    expect(compareGoVersions('1.9', '1.14')).toBe(-1);
    expect(compareGoVersions('1.21.0', '1.14')).toBe(1);
    expect(compareGoVersions('1.14rc1', '1.14')).toBe(-1);
  });
  it('modulesTextIsForWorkspace reads only the first line', () => {
    expect(modulesTextIsForWorkspace('## workspace\n')).toBe(true);
    expect(modulesTextIsForWorkspace('## explicit; workspace\n')).toBe(true);
    expect(modulesTextIsForWorkspace('# a v1\n## workspace\n')).toBe(false);
  });
});
