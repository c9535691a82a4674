import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import { hashGoMod } from '../gomod/dirhash.js';
import type { ModuleVersion } from '../gomod/gosum.js';
import { defaultWorkers, ZipHasher } from '../gomod/zip-hasher.js';
import { versionFile } from './layout.js';

export interface VerifyResult {
  /** Zips and go.mod files whose hash matched go.sum. */
  verified: number;
  /** `module@version` (with `/go.mod` for go.mod files) removed because the hash differed. */
  dropped: string[];
  /** go.sum entries with no file in the snapshot. */
  missing: number;
  /** Wall time of the verification, in milliseconds. */
  ms: number;
}

export interface VerifyOptions {
  /** Worker threads that inflate and hash zips; 0 does it all on this thread. */
  workers?: number;
  /** Files read and not yet hashed at any time; each is held whole in memory until hashed. */
  filesInFlight?: number;
}

/**
 * Checks every zip and go.mod in the download directory that go.sum names
 * against its go.sum hash, and removes those that differ. Go itself trusts
 * the `.ziphash` next to a zip and never rehashes a restored zip, so a
 * corrupted or tampered snapshot would otherwise go unnoticed.
 */
export async function verifySnapshot(
  dir: string,
  modules: readonly ModuleVersion[],
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const start = performance.now();
  const workers = options.workers ?? defaultWorkers();
  // Two per worker, so each has the next zip queued while it hashes one, and two more that this
  // thread is reading and parsing.
  const filesInFlight = options.filesInFlight ?? 2 * workers + 2;
  const zipHasher = new ZipHasher(workers);
  const result: VerifyResult = { verified: 0, dropped: [], missing: 0, ms: 0 };
  const hashZip = (zip: Buffer): Promise<string> => zipHasher.hash(zip);
  const checks: (() => Promise<void>)[] = [];
  for (const m of modules) {
    if (m.zipHash?.startsWith('h1:')) {
      checks.push(() =>
        checkFile(result, versionFile(dir, m.module, m.version, '.zip'), m.zipHash!, hashZip, {
          label: `${m.module}@${m.version}`,
          alsoRemove: [versionFile(dir, m.module, m.version, '.ziphash')],
        }),
      );
    }
    if (m.modHash?.startsWith('h1:')) {
      checks.push(() =>
        checkFile(result, versionFile(dir, m.module, m.version, '.mod'), m.modHash!, hashGoMod, {
          label: `${m.module}@${m.version}/go.mod`,
          alsoRemove: [],
        }),
      );
    }
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < checks.length) await checks[next++]();
  };
  try {
    await Promise.all(Array.from({ length: filesInFlight }, worker));
  } finally {
    await zipHasher.close();
  }
  result.dropped.sort();
  result.ms = Math.round(performance.now() - start);
  return result;
}

async function checkFile(
  result: VerifyResult,
  file: string,
  expected: string,
  hash: (b: Buffer) => string | Promise<string>,
  opts: { label: string; alsoRemove: string[] },
): Promise<void> {
  let content: Buffer;
  try {
    // Read in one blocking call: the snapshot was just extracted, so this is a copy from the
    // page cache, and fs.promises.readFile's open, stat, read and close trips through the
    // thread pool cost this thread (the one feeding the hashing threads) several times more.
    content = readFileSync(file);
  } catch {
    result.missing++;
    return;
  }
  let actual: string | undefined;
  try {
    actual = await hash(content);
  } catch {
    actual = undefined; // unreadable zip: as bad as a wrong one
  }
  if (actual === expected) {
    result.verified++;
    return;
  }
  result.dropped.push(opts.label);
  for (const f of [file, ...opts.alsoRemove]) await fs.rm(f, { force: true });
}
