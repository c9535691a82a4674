import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeChecksums, parseChecksumList } from '../../../src/tools/checksum-list.js';

const sha = (c: string) => c.repeat(64);

// The shape of a recent release's list: archives, packages, and SBOMs named after the archives.
const LIST = [
  `${sha('1')}  golangci-lint-2.5.0-darwin-arm64.tar.gz`,
  `${sha('2')}  golangci-lint-2.5.0-darwin-arm64.tar.gz.sbom.json`,
  `${sha('3')}  golangci-lint-2.5.0-linux-amd64.tar.gz`,
  `${sha('4')}  golangci-lint-2.5.0-linux-amd64.tar.gz.sbom.json`,
  `${sha('5')}  golangci-lint-2.5.0-linux-amd64.deb`,
  `${sha('6')}  golangci-lint-2.5.0-linux-amd64.rpm`,
  `${sha('7')}  golangci-lint-2.5.0-windows-amd64.zip`,
  `${sha('8')}  golangci-lint-2.5.0-windows-amd64.zip.sbom.json`,
  `${sha('9')}  golangci-lint-2.5.0-source.tar.gz`,
  `${sha('a')}  golangci-lint-2.5.0.1-linux-amd64.tar.gz`,
  `${sha('b')}  golangci-lint-12.5.0-linux-arm64.tar.gz`,
  `${sha('c')} *golangci-lint-2.5.0-linux-arm64.tar.gz`,
  '',
].join('\n');

describe('parseChecksumList', () => {
  it('takes the archives only: never an .sbom.json, package or other version sharing a prefix', () => {
    expect(parseChecksumList(LIST, '2.5.0')).toEqual({
      'darwin-arm64': sha('1'),
      'linux-amd64': sha('3'),
      'linux-arm64': sha('c'),
      'windows-amd64': sha('7'),
    });
  });

  it('takes a Windows zip and other platforms as tar.gz, never the other way round', () => {
    const list = [
      `${sha('d')}  golangci-lint-2.5.0-linux-amd64.zip`,
      `${sha('e')}  golangci-lint-2.5.0-windows-amd64.tar.gz`,
    ].join('\r\n');
    expect(parseChecksumList(list, '2.5.0')).toEqual({});
  });
});

describe('mergeChecksums', () => {
  it('adds new platforms and keeps a known value when the list disagrees', () => {
    const result = mergeChecksums({ '2.5.0': { 'linux-amd64': sha('3') } }, '2.5.0', {
      'linux-amd64': sha('f'),
      'darwin-arm64': sha('1'),
    });
    expect(result.table['2.5.0']).toEqual({ 'darwin-arm64': sha('1'), 'linux-amd64': sha('3') });
    expect(result.added).toEqual(['darwin-arm64']);
    expect(result.conflicts).toEqual([
      { platform: 'linux-amd64', known: sha('3'), listed: sha('f') },
    ]);
  });
});

describe('mergeChecksums and single-source values', () => {
  it('compares a marked value by its sha256 and keeps its marking', () => {
    const marked = { sha256: sha('3'), sources: 1 };
    const agreeing = mergeChecksums({ '2.5.0': { 'linux-386': marked } }, '2.5.0', {
      'linux-386': sha('3'),
    });
    expect(agreeing.table['2.5.0']).toEqual({ 'linux-386': marked });
    expect([agreeing.added, agreeing.conflicts]).toEqual([[], []]);
    const differing = mergeChecksums({ '2.5.0': { 'linux-386': marked } }, '2.5.0', {
      'linux-386': sha('4'),
    });
    expect(differing.table['2.5.0']).toEqual({ 'linux-386': marked });
    expect(differing.conflicts).toEqual([
      { platform: 'linux-386', known: sha('3'), listed: sha('4') },
    ]);
  });
});

describe('npm run update-checksums', () => {
  it('adds a release from a checksums.txt file to the table, ignoring the sbom lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'update-checksums-'));
    try {
      const table = join(dir, 'table.json');
      const list = join(dir, 'golangci-lint-2.5.0-checksums.txt');
      writeFileSync(table, JSON.stringify({ '2.4.0': { 'linux-amd64': sha('0') } }));
      writeFileSync(list, LIST);
      const r = spawnSync(
        process.execPath,
        [
          'node_modules/tsx/dist/cli.mjs',
          'scripts/update-checksums.ts',
          'v2.5.0',
          list,
          '--table',
          table,
        ],
        { encoding: 'utf8' },
      );
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('2.5.0: added 4 platform(s)');
      expect(JSON.parse(readFileSync(table, 'utf8'))).toEqual({
        '2.4.0': { 'linux-amd64': sha('0') },
        '2.5.0': {
          'darwin-arm64': sha('1'),
          'linux-amd64': sha('3'),
          'linux-arm64': sha('c'),
          'windows-amd64': sha('7'),
        },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
