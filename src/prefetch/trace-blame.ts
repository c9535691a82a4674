import fs from 'node:fs';
import path from 'node:path';
import { unescapeModulePath } from '../gomod/escape.js';
import type { WatchResult } from '../go/watch.js';
import type { XTrace } from '../go/xtrace.js';
import type { Chain, ProbedMirror } from '../proxy/chain.js';

/** Mirror URL → why it is to blame, from what Go's trace shows of an attempt. */
export function assignBlame(
  blame: Map<string, string>,
  trace: XTrace,
  chain: Chain,
  result: WatchResult,
  gomodcache: string,
): void {
  const add = (url: string, why: string): void => {
    const member = memberOfUrl(url, chain);
    if (member && !blame.has(member.mirror.url)) blame.set(member.mirror.url, why);
  };
  for (const f of trace.failures()) {
    add(f.url, `${f.outcome} during go mod download (${pathAfterMirror(f.url, chain)})`);
  }
  if (result.killed) {
    for (const url of trace.unanswered()) {
      add(url, `no answer during go mod download (${pathAfterMirror(url, chain)})`);
    }
    for (const url of inFlight(trace, chain, gomodcache)) {
      add(url, `download stalled mid-body (${pathAfterMirror(url, chain)})`);
    }
  }
}

/** Zip downloads whose headers came back but whose zip never landed in the cache. */
export function inFlight(trace: XTrace, chain: Chain, gomodcache: string): string[] {
  return trace.answeredOk().filter((url) => {
    if (!url.endsWith('.zip')) return false;
    const rel = pathAfterMirror(url, chain);
    return rel !== undefined && !fs.existsSync(path.join(gomodcache, 'cache', 'download', rel));
  });
}

/** Bytes on disk in the cache directories of downloads still in flight: the watchdog's progress signal. */
export async function inFlightBytes(
  trace: XTrace,
  chain: Chain,
  gomodcache: string,
): Promise<number> {
  const dirs = new Set<string>();
  for (const url of [...trace.unanswered(), ...inFlight(trace, chain, gomodcache)]) {
    const rel = pathAfterMirror(url, chain);
    if (rel) dirs.add(path.dirname(path.join(gomodcache, 'cache', 'download', rel)));
  }
  let total = 0;
  for (const dir of dirs) {
    let names: string[];
    try {
      names = await fs.promises.readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      try {
        total += (await fs.promises.stat(path.join(dir, name))).size;
      } catch {
        // Renamed or removed between readdir and stat: Go is making progress.
        total += 1;
      }
    }
  }
  return total;
}

function memberOfUrl(url: string, chain: Chain): ProbedMirror | undefined {
  return chain.members.find((m) => url.startsWith(`${m.mirror.requestUrl}/`));
}

function pathAfterMirror(url: string, chain: Chain): string | undefined {
  const member = memberOfUrl(url, chain);
  return member ? url.slice(member.mirror.requestUrl.length + 1) : undefined;
}

export function moduleOfUrl(
  url: string,
  chain: Chain,
): { module: string; version: string } | undefined {
  const rel = pathAfterMirror(url, chain);
  const m = rel && /^(.+)\/@v\/(.+)\.(?:zip|mod|info)$/.exec(rel);
  if (!m) return undefined;
  try {
    return { module: unescapeModulePath(m[1]), version: unescapeModulePath(m[2]) };
  } catch {
    return undefined;
  }
}

export function lastErrorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('# get '));
  return lines[lines.length - 1] ?? 'go mod download failed';
}
