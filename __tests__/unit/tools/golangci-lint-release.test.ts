import { describe, expect, it } from '@jest/globals';
import {
  archiveName,
  archiveRoot,
  archiveUrl,
  binaryName,
  expectedChecksum,
  UPSTREAM_RELEASES,
} from '../../../src/tools/golangci-lint-release.js';
import { toolPlatform, toolPlatformFor, type ToolPlatform } from '../../../src/tools/platform.js';

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
