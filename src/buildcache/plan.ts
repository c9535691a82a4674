// Which build-cache files a save keeps. Go refreshes a cache entry's mtime when it uses the
// entry, but only when the mtime is more than an hour old (cmd/go/internal/cache,
// mtimeInterval); golangci-lint's cache is a copy of that package. So the main step makes
// every entry it restores older than that, and whatever has a newer mtime at the end of the
// job was used or created by the job.

/** Go touches an entry on use only when its mtime is older than this. */
export const GO_REFRESH_MS = 60 * 60_000;
/** Where restored entries are set back to: clearly past GO_REFRESH_MS. */
export const AGED_BY_MS = 2 * GO_REFRESH_MS;

/** One file under a cache root. */
export interface CacheFile {
  /** Relative to the root, `/`-separated. */
  rel: string;
  mtimeMs: number;
  size: number;
}

/** A cache directory and its files. */
export interface RootFiles {
  /** `go-build` or `golangci-lint`: names entries across roots. */
  label: string;
  files: CacheFile[];
}

/**
 * Entries are `<2 hex>/<hex>-a` (action) and `<2 hex>/<hex>-d` (output). Anything else (the
 * README, trim.txt, fuzz corpora) is the cache's own furniture or the user's and always kept.
 */
export function isEntry(rel: string): boolean {
  return /^[0-9a-f]{2}\/[0-9a-f]+-[ad]$/.test(rel);
}

export interface SavePlan {
  /** `<label>/<rel>` of every entry kept: what the key's digest covers. */
  kept: string[];
  /** Per label, the files the archive leaves out. */
  leftOut: Map<string, string[]>;
  /** Kept entries that were there after the restore. */
  used: number;
  /** Kept entries the job made, apart from directory indexes. */
  created: number;
  /** Kept directory-index entries the job made: never a reason to save on their own. */
  indexes: number;
  /** The first few of them, for the log. */
  createdSample: string[];
  leftOutCount: number;
  /** Everything the archive holds, before compression. */
  keptBytes: number;
}

/** `<label>/<rel>` of the entries with an mtime at or after `since` that `before` lacks. */
export function createdEntries(
  roots: readonly RootFiles[],
  since: number,
  before: ReadonlySet<string>,
): string[] {
  return roots.flatMap((root) =>
    root.files
      .filter((f) => isEntry(f.rel) && f.mtimeMs >= since)
      .map((f) => `${root.label}/${f.rel}`)
      .filter((name) => !before.has(name)),
  );
}

/**
 * Keeps what the job touched (mtime at or after `since`, the moment the restored entries
 * were set back) and every non-entry file; leaves out the rest. `before` names the entries
 * that existed after the restore, to tell used from created; `indexes` names created entries
 * that are Go's directory indexes. A fresh checkout gets new file times, and Go keys the
 * index of each of the workspace's package directories on them, so every job makes a few
 * that no later job can use: they ride along in a save but never cause one.
 */
export function planSave(
  roots: readonly RootFiles[],
  since: number,
  before: ReadonlySet<string>,
  indexes: ReadonlySet<string> = new Set(),
): SavePlan {
  const plan: SavePlan = {
    kept: [],
    leftOut: new Map(),
    used: 0,
    created: 0,
    indexes: 0,
    createdSample: [],
    leftOutCount: 0,
    keptBytes: 0,
  };
  for (const root of roots) {
    const out: string[] = [];
    plan.leftOut.set(root.label, out);
    for (const f of root.files) {
      if (!isEntry(f.rel)) {
        plan.keptBytes += f.size;
        continue;
      }
      const name = `${root.label}/${f.rel}`;
      if (f.mtimeMs < since) {
        out.push(f.rel);
        plan.leftOutCount++;
        continue;
      }
      plan.kept.push(name);
      plan.keptBytes += f.size;
      if (before.has(name)) plan.used++;
      else if (indexes.has(name)) plan.indexes++;
      else if (plan.created++ < 5) plan.createdSample.push(name);
    }
  }
  plan.kept.sort();
  return plan;
}
