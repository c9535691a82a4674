import fs from 'node:fs/promises';
import path from 'node:path';
import { listFiles } from '../cache-service/files.js';

export interface DownloadCacheSize {
  dir: string;
  zips: number;
  bytes: number;
}

/** Counts module zips and bytes under GOMODCACHE/cache/download: what a snapshot would hold. */
export async function measureDownloadCache(gomodcache: string): Promise<DownloadCacheSize> {
  const dir = path.join(gomodcache, 'cache', 'download');
  const size: DownloadCacheSize = { dir, zips: 0, bytes: 0 };
  for (const rel of await listFiles(dir)) {
    try {
      size.bytes += (await fs.stat(path.join(dir, rel))).size;
    } catch {
      continue; // removed meanwhile
    }
    if (rel.endsWith('.zip')) size.zips++;
  }
  return size;
}
