import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { overCap, type BundleCap } from './cap.js';
import { checkUnpacked } from './check.js';
import { sniffCompression } from '../tar/compression.js';
import { BundleError, MODULES_DIR, type Manifest } from './manifest.js';
import { mismatch, unpackBundle } from './unpack.js';

/** A bundle unpacked and checked; nothing in it is used before this exists. */
export interface OpenedBundle {
  dir: string;
  manifest: Manifest;
  /** The module tree as a GOPROXY URL. */
  moduleMirror: string;
  /** A golangci-lint archive in the bundle, by version (`2.4.0`) and platform (`linux/amd64`). */
  toolArchive(
    name: 'golangci-lint',
    version: string,
    platform: string,
  ): { path: string; sha256: string; checksumFrom: string } | undefined;
  /** Module versions it holds. */
  modules: number;
  /** Bytes of its files, unpacked. */
  bytes: number;
}

/**
 * Unpacks `file` into `destDir` (which must not exist yet) and checks it. The archive is held to
 * `cap` before it is opened and as it inflates; its manifest comes first, and every entry after
 * it is checked against the manifest as it streams (see unpackBundle). Then no listed file may
 * be missing, every module's zip and go.mod must match the manifest's go.sum lines and `goSum`
 * (the project's lines) where both name the same module version, golangci-lint archives the
 * action's table, and govulncheck's modules the shipped pins; these problems are collected. Any
 * problem removes `destDir` and throws a BundleError, each problem naming its file.
 */
export async function openBundle(
  file: string,
  destDir: string,
  opts: { goSum?: string[]; cap: BundleCap },
): Promise<OpenedBundle> {
  try {
    const opened = await unpackAndCheck(file, destDir, opts.goSum ?? [], opts.cap);
    return opened;
  } catch (err) {
    fs.rmSync(destDir, { recursive: true, force: true });
    if (err instanceof BundleError) throw err;
    throw new BundleError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function unpackAndCheck(
  file: string,
  destDir: string,
  goSum: string[],
  cap: BundleCap,
): Promise<OpenedBundle> {
  const size = fs.statSync(file).size;
  if (size > cap.bytes) throw new BundleError(overCap(`${file} is ${size} bytes`, cap));
  const head = Buffer.alloc(4);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 4, 0);
  } finally {
    fs.closeSync(fd);
  }
  const compression = sniffCompression(head);
  if (!compression) {
    throw new BundleError(
      `${file} is neither gzip nor zstd; a bundle is the .tar.gz or .tar.zst that go-resilient-setup bundle writes`,
    );
  }
  const { manifest, plan, written } = await unpackBundle(file, compression, destDir, cap);
  const problems = checkUnpacked(manifest, written, destDir, goSum);
  if (problems.length > 0) throw mismatch(file, problems);
  const byTool = (name: string, version: string, platform: string) =>
    manifest.tools.find((t) => t.name === name && t.version === version && t.platform === platform);
  return {
    dir: destDir,
    manifest,
    moduleMirror: pathToFileURL(path.join(destDir, MODULES_DIR)).href,
    toolArchive: (name, version, platform) => {
      const t = byTool(name, version, platform);
      return t?.file && t.sha256
        ? { path: path.join(destDir, t.file), sha256: t.sha256, checksumFrom: t.checksumFrom }
        : undefined;
    },
    modules: manifest.modules.length,
    bytes: plan.bytes,
  };
}
