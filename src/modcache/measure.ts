import fs from 'node:fs/promises';
import path from 'node:path';

export interface DownloadCacheSize {
  dir: string;
  zips: number;
  bytes: number;
}

/** Counts module zips and bytes under GOMODCACHE/cache/download: what a snapshot would hold. */
export async function measureDownloadCache(gomodcache: string): Promise<DownloadCacheSize> {
  const dir = path.join(gomodcache, 'cache', 'download');
  const size: DownloadCacheSize = { dir, zips: 0, bytes: 0 };
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) {
        size.bytes += (await fs.stat(p)).size;
        if (e.name.endsWith('.zip')) size.zips++;
      }
    }
  };
  await walk(dir);
  return size;
}
