import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  entrySha256,
  KNOWN_CHECKSUMS,
  knownChecksum,
  knownVersions,
} from '../../../src/tools/known-checksums.js';
import { compareReleases, normaliseRelease } from '../../../src/util/release-version.js';
import { REPO_ROOT } from '../../support/action-metadata.js';

// The published values recorded in the design notes; the shipped table must hold them exactly.
const FROM_DESIGN: Record<string, Record<string, string>> = {
  '2.4.0': {
    'linux-amd64': 'fae792524c04424c0ac369f5b8076f04b45cf29fc945a370e55d369a8dc11840',
    'linux-arm64': '70ac11f55b80ec78fd3a879249cc9255121b8dfd7f7ed4fc46ed137f4abf17e7',
    'darwin-arm64': 'cd4dd53fa09b6646baff5fd22b8c64d91db02c21c7496df27992d75d34feec59',
    'windows-amd64': '003112f7a56746feaabf20b744054bf9acdf900c9e77176383623c4b1d76aaa9',
  },
  '1.64.6': {
    'linux-amd64': '71e290acbacb7b3ba4f68f0540fb74dc180c4336ac8a6f3bdcd7fcc48b15148d',
    'linux-arm64': '99a7ff13dec7a8781a68408b6ecb8a1c5e82786cba3189eaa91d5cdcc24362ce',
    'darwin-arm64': '8c10d0c7c3935b8c2269d628b6a06a8f48d8fb4cc31af02fe4ce0cd18b0704c1',
    'windows-amd64': '2d88f282e08e1853c70bc7c914b5f58beaa6509903d56098aeb9bc3df30ea9d5',
  },
  '2.10.1': {
    'linux-amd64': 'dfa775874cf0561b404a02a8f4481fc69b28091da95aa697259820d429b09c99',
    'linux-arm64': '6652b42ae02915eb2f9cb2a2e0cac99514c8eded8388d88ae3e06e1a52c00de8',
    'darwin-arm64': '03bfadf67e52b441b7ec21305e501c717df93c959836d66c7f97312654acb297',
    'windows-amd64': 'c60c87695e79db8e320f0e5be885059859de52bb5ee5f11be5577828570bc2a3',
  },
};

// windows-amd64 values found in published checksum lists after the design notes were written.
const WINDOWS_AMD64: Record<string, string> = {
  '2.13.1': 'cc119bdd57d2b35ce36fbc174b54949e1a1e45f2cadaf64372cc799cabaf88a9',
  '2.13.2': '4735fdc8e84a0cfb7a15a1c364a650942f88215e0d36c674ebc4024f7b554524',
  '2.14.0': 'b15f903d1649283a2ab6e8d2f0c317eaf1f9f6b3763950e7e8b7e72a43dd724f',
};

// The only values found in a single published list; every other one was found in two or more.
const SINGLE_SOURCE: Record<string, string> = {
  '2.6.1 linux-386': '79bb6342726ccea96abb99a77bece01961f4bece7e44601855f30e01d3efba27',
  '2.6.1 linux-armv6': 'b52331fb224cdc987f8f703120d546a98114c400a453c61a2b51a86d0d669dbe',
  '2.6.1 linux-armv7': 'e4b2151c569eb481cd9482f6b1bbf70cf129959e75b918aa5f3cb6acb0745ede',
};

describe('known golangci-lint checksums', () => {
  it.each(Object.entries(FROM_DESIGN))('holds every published value for %s', (version, values) => {
    for (const [platform, sha] of Object.entries(values)) {
      expect(knownChecksum(version, platform)).toEqual({ sha256: sha, singleSource: false });
    }
  });

  it.each(Object.entries(WINDOWS_AMD64))('holds the windows-amd64 value of %s', (version, sha) => {
    expect(knownChecksum(version, 'windows-amd64')).toEqual({ sha256: sha, singleSource: false });
  });

  it('marks exactly the values found in a single published list', () => {
    const marked: Record<string, string> = {};
    for (const [version, platforms] of Object.entries(KNOWN_CHECKSUMS)) {
      for (const platform of Object.keys(platforms)) {
        const known = knownChecksum(version, platform);
        if (known?.singleSource) marked[`${version} ${platform}`] = known.sha256;
      }
    }
    expect(marked).toEqual(SINGLE_SOURCE);
  });

  it('reads both ways of writing a value', () => {
    const table = {
      '2.6.1': {
        'linux-amd64': 'a'.repeat(64),
        'linux-386': { sha256: 'b'.repeat(64), sources: 1 },
      },
    };
    expect(knownChecksum('2.6.1', 'linux-amd64', table)).toEqual({
      sha256: 'a'.repeat(64),
      singleSource: false,
    });
    expect(knownChecksum('2.6.1', 'linux-386', table)).toEqual({
      sha256: 'b'.repeat(64),
      singleSource: true,
    });
    expect(knownChecksum('2.6.1', 'linux-arm64', table)).toBeUndefined();
    expect(knownChecksum('2.6.2', 'linux-amd64', table)).toBeUndefined();
  });

  it('is well formed: release versions, <os>-<arch> keys, lowercase sha256 values', () => {
    for (const [version, platforms] of Object.entries(KNOWN_CHECKSUMS)) {
      expect(normaliseRelease(version)).toBe(version);
      for (const [platform, entry] of Object.entries(platforms)) {
        expect(platform).toMatch(
          /^(linux|darwin|windows|freebsd|netbsd|illumos|solaris)-[a-z0-9]+$/,
        );
        // Two or more sources are written as a plain string; only a single source is marked.
        if (typeof entry !== 'string')
          expect(Object.keys(entry).sort()).toEqual(['sha256', 'sources']);
        if (typeof entry !== 'string') expect(entry.sources).toBe(1);
        expect(entrySha256(entry)).toMatch(/^[0-9a-f]{64}$/);
      }
    }
  });

  it('never lists one archive hash for two releases or platforms', () => {
    const all = Object.values(KNOWN_CHECKSUMS).flatMap((p) => Object.values(p).map(entrySha256));
    expect(new Set(all).size).toBe(all.length);
  });

  it('lists versions newest first, per platform', () => {
    const versions = knownVersions('linux-amd64', {
      '1.64.6': { 'linux-amd64': 'a' },
      '2.10.1': { 'linux-amd64': 'b' },
      '2.4.0': { 'linux-amd64': 'c', 'darwin-arm64': 'd' },
    });
    expect(versions).toEqual(['2.10.1', '2.4.0', '1.64.6']);
    expect(knownVersions('darwin-arm64', { '2.4.0': { 'darwin-arm64': 'd' } })).toEqual(['2.4.0']);
  });
});

describe("docs/tools.md's table of golangci-lint releases", () => {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'tools.md'), 'utf8');
  const start = doc.indexOf('\n## golangci-lint releases in the table\n');
  const next = doc.indexOf('\n## ', start + 1);
  const section = doc.slice(start, next < 0 ? undefined : next);
  const rows = section
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );

  it('lists every release and platform of the shipped table, single sources marked', () => {
    const [header, , ...body] = rows;
    const columns = header.slice(1, -1);
    const expected = Object.keys(KNOWN_CHECKSUMS)
      .sort((a, b) => compareReleases(b, a))
      .map((version) => {
        const platforms = KNOWN_CHECKSUMS[version];
        const shown = (p: string) =>
          knownChecksum(version, p)?.singleSource ? `${p} (one list)` : p;
        const others = Object.keys(platforms)
          .filter((p) => !columns.includes(p))
          .sort()
          .map(shown);
        return [
          `v${version}`,
          ...columns.map((p) => (platforms[p] === undefined ? '' : shown(p).replace(p, '✓'))),
          others.join(', '),
        ];
      });
    expect(start).toBeGreaterThan(0);
    expect(body).toEqual(expected);
  });
});
