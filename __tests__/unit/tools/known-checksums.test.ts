import { describe, expect, it } from '@jest/globals';
import {
  KNOWN_CHECKSUMS,
  knownChecksum,
  knownVersions,
} from '../../../src/tools/known-checksums.js';
import { normaliseRelease } from '../../../src/tools/release-version.js';

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

describe('known golangci-lint checksums', () => {
  it.each(Object.entries(FROM_DESIGN))('holds every published value for %s', (version, values) => {
    for (const [platform, sha] of Object.entries(values)) {
      expect(knownChecksum(version, platform)).toBe(sha);
    }
  });

  it('is well formed: release versions, <os>-<arch> keys, lowercase sha256 values', () => {
    for (const [version, platforms] of Object.entries(KNOWN_CHECKSUMS)) {
      expect(normaliseRelease(version)).toBe(version);
      for (const [platform, sha] of Object.entries(platforms)) {
        expect(platform).toMatch(
          /^(linux|darwin|windows|freebsd|netbsd|illumos|solaris)-[a-z0-9]+$/,
        );
        expect(sha).toMatch(/^[0-9a-f]{64}$/);
      }
    }
  });

  it('never lists one archive hash for two releases or platforms', () => {
    const all = Object.values(KNOWN_CHECKSUMS).flatMap((p) => Object.values(p));
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
