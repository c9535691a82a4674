// Adds one golangci-lint release's published checksums to src/tools/known-checksums.json.
//   npm run update-checksums -- <version> <checksums.txt path or URL> [--table <json file>]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeChecksums, parseChecksumList } from '../src/tools/checksum-list.js';
import type { ChecksumTable } from '../src/tools/known-checksums.js';
import { compareReleases, normaliseRelease } from '../src/util/release-version.js';

const DEFAULT_TABLE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'src',
  'tools',
  'known-checksums.json',
);
const USAGE =
  'usage: npm run update-checksums -- <version> <checksums.txt path or URL> [--table <json file>]';

async function readSource(source: string): Promise<string> {
  if (!/^https?:\/\//.test(source)) return readFileSync(source, 'utf8');
  const res = await fetch(source);
  if (!res.ok) throw new Error(`${source}: HTTP ${res.status}`);
  return res.text();
}

function sortedByVersion(table: ChecksumTable): ChecksumTable {
  return Object.fromEntries(
    Object.keys(table)
      .sort(compareReleases)
      .map((v) => [v, table[v]]),
  );
}

async function main(args: string[]): Promise<void> {
  const tableAt = args.indexOf('--table');
  const tablePath = tableAt >= 0 ? args[tableAt + 1] : DEFAULT_TABLE;
  const positional =
    tableAt >= 0 ? args.filter((_, i) => i !== tableAt && i !== tableAt + 1) : args;
  if (positional.length !== 2 || !tablePath) throw new Error(USAGE);
  const version = normaliseRelease(positional[0]);
  if (!version)
    throw new Error(`"${positional[0]}" is not a release version like v2.4.0\n${USAGE}`);

  const listed = parseChecksumList(await readSource(positional[1]), version);
  if (Object.keys(listed).length === 0) {
    throw new Error(
      `${positional[1]} lists no golangci-lint-${version}-<os>-<arch> archive; is it the checksums file of v${version}?`,
    );
  }
  const table = JSON.parse(readFileSync(tablePath, 'utf8')) as ChecksumTable;
  const result = mergeChecksums(table, version, listed);
  for (const c of result.conflicts) {
    console.error(
      `conflict: ${version} ${c.platform} is known as ${c.known} but the list says ${c.listed}; kept the known value`,
    );
  }
  writeFileSync(tablePath, `${JSON.stringify(sortedByVersion(result.table), null, 2)}\n`);
  console.log(
    `${version}: added ${result.added.length} platform(s)${result.added.length ? ` (${result.added.join(', ')})` : ''}, ${Object.keys(listed).length - result.added.length - result.conflicts.length} already known`,
  );
  if (result.conflicts.length > 0) process.exitCode = 1;
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
