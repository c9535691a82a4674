// What a bundle's archive may hold, decided entry by entry as it streams: manifest.json first,
// then only what the manifest lists, at the size it lists. Pure: nothing here touches the disk.
import { overCap, type BundleCap } from './cap.js';
import { MANIFEST_NAME, type BundleFile, type Manifest } from './manifest.js';
import type { TarEntryHeader } from './tar.js';

/** A manifest.json larger than this is not a manifest. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** What the entries after the manifest may be. */
export interface EntryPlan {
  /** Every file the manifest lists, by path. */
  files: Map<string, BundleFile>;
  /** Every directory a listed file is in: the only directory entries an archive may carry. */
  dirs: Set<string>;
  /** The listed files' bytes together. */
  bytes: number;
}

export function entryPlan(manifest: Manifest): EntryPlan {
  const files = new Map(manifest.files.map((f) => [f.path, f]));
  const dirs = new Set<string>();
  for (const f of manifest.files) {
    const parts = f.path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return { files, dirs, bytes: manifest.files.reduce((n, f) => n + f.size, 0) };
}

/**
 * Why the archive's first entry cannot be read as its manifest, or undefined. Nothing can be
 * checked before the manifest is read, so nothing may come before it.
 */
export function firstEntryProblem(entry: TarEntryHeader): string | undefined {
  if (entry.path !== MANIFEST_NAME || entry.type !== 'file') {
    return `${entry.path}: the archive's first entry; ${MANIFEST_NAME} must come first (go-resilient-setup bundle writes it first), so that every entry is checked against it before it is written`;
  }
  if (entry.size > MAX_MANIFEST_BYTES) {
    return `${MANIFEST_NAME}: ${entry.size} bytes, more than a manifest ever is (${MAX_MANIFEST_BYTES})`;
  }
  return undefined;
}

/** Why the manifest's files cannot fit under the cap, or undefined; before any is written. */
export function planProblem(
  plan: EntryPlan,
  manifestBytes: number,
  cap: BundleCap,
): string | undefined {
  const total = plan.bytes + manifestBytes;
  if (total <= cap.bytes) return undefined;
  return overCap(`${MANIFEST_NAME}: its files and itself come to ${total} bytes`, cap);
}

/** Why an entry after the manifest may not be written, or undefined; each names its file. */
export function entryProblem(plan: EntryPlan, entry: TarEntryHeader): string | undefined {
  if (entry.type === 'directory') {
    return plan.dirs.has(entry.path)
      ? undefined
      : `${entry.path}/: a directory that holds no file listed in ${MANIFEST_NAME}`;
  }
  const listed = plan.files.get(entry.path);
  if (!listed) return `${entry.path}: in the bundle but not listed in ${MANIFEST_NAME}`;
  if (listed.size !== entry.size) {
    return `${entry.path}: ${entry.size} bytes, the manifest says ${listed.size}`;
  }
  return undefined;
}
