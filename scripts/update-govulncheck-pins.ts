// Adds one govulncheck release's pin to src/tools/govulncheck-pins.json.
//   npm run update-govulncheck-pins -- <version> <go.mod> <go.sum> <x-vuln.sum>
//       [--x-vuln-source <where x-vuln.sum's lines come from>] [--table <json file>]
// go.mod and go.sum are golang/vuln's at the tag; x-vuln.sum holds golang.org/x/vuln's own
// zip and /go.mod lines. What is kept and why: src/tools/govulncheck-pin-from-release.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addPin, pinFromRelease } from '../src/tools/govulncheck-pin-from-release.js';
import type { PinTable } from '../src/tools/govulncheck-pins.js';

const DEFAULT_TABLE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'src',
  'tools',
  'govulncheck-pins.json',
);
const USAGE =
  'usage: npm run update-govulncheck-pins -- <version> <go.mod> <go.sum> <x-vuln.sum> [--x-vuln-source <text>] [--table <json file>]';

function takeOption(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--'))
    throw new Error(`${name} needs a value\n${USAGE}`);
  args.splice(at, 2);
  return value;
}

function main(argv: string[]): void {
  const args = [...argv];
  const tablePath = takeOption(args, '--table') ?? DEFAULT_TABLE;
  const vulnSumSource = takeOption(args, '--x-vuln-source');
  if (args.length !== 4 || args.some((a) => a.startsWith('--'))) throw new Error(USAGE);
  const [version, goModPath, goSumPath, vulnSumPath] = args;
  const read = (path: string) => readFileSync(path, 'utf8');

  const { pin, dropped } = pinFromRelease({
    version,
    goMod: read(goModPath),
    goSum: read(goSumPath),
    vulnSum: read(vulnSumPath),
    vulnSumSource,
  });
  const table = JSON.parse(read(tablePath)) as PinTable;
  const already = table[version] !== undefined;
  const updated = addPin(table, version, pin);
  writeFileSync(tablePath, `${JSON.stringify(updated, null, 2)}\n`);
  console.log(
    `${version}: ${already ? 'already pinned, unchanged' : 'pinned'}: go ${pin.go}, ${Object.keys(pin.require).length} modules, ${pin.sum.length} go.sum lines`,
  );
  for (const line of dropped) console.log(`  left out (version not selected): ${line}`);
}

try {
  main(process.argv.slice(2));
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
}
