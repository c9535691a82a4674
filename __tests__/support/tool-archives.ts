// Test stand-ins for golangci-lint release archives: the real layout
// (golangci-lint-<ver>-<os>-<arch>/golangci-lint inside a .tar.gz) around a small script.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forceRemove } from './fs-cleanup.js';

export interface FixtureArchive {
  /** URL path under a release base: `/v<ver>/<file>`. */
  path: string;
  body: Buffer;
  sha256: string;
}

/**
 * What `golangci-lint run` does with its cache, in miniature: one entry per Go file in the Go
 * cache layout, under GOLANGCI_LINT_CACHE or ~/.cache/golangci-lint, used when present (its
 * mtime refreshed only when older than an hour, as Go's cache package does) and made when not.
 */
export const CACHING_LINTER = `cache="\${GOLANGCI_LINT_CACHE:-\${XDG_CACHE_HOME:-$HOME/.cache}/golangci-lint}"
for f in *.go; do
  h=$(sha256sum "$f" | cut -c1-64)
  d="$cache/$(echo "$h" | cut -c1-2)"
  e="$d/$h-a"
  if [ -f "$e" ]; then
    if [ -n "$(find "$e" -mmin +60)" ]; then touch "$e"; fi
    echo "cached $f"
  else
    mkdir -p "$d" && echo "$f" > "$e" && echo "analysed $f"
  fi
done`;

/**
 * A linux-amd64 archive whose `golangci-lint` prints `<banner> <version>`, and runs `onRun`
 * (a shell script) for `golangci-lint run` when given.
 */
export function golangciLintArchive(
  version: string,
  banner = 'golangci-lint has version',
  onRun?: string,
): FixtureArchive {
  const dir = mkdtempSync(join(tmpdir(), 'tool-archive-'));
  try {
    const root = `golangci-lint-${version}-linux-amd64`;
    mkdirSync(join(dir, root));
    const binary = join(dir, root, 'golangci-lint');
    const run = onRun ? `if [ "$1" = run ]; then\n${onRun}\nexit 0\nfi\n` : '';
    writeFileSync(binary, `#!/bin/sh\n${run}echo "${banner} ${version}"\n`);
    chmodSync(binary, 0o755);
    writeFileSync(join(dir, root, 'LICENSE'), 'fixture\n');
    const file = `${root}.tar.gz`;
    const tar = spawnSync('tar', ['-czf', file, root], { cwd: dir, encoding: 'utf8' });
    if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
    const body = readFileSync(join(dir, file));
    return {
      path: `/v${version}/${file}`,
      body,
      sha256: createHash('sha256').update(body).digest('hex'),
    };
  } finally {
    forceRemove(dir);
  }
}
