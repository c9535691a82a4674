import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverProject, ignoredByGo, literalPrefix } from '../../../src/gomod/discover.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

const SUM = 'example.com/a v1.0.0 h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n';

function repo(moduleDirs: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'discover-test-'));
  roots.push(root);
  for (const d of moduleDirs) {
    mkdirSync(join(root, d), { recursive: true });
    writeFileSync(join(root, d, 'go.mod'), `module example.com/${d || 'root'}\n`);
    writeFileSync(join(root, d, 'go.sum'), SUM);
  }
  return root;
}

const SHAPES = ['', 'tools', 'tools/testdata/fixture', 'vendor/x', '_old', '.cache/m', 'a/b'];

describe('discoverProject', () => {
  it('skips the directories the go command ignores wherever a wildcard reaches', async () => {
    const root = repo(SHAPES);
    const p = await discoverProject(root, ['**/go.sum']);
    expect(p.moduleDirs).toEqual([root, join(root, 'a/b'), join(root, 'tools')]);
  });

  it('honours a path named outright, and a wildcard below it', async () => {
    const root = repo([...SHAPES, 'tools/testdata/more/deep']);
    const named = await discoverProject(root, ['tools/testdata/fixture/go.sum']);
    expect(named.moduleDirs).toEqual([join(root, 'tools/testdata/fixture')]);
    const below = await discoverProject(root, ['tools/testdata/*/go.sum']);
    expect(below.moduleDirs).toEqual([join(root, 'tools/testdata/fixture')]);
    const deeper = await discoverProject(root, ['tools/*/*/go.sum']);
    expect(deeper.moduleDirs).toEqual([]);
    expect(deeper.unmatched).toEqual(['tools/*/*/go.sum']);
    expect(named.unmatched).toEqual([]);
  });

  it('applies negations to every pattern', async () => {
    const root = repo(SHAPES);
    const p = await discoverProject(root, [
      '**/go.sum',
      'tools/testdata/fixture/go.sum',
      '!tools/**',
    ]);
    expect(p.moduleDirs).toEqual([root, join(root, 'a/b')]);
  });

  it('reports the working directory module even when no go.sum matches', async () => {
    const root = repo(['']);
    const p = await discoverProject(root, ['go.summ']);
    expect(p.moduleDirs).toEqual([]);
    expect(p.rootModuleDir).toBe(root);
  });
});

describe('literalPrefix and ignoredByGo', () => {
  it('the literal prefix stops at the first wildcard segment', () => {
    expect(literalPrefix('/w/**/go.sum')).toBe('/w');
    expect(literalPrefix('/w/tools/testdata/go.sum')).toBe('/w/tools/testdata');
    expect(literalPrefix('/w/a/[ab]/go.sum')).toBe('/w/a');
  });
  it('only directories below the literal prefix are judged', () => {
    expect(ignoredByGo('/w', '/w/x/testdata/go.sum')).toBe(true);
    expect(ignoredByGo('/w/x/testdata', '/w/x/testdata/go.sum')).toBe(false);
    expect(ignoredByGo('/w', '/w/_x/go.sum')).toBe(true);
    expect(ignoredByGo('/w', '/w/x_/go.sum')).toBe(false);
  });
});
