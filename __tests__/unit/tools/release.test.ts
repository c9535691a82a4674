import { describe, expect, it } from '@jest/globals';
import {
  archiveName,
  archiveRoot,
  archiveUrl,
  binaryName,
  expectedChecksum,
  UPSTREAM_RELEASES,
} from '../../../src/tools/golangci-lint-release.js';
import { KNOWN_CHECKSUMS } from '../../../src/tools/known-checksums.js';
import {
  platformName,
  toolPlatform,
  toolPlatformFor,
  type ToolPlatform,
} from '../../../src/tools/platform.js';
import {
  compareReleases,
  goRelease,
  normaliseRelease,
} from '../../../src/tools/release-version.js';

describe('toolPlatform', () => {
  it.each([
    ['linux', 'x64', 'linux-amd64', 'tar.gz', ''],
    ['linux', 'arm64', 'linux-arm64', 'tar.gz', ''],
    ['darwin', 'arm64', 'darwin-arm64', 'tar.gz', ''],
    ['win32', 'x64', 'windows-amd64', 'zip', '.exe'],
    ['linux', 'ia32', 'linux-386', 'tar.gz', ''],
    ['darwin', 'x64', 'darwin-amd64', 'tar.gz', ''],
    ['win32', 'arm64', 'windows-arm64', 'zip', '.exe'],
    ['win32', 'ia32', 'windows-386', 'zip', '.exe'],
    ['linux', 'arm', 'linux-armv7', 'tar.gz', ''],
  ] as const)('%s/%s is %s (%s)', (platform, arch, key, archive, exe) => {
    const p = toolPlatform(platform, arch);
    expect([p.key, p.archive, p.exeSuffix]).toEqual([key, archive, exe]);
  });
});

describe('toolPlatformFor', () => {
  const tableKeys = [...new Set(Object.values(KNOWN_CHECKSUMS).flatMap((v) => Object.keys(v)))];
  it.each(tableKeys)(
    "names the checksum table's %s as the release does, from its os/arch form",
    (key) => {
      const p = toolPlatformFor(key.replace('-', '/'));
      expect(p.key).toBe(key);
      expect([p.archive, p.exeSuffix]).toEqual(
        key.startsWith('windows-') ? ['zip', '.exe'] : ['tar.gz', ''],
      );
    },
  );

  it("names a platform as the runner on it names its own, so a bundle's archive is found", () => {
    for (const [platform, arch] of [
      ['linux', 'x64'],
      ['linux', 'arm'],
      ['darwin', 'arm64'],
      ['win32', 'x64'],
      ['win32', 'ia32'],
    ] as const) {
      const runner = toolPlatform(platform, arch);
      expect(toolPlatformFor(platformName(runner))).toEqual(runner);
    }
    // Node's words and Go's name the same archive, and the manifest records Go's.
    expect(platformName(toolPlatformFor('linux/x64'))).toBe('linux/amd64');
    expect(platformName(toolPlatformFor('linux/arm'))).toBe('linux/armv7');
  });
});

describe('golangci-lint release layout', () => {
  it('names the archive and the binary in it for Windows and macOS', () => {
    const binaryIn = (platform: ToolPlatform) =>
      `${archiveRoot('2.4.0', platform)}/${binaryName(platform)}`;
    const windows = toolPlatformFor('windows/amd64');
    expect(archiveName('2.4.0', windows)).toBe('golangci-lint-2.4.0-windows-amd64.zip');
    expect(binaryIn(windows)).toBe('golangci-lint-2.4.0-windows-amd64/golangci-lint.exe');
    const windowsArm = toolPlatformFor('windows/arm64');
    expect(archiveName('2.4.0', windowsArm)).toBe('golangci-lint-2.4.0-windows-arm64.zip');
    const mac = toolPlatformFor('darwin/arm64');
    expect(archiveName('2.4.0', mac)).toBe('golangci-lint-2.4.0-darwin-arm64.tar.gz');
    expect(binaryIn(mac)).toBe('golangci-lint-2.4.0-darwin-arm64/golangci-lint');
    expect(archiveName('2.4.0', toolPlatform('darwin', 'x64'))).toBe(
      'golangci-lint-2.4.0-darwin-amd64.tar.gz',
    );
  });

  it('names archives and URLs as the release page does', () => {
    const linux = toolPlatform('linux', 'x64');
    const windows = toolPlatform('win32', 'x64');
    expect(archiveName('2.4.0', linux)).toBe('golangci-lint-2.4.0-linux-amd64.tar.gz');
    expect(archiveUrl(`${UPSTREAM_RELEASES}/`, '2.4.0', windows)).toBe(
      'https://github.com/golangci/golangci-lint/releases/download/v2.4.0/golangci-lint-2.4.0-windows-amd64.zip',
    );
  });

  it('prefers the user checksum, then the table, and otherwise says how to get one', () => {
    const linux = toolPlatform('linux', 'x64');
    const table = { '2.4.0': { 'linux-amd64': 'f'.repeat(64) } };
    expect(expectedChecksum('2.4.0', linux, 'a'.repeat(64), table)).toEqual({
      sha256: 'a'.repeat(64),
      from: 'golangci-lint-checksum',
    });
    expect(expectedChecksum('2.4.0', linux, undefined, table)).toEqual({
      sha256: 'f'.repeat(64),
      from: 'known checksums',
    });
    const single = { '2.6.1': { 'linux-386': { sha256: 'e'.repeat(64), sources: 1 } } };
    expect(expectedChecksum('2.6.1', toolPlatform('linux', 'ia32'), undefined, single)).toEqual({
      sha256: 'e'.repeat(64),
      from: 'known checksums, found in one published list only',
    });
    const unknown = expectedChecksum('2.4.0', toolPlatform('linux', 'riscv64'), undefined, table);
    expect(unknown).toEqual({
      problem:
        'golangci-lint-version: "v2.4.0" has no known sha256 for linux-riscv64, so it cannot be verified and is not installed. ' +
        "Pass the archive's sha256 as golangci-lint-checksum: it is the line for golangci-lint-2.4.0-linux-riscv64.tar.gz in " +
        'golangci-lint-2.4.0-checksums.txt, published with the release (https://github.com/golangci/golangci-lint/releases/download/v2.4.0/golangci-lint-2.4.0-checksums.txt)',
    });
  });
});

describe('release versions', () => {
  it('normalises v-prefixed and plain versions and rejects the rest', () => {
    expect(normaliseRelease('v2.4.0')).toBe('2.4.0');
    expect(normaliseRelease(' 1.64.06 ')).toBe('1.64.6');
    for (const bad of ['latest', 'v2', '2.4', 'v2.4.0-rc.1', '^2.4.0', '']) {
      expect(normaliseRelease(bad)).toBeUndefined();
    }
  });

  it('compares numerically', () => {
    expect(['2.10.1', '2.4.0', '1.64.6', '2.9.0'].sort(compareReleases)).toEqual([
      '1.64.6',
      '2.4.0',
      '2.9.0',
      '2.10.1',
    ]);
  });

  it('reads the release of a Go toolchain', () => {
    expect(goRelease('go1.23.5')).toBe('1.23.5');
    expect(goRelease('go1.22')).toBe('1.22.0');
    expect(goRelease('go1.25rc1')).toBe('1.25.0');
    expect(goRelease('devel go1.26-abc')).toBeUndefined();
  });
});
