import fs from 'node:fs/promises';
import { hashGoMod, hashZip } from '../gomod/dirhash.js';
import type { ModuleVersion } from '../gomod/gosum.js';
import { versionFile } from './layout.js';

export interface VerifyResult {
  /** Zips and go.mod files whose hash matched go.sum. */
  verified: number;
  /** `module@version` (with `/go.mod` for go.mod files) removed because the hash differed. */
  dropped: string[];
  /** go.sum entries with no file in the snapshot. */
  missing: number;
}

/** Files hashed at once: enough to keep the disk busy, few enough to bound memory. */
const CONCURRENCY = 4;

/**
 * Checks every zip and go.mod in the download directory that go.sum names
 * against its go.sum hash, and removes those that differ. Go itself trusts
 * the `.ziphash` next to a zip and never rehashes a restored zip, so a
 * corrupted or tampered snapshot would otherwise go unnoticed.
 */
export async function verifySnapshot(
  dir: string,
  modules: readonly ModuleVersion[],
): Promise<VerifyResult> {
  const result: VerifyResult = { verified: 0, dropped: [], missing: 0 };
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
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  result.dropped.sort();
  return result;
}

async function checkFile(
  result: VerifyResult,
  file: string,
  expected: string,
  hash: (b: Buffer) => string,
  opts: { label: string; alsoRemove: string[] },
): Promise<void> {
  let content: Buffer;
  try {
    content = await fs.readFile(file);
  } catch {
    result.missing++;
    return;
  }
  let actual: string | undefined;
  try {
    actual = hash(content);
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
