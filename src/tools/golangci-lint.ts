import fs from 'node:fs';
import path from 'node:path';
import * as tc from '@actions/tool-cache';
import type { GolangciLintConfig } from '../config/types.js';
import type { Mirror } from '../proxy/mirror.js';
import { downloadVerified, type ArchiveSource, type DownloadPolicy } from './download.js';
import { archiveName, archiveRoot, archiveUrl, binaryName } from './golangci-lint-release.js';
import { toolPlatform, type ToolPlatform } from './platform.js';
import type { ToolReport } from './tool-report.js';
import { runnerTemp } from '../util/runner.js';

const TOOL = 'golangci-lint';
/** Kept beside the binary: which verified archive the cached copy was unpacked from. */
const VERIFIED_MARKER = '.go-resilient-setup-sha256';

/**
 * Installs golangci-lint into the runner's tool cache from the first mirror that serves the
 * archive with the expected sha256, or reuses a cached copy unpacked from that same archive.
 * Only a verified archive is ever unpacked, so a failure leaves nothing in the tool cache.
 * Returns the directory to add to PATH with the report.
 */
export async function installGolangciLint(
  want: GolangciLintConfig,
  mirrors: Mirror[],
  log: (line: string) => void,
  opts: {
    policy?: DownloadPolicy;
    /** Sources tried before the mirrors, such as an offline bundle's copy. */
    first?: ArchiveSource[];
  } = {},
): Promise<{ dir: string; report: ToolReport }> {
  const platform = toolPlatform();
  const binary = binaryName(platform);
  const name = archiveName(want.version, platform);
  const report = (dir: string, source: string, cached: ToolReport['cached']) => ({
    dir,
    report: {
      tool: TOOL,
      version: `v${want.version}`,
      ...(want.versionFrom && { versionFrom: want.versionFrom.file }),
      integrity: `sha256 ${want.sha256} (${want.sha256From})`,
      source,
      cached,
      path: path.join(dir, binary),
    },
  });

  if (want.versionFrom) log(`v${want.version}, as ${want.versionFrom.line}`);

  const cachedDir = tc.find(TOOL, want.version);
  if (
    cachedDir &&
    readMarker(cachedDir) === want.sha256 &&
    fs.existsSync(path.join(cachedDir, binary))
  ) {
    log(`${TOOL} v${want.version} found in the tool cache (${cachedDir})`);
    return report(cachedDir, 'tool cache', 'tool cache');
  }

  const sources = [...(opts.first ?? []), ...mirrorSources(mirrors, want.version, platform)];
  const archive = await downloadVerified(name, sources, want.sha256, log, opts.policy);
  log(`${archive.source.display}: sha256 ${want.sha256} verified (${want.sha256From})`);
  const dir = await cacheVerified(archive.body, want, platform);
  return report(dir, archive.source.display, 'no');
}

function mirrorSources(
  mirrors: Mirror[],
  version: string,
  platform: ToolPlatform,
): ArchiveSource[] {
  return mirrors.map((m) => ({
    url: archiveUrl(m.requestUrl, version, platform),
    display: archiveUrl(m.display, version, platform),
    authorization: m.authorization,
  }));
}

/** Unpacks a verified archive into the tool cache, marked with its hash; returns the directory. */
async function cacheVerified(
  body: Buffer,
  want: GolangciLintConfig,
  platform: ToolPlatform,
): Promise<string> {
  const binary = binaryName(platform);
  const name = archiveName(want.version, platform);
  const root = archiveRoot(want.version, platform);
  const work = fs.mkdtempSync(path.join(runnerTemp(), `${TOOL}-`));
  try {
    const file = path.join(work, name);
    fs.writeFileSync(file, body);
    const unpacked = path.join(work, 'unpacked');
    if (platform.archive === 'zip') await tc.extractZip(file, unpacked);
    else await tc.extractTar(file, unpacked);
    const toolDir = path.join(unpacked, root);
    if (!fs.existsSync(path.join(toolDir, binary))) {
      throw new Error(
        `${name} passed verification but holds no ${root}/${binary}; nothing was installed`,
      );
    }
    fs.writeFileSync(path.join(toolDir, VERIFIED_MARKER), `${want.sha256}\n`);
    return await tc.cacheDir(toolDir, TOOL, want.version);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function readMarker(dir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dir, VERIFIED_MARKER), 'utf8').trim();
  } catch {
    return undefined;
  }
}
