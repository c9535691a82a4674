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

/** A linux-amd64 archive whose `golangci-lint` prints `<banner> <version>`. */
export function golangciLintArchive(
  version: string,
  banner = 'golangci-lint has version',
): FixtureArchive {
  const dir = mkdtempSync(join(tmpdir(), 'tool-archive-'));
  try {
    const root = `golangci-lint-${version}-linux-amd64`;
    mkdirSync(join(dir, root));
    const binary = join(dir, root, 'golangci-lint');
    writeFileSync(binary, `#!/bin/sh\necho "${banner} ${version}"\n`);
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
