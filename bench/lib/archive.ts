// Archives a snapshot the way @actions/cache does on Linux (tar, then zstd with a long window;
// gzip when zstd is missing, as @actions/cache falls back too), then extracts it into an empty
// directory. Both snapshots in a comparison go through the same code and the same compressor.
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export type Compression = 'zstd' | 'gzip';

export interface ArchiveMeasure {
  bytes: number;
  saveMs: number;
  restoreMs: number;
}

export function availableCompression(): Compression {
  return spawnSync('zstd', ['--version']).status === 0 ? 'zstd' : 'gzip';
}

const COMPRESS: Record<Compression, { ext: string; pack: string; unpack: string }> = {
  zstd: { ext: 'tzst', pack: 'zstd -T0 --long=30 -q -o', unpack: 'zstd -d --long=30 -q -c' },
  gzip: { ext: 'tgz', pack: 'gzip -c >', unpack: 'gzip -d -c' },
};

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function timedShell(script: string): number {
  const start = performance.now();
  const r = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${script}\n${r.stderr}`);
  return performance.now() - start;
}

/**
 * Archives `dirs` (relative to `base`) into `scratch`, then restores the archive into a fresh
 * directory there, timing both.
 */
export function measureArchive(
  name: string,
  base: string,
  dirs: string[],
  scratch: string,
  compression: Compression,
): ArchiveMeasure {
  const c = COMPRESS[compression];
  const archive = join(scratch, `${name}.${c.ext}`);
  const target = join(scratch, `${name}-restored`);
  mkdirSync(target, { recursive: true });
  const members = dirs.map(quote).join(' ');
  const saveMs = timedShell(`tar -cf - -C ${quote(base)} ${members} | ${c.pack} ${quote(archive)}`);
  const restoreMs = timedShell(`${c.unpack} ${quote(archive)} | tar -xf - -C ${quote(target)}`);
  return { bytes: statSync(archive).size, saveMs, restoreMs };
}
