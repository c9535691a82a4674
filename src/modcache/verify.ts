import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
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
  /** Zips that matched go.sum, with the hash computed from their bytes. */
  zips: { file: string; hash: string }[];
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
  const result: VerifyResult = { verified: 0, dropped: [], missing: 0, zips: [], ms: 0 };
  const hashZip = (zip: Buffer): Promise<string> => zipHasher.hash(zip);
  const checks: (() => Promise<void>)[] = [];
  for (const m of modules) {
    if (m.zipHash?.startsWith('h1:')) {
      checks.push(() =>
        checkFile(result, versionFile(dir, m.module, m.version, '.zip'), m.zipHash!, hashZip, {
          label: `${m.module}@${m.version}`,
          alsoRemove: [versionFile(dir, m.module, m.version, '.ziphash')],
          isZip: true,
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
    checks.push(() => checkInfo(result, dir, m));
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
  opts: { label: string; alsoRemove: string[]; isZip?: boolean },
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
    if (opts.isZip) result.zips.push({ file, hash: actual });
    return;
  }
  result.dropped.push(opts.label);
  for (const f of [file, ...opts.alsoRemove]) await fs.rm(f, { force: true });
}

/** An `.info` is small JSON naming its own version; anything else is not Go's, and goes. */
async function checkInfo(result: VerifyResult, dir: string, m: ModuleVersion): Promise<void> {
  const file = versionFile(dir, m.module, m.version, '.info');
  let text: string;
  try {
    const stat = await fs.stat(file);
    if (stat.size > MAX_INFO_BYTES) throw new Error('too large');
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    text = '';
  }
  if (infoVersion(text) === m.version) return;
  result.dropped.push(`${m.module}@${m.version}.info`);
  await fs.rm(file, { force: true });
}

/** Go writes `{"Version":…,"Time":…}` and perhaps an Origin: a few hundred bytes. */
const MAX_INFO_BYTES = 64 * 1024;

function infoVersion(text: string): string | undefined {
  try {
    const info: unknown = JSON.parse(text);
    const version = (info as { Version?: unknown } | null)?.Version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes each verified zip's `.ziphash` from the hash computed from its bytes, which is what Go
 * trusts from then on. Skipped where `realDir` already holds that zip: the staged copy is not
 * moved in then, and a hash of other bytes must not be put next to it.
 */
export async function writeZipHashes(
  zips: VerifyResult['zips'],
  stagedDir: string,
  realDir: string,
): Promise<void> {
  for (const { file, hash } of zips) {
    const inReal = path.join(realDir, path.relative(stagedDir, file));
    if (existsSync(inReal)) continue;
    await fs.writeFile(`${file.slice(0, -'.zip'.length)}.ziphash`, hash);
  }
}
