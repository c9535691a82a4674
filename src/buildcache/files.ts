import fs from 'node:fs/promises';
import path from 'node:path';
import { AGED_BY_MS, GO_REFRESH_MS, isEntry, type CacheFile } from './plan.js';

/** Files stat'ed at once: enough to keep the disk busy. */
const CONCURRENCY = 64;

/**
 * Every file under a cache root with its mtime and size; nothing when the root is missing.
 * An output entry that is a directory is one entry: Go (1.24 and later) keeps the binaries of
 * `go run` and `go tool` as `<2 hex>/<output id>-d/<name>`, and marks the directory, not the
 * binary, when it uses one. Its size is what it holds.
 */
export async function listCacheFiles(root: string): Promise<CacheFile[]> {
  const rels: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && isEntry(r)) rels.push(r);
      else if (e.isDirectory()) await walk(path.join(dir, e.name), r);
      else if (e.isFile()) rels.push(r);
    }
  };
  await walk(root, '');
  const files: CacheFile[] = [];
  await eachLimited(rels, async (rel) => {
    const st = await fs.stat(path.join(root, rel)).catch(() => undefined);
    if (!st) return;
    const size = st.isDirectory() ? await bytesUnder(path.join(root, rel)) : st.size;
    files.push({ rel, mtimeMs: st.mtimeMs, size });
  });
  return files;
}

async function bytesUnder(dir: string): Promise<number> {
  let total = 0;
  for (const e of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += await bytesUnder(p);
    else if (e.isFile()) total += (await fs.stat(p).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

/**
 * Sets back by AGED_BY_MS the entries recent enough that Go would not touch them on use, so
 * that Go marks each one it uses. Older ones keep their mtimes, and with them Go's own
 * trimming. Returns the names of every entry under the root.
 */
export async function ageEntries(root: string, now: number): Promise<string[]> {
  const aged = (now - AGED_BY_MS) / 1000;
  const files = (await listCacheFiles(root)).filter((f) => isEntry(f.rel));
  await eachLimited(files, async (f) => {
    if (f.mtimeMs < now - GO_REFRESH_MS) return;
    await fs.utimes(path.join(root, f.rel), aged, aged).catch(() => undefined);
  });
  return files.map((f) => f.rel);
}

/** What Go writes at the start of a directory index (cmd/go/internal/modindex). */
const INDEX_MAGIC = 'go index v';

/**
 * Which of the given `<label>/<rel>` entries are Go directory indexes: an output (`-d`) that
 * starts with the index header, and the action (`-a`) that points at such an output. An
 * action file is `v1 <action id> <output id> <size> <time>`.
 */
export async function findIndexEntries(
  roots: readonly { label: string; dir: string }[],
  names: readonly string[],
): Promise<Set<string>> {
  const dirOf = new Map(roots.map((r) => [r.label, r.dir]));
  const found = new Set<string>();
  await eachLimited(names, async (name) => {
    const slash = name.indexOf('/');
    const dir = dirOf.get(name.slice(0, slash));
    if (!dir) return;
    const rel = name.slice(slash + 1);
    let output = rel;
    if (rel.endsWith('-a')) {
      const id = /^v1 [0-9a-f]+ ([0-9a-f]{64}) /.exec(await head(path.join(dir, rel), 160))?.[1];
      if (!id) return;
      output = `${id.slice(0, 2)}/${id}-d`;
    }
    if ((await head(path.join(dir, output), INDEX_MAGIC.length)) === INDEX_MAGIC) found.add(name);
  });
  return found;
}

/** The first bytes of a file; nothing for a directory (a cached executable) or a missing file. */
async function head(file: string, bytes: number): Promise<string> {
  const fh = await fs.open(file, 'r').catch(() => undefined);
  if (!fh) return '';
  try {
    const buf = Buffer.alloc(bytes);
    const read = await fh.read(buf, 0, bytes, 0).catch(() => undefined);
    return read ? buf.subarray(0, read.bytesRead).toString('latin1') : '';
  } finally {
    await fh.close();
  }
}

async function eachLimited<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}
