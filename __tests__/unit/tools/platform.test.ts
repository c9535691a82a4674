import { describe, expect, it } from '@jest/globals';
import { KNOWN_CHECKSUMS } from '../../../src/tools/known-checksums.js';
import { platformName, toolPlatform, toolPlatformFor } from '../../../src/tools/platform.js';

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
