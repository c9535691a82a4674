import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyForGoSums, snapshotKey } from '../../../src/modcache/key.js';

describe('keyForGoSums', () => {
  it('is another key when the action vouches for more sums, and the same for the same ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'key-'));
    try {
      writeFileSync(join(dir, 'go.sum'), 'a v1.0.0 h1:x=\n');
      const files = [join(dir, 'go.sum')];
      const plain = keyForGoSums('go-mod', dir, files).key;
      const pinned = keyForGoSums('go-mod', dir, files, ['golang.org/x/vuln v1.1.4 h1:v=']).key;
      expect(pinned).not.toBe(plain);
      expect(keyForGoSums('go-mod', dir, files, ['golang.org/x/vuln v1.1.4 h1:v=']).key).toBe(
        pinned,
      );
      expect(keyForGoSums('go-mod', dir, files, []).key).toBe(plain);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('snapshotKey', () => {
  const sums = [
    { path: 'go.sum', content: 'a v1.0.0 h1:x=\n' },
    { path: 'tools/go.sum', content: 'b v1.0.0 h1:y=\n' },
  ];

  it('is <prefix>-<os>-<arch>-<sha256>, with a restore prefix for fallbacks', () => {
    const k = snapshotKey('go-mod', 'Linux', 'X64', sums);
    expect(k.key).toMatch(/^go-mod-Linux-x64-[0-9a-f]{64}$/);
    expect(k.restorePrefix).toBe('go-mod-Linux-x64-');
    expect(k.key.startsWith(k.restorePrefix)).toBe(true);
  });

  it('does not depend on the order the files were found in', () => {
    expect(snapshotKey('p', 'Linux', 'x64', sums).key).toBe(
      snapshotKey('p', 'Linux', 'x64', [...sums].reverse()).key,
    );
  });

  it('changes with any go.sum content, path, OS or arch', () => {
    const base = snapshotKey('p', 'Linux', 'x64', sums).key;
    const edited = [{ ...sums[0], content: 'a v1.0.1 h1:z=\n' }, sums[1]];
    const moved = [{ ...sums[0], path: 'other/go.sum' }, sums[1]];
    expect(snapshotKey('p', 'Linux', 'x64', edited).key).not.toBe(base);
    expect(snapshotKey('p', 'Linux', 'x64', moved).key).not.toBe(base);
    expect(snapshotKey('p', 'macOS', 'x64', sums).key).not.toBe(base);
    expect(snapshotKey('p', 'Linux', 'arm64', sums).key).not.toBe(base);
  });
});
