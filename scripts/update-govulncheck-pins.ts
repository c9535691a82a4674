// Adds one govulncheck release's pin to src/tools/govulncheck-pins.json.
//   npm run update-govulncheck-pins -- <version> <go.mod> <go.sum> <x-vuln.sum>
//       [--x-vuln-source <where x-vuln.sum's lines come from>] [--table <json file>]
//       [--go-max <minor> --go-max-source <evidence>]
// go.mod and go.sum are golang/vuln's at the tag; x-vuln.sum holds golang.org/x/vuln's own
// zip and /go.mod lines. What is kept and why: src/tools/govulncheck-pin-from-release.ts.
// --go-max records the newest Go minor release that builds it (1.24: Go 1.25 fails), with the
// evidence; it can also be set alone on a version already pinned:
//   npm run update-govulncheck-pins -- <version> --go-max <minor> --go-max-source <evidence>
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addPin, pinFromRelease, setGoMax } from '../src/tools/govulncheck-pin-from-release.js';
import type { PinTable } from '../src/tools/govulncheck-pins.js';

const DEFAULT_TABLE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'src',
  'tools',
  'govulncheck-pins.json',
);
const USAGE = [
  'usage: npm run update-govulncheck-pins -- <version> <go.mod> <go.sum> <x-vuln.sum> [--x-vuln-source <text>] [--go-max <minor> --go-max-source <text>] [--table <json file>]',
  '       npm run update-govulncheck-pins -- <version> --go-max <minor> --go-max-source <text> [--table <json file>]',
].join('\n');

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
  const goMax = takeOption(args, '--go-max');
  const goMaxSource = takeOption(args, '--go-max-source');
  if (args.some((a) => a.startsWith('--'))) throw new Error(USAGE);
  if (goMaxSource !== undefined && goMax === undefined) {
    throw new Error(`--go-max-source goes with --go-max\n${USAGE}`);
  }
  const read = (path: string) => readFileSync(path, 'utf8');
  let table = JSON.parse(read(tablePath)) as PinTable;

  if (args.length === 1 && goMax !== undefined && vulnSumSource === undefined) {
    const [version] = args;
    table = setGoMax(table, version, goMax, goMaxSource ?? '');
    writeFileSync(tablePath, `${JSON.stringify(table, null, 2)}\n`);
    console.log(`${version}: builds with Go ${table[version].go} to ${goMax}`);
    return;
  }
  if (args.length !== 4) throw new Error(USAGE);
  const [version, goModPath, goSumPath, vulnSumPath] = args;

  const { pin, dropped } = pinFromRelease({
    version,
    goMod: read(goModPath),
    goSum: read(goSumPath),
    vulnSum: read(vulnSumPath),
    vulnSumSource,
  });
  const already = table[version] !== undefined;
  table = addPin(table, version, pin);
  if (goMax !== undefined) table = setGoMax(table, version, goMax, goMaxSource ?? '');
  writeFileSync(tablePath, `${JSON.stringify(table, null, 2)}\n`);
  console.log(
    `${version}: ${already ? 'already pinned, sums unchanged' : 'pinned'}: go ${pin.go}${goMax ? ` to ${goMax}` : ''}, ${Object.keys(pin.require).length} modules, ${pin.sum.length} go.sum lines`,
  );
  for (const line of dropped) console.log(`  left out (version not selected): ${line}`);
}

try {
  main(process.argv.slice(2));
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
}
