/** Where a release archive is built for, in Go's GOOS/GOARCH words as release assets name them. */
export interface ToolPlatform {
  os: string;
  arch: string;
  /** `<os>-<arch>`, the key of the checksum table. */
  key: string;
  /** Release archives are zips on Windows and gzipped tars elsewhere. */
  archive: 'zip' | 'tar.gz';
  /** `.exe` on Windows. */
  exeSuffix: string;
}

const OS: Partial<Record<NodeJS.Platform, string>> = {
  linux: 'linux',
  darwin: 'darwin',
  win32: 'windows',
  freebsd: 'freebsd',
  netbsd: 'netbsd',
  openbsd: 'openbsd',
  sunos: 'solaris',
  aix: 'aix',
};

const ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  ia32: '386',
  arm: 'armv7',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips64el: 'mips64le',
};

export function toolPlatform(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): ToolPlatform {
  const os = OS[platform] ?? platform;
  const goarch = ARCH[arch] ?? arch;
  const windows = os === 'windows';
  return {
    os,
    arch: goarch,
    key: `${os}-${goarch}`,
    archive: windows ? 'zip' : 'tar.gz',
    exeSuffix: windows ? '.exe' : '',
  };
}

/** `<os>/<arch>` in Go's words, as `--platforms`, bundle manifests and the runner name it. */
export function platformName(platform: ToolPlatform): string {
  return `${platform.os}/${platform.arch}`;
}

/**
 * The platform a `--platforms` entry names, Go's way (`windows/amd64`, `darwin/arm64`); Node's
 * words (`linux/x64`, `linux/arm`) are taken too and come out as release assets name them.
 */
export function toolPlatformFor(pair: string): ToolPlatform {
  const [goos, goarch] = pair.split('/');
  return toolPlatform(
    (goos === 'windows' ? 'win32' : goos) as NodeJS.Platform,
    ({ amd64: 'x64', '386': 'ia32' } as Record<string, string>)[goarch] ?? goarch,
  );
}
