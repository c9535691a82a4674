// Unpacking a bundle as it streams: manifest.json is read first, and every later entry is held
// to it before a byte of it reaches the disk. The archive is inflated only as far as it is read,
// so a refusal also stops the decompression.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { TarRefusal, type MemberSink } from '../tar/members.js';
import { overCap, type BundleCap } from './cap.js';
import { decompressFile, type Compression } from '../tar/compression.js';
import {
  entryPlan,
  entryProblem,
  firstEntryProblem,
  planProblem,
  type EntryPlan,
} from './entries.js';
import { BundleError, MANIFEST_NAME, parseManifest, type Manifest } from './manifest.js';
import { readTar, type TarEntryHeader } from './tar.js';

export interface Unpacked {
  manifest: Manifest;
  plan: EntryPlan;
  /** The files written, each already equal to the manifest's size and sha256. */
  written: Set<string>;
}

/** `file` does not match its manifest; the first problem's file is the one at fault. */
export function mismatch(file: string, problems: string[]): BundleError {
  return new BundleError(
    `${file} does not match its manifest:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    problems[0].split(':')[0],
  );
}

/**
 * Unpacks `file` into `destDir`: manifest.json must be the first entry, and each later one a
 * file it lists, at the size it lists (refused before anything of it is written), with the
 * sha256 it lists (refused as it ends, its bytes removed), or a directory a listed file is in.
 * Throws a BundleError naming the file at fault; what was written stays for the caller to
 * remove.
 */
export async function unpackBundle(
  file: string,
  compression: Compression,
  destDir: string,
  cap: BundleCap,
): Promise<Unpacked> {
  fs.mkdirSync(destDir, { recursive: true });
  let read: { manifest: Manifest; plan: EntryPlan } | undefined;
  let first = true;
  const written = new Set<string>();
  const open = new Set<FileHandle>();
  const onEntry = async (entry: TarEntryHeader): Promise<MemberSink | void> => {
    if (first) {
      first = false;
      const problem = firstEntryProblem(entry);
      if (problem) throw new BundleError(`${file}: ${problem}`, entry.path);
      return collect((text) => (read = readManifest(text, entry.size, cap, file)));
    }
    // The manifest's sink has ended, and read it, before the reader looks at the next entry.
    const plan = read!.plan;
    const problem = entryProblem(plan, entry);
    if (problem) throw mismatch(file, [problem]);
    const target = path.join(destDir, entry.path);
    if (entry.type === 'directory') return void fs.mkdirSync(target, { recursive: true });
    const listed = plan.files.get(entry.path)!;
    return writeHashed(target, open, (sha256) => {
      if (sha256 !== listed.sha256) {
        throw mismatch(file, [
          `${listed.path}: sha256 is ${sha256}, the manifest says ${listed.sha256}`,
        ]);
      }
      written.add(listed.path);
    });
  };
  try {
    await readTar(decompressFile(compression, file), onEntry, { maxBytes: cap.bytes });
  } catch (err) {
    if (err instanceof TarRefusal && err.limit === 'maxBytes') {
      throw new BundleError(`${file}: ${overCap(err.message, cap)}`);
    }
    throw err;
  } finally {
    await Promise.all([...open].map((h) => h.close().catch(() => undefined)));
  }
  if (!read) {
    throw new BundleError(`${file} has no ${MANIFEST_NAME}: it is not a bundle`, MANIFEST_NAME);
  }
  return { ...read, written };
}

function readManifest(
  text: string,
  size: number,
  cap: BundleCap,
  file: string,
): { manifest: Manifest; plan: EntryPlan } {
  const manifest = parseManifest(text);
  const plan = entryPlan(manifest);
  const problem = planProblem(plan, size, cap);
  if (problem) throw new BundleError(`${file}: ${problem}`, MANIFEST_NAME);
  return { manifest, plan };
}

function collect(done: (text: string) => void): MemberSink {
  const parts: Buffer[] = [];
  return {
    write: async (chunk) => void parts.push(chunk),
    end: async () => done(Buffer.concat(parts).toString('utf8')),
  };
}

/** A sink that writes `target` and hashes it on the way; `check` throwing removes it again. */
async function writeHashed(
  target: string,
  open: Set<FileHandle>,
  check: (sha256: string) => void,
): Promise<MemberSink> {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const handle = await fs.promises.open(target, 'wx');
  open.add(handle);
  const hash = createHash('sha256');
  return {
    write: async (chunk) => {
      hash.update(chunk);
      await handle.write(chunk);
    },
    end: async () => {
      open.delete(handle);
      await handle.close();
      try {
        check(hash.digest('hex'));
      } catch (err) {
        fs.rmSync(target, { force: true });
        throw err;
      }
    },
  };
}
