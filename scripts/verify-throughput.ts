// `npm run verify-throughput -- [modules] [MiB per module]`: how fast verifySnapshot
// checks a restored module-cache snapshot. It writes a download tree of deflated module zips
// full of Go-like source (many small files, a few large ones, like real modules), with go.sum
// hashes computed here independently of the action's zip reader, times several verifications
// and prints MB/s of uncompressed content. It then checks the results: everything verified,
// nothing dropped, and a tampered zip dropped with its .ziphash. With VERIFY_THROUGHPUT_KEEP=1
// it leaves the tree and its go.sum entries (modules.json) in place, for profiling.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeZip } from '../__tests__/support/zipwriter.js';
import type { ModuleVersion } from '../src/gomod/gosum.js';
import { versionFile } from '../src/modcache/layout.js';
import { verifySnapshot } from '../src/modcache/verify.js';

const MODULES = Number(process.argv[2] ?? 400);
const MIB_PER_MODULE = Number(process.argv[3] ?? 117 / 400);
const RUNS = 5;
const MIB = 1024 * 1024;

if (!(MODULES >= 1) || !(MIB_PER_MODULE > 0)) {
  throw new Error('usage: verify-throughput.ts [modules >= 1] [MiB per module > 0]');
}

// --- Go-like source ---------------------------------------------------------------------------

// A fixed seed keeps the tree, and so the numbers, comparable from run to run.
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(20240101);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));

const WORDS = (
  'buf ctx err req resp conn node key value item list count index offset size name path ' +
  'config opts state cache client server handler token reader writer header body entry ' +
  'module version result data field table chunk frame block stream codec parser lexer'
).split(' ');
const TYPES = ['int', 'string', 'error', 'bool', '[]byte', 'int64', 'uint32', 'any', 'float64'];
const COMMENTS = (
  'returns the number of bytes written so far|reports whether the entry is still valid|' +
  'is safe for concurrent use by multiple goroutines|must be called with the lock held|' +
  'TODO: handle the case where the buffer is shared|keeps the allocation on the stack|' +
  'the zero value is ready to use|see RFC 7230, section 3.2 for the grammar'
).split('|');

const ident = (): string => pick(WORDS) + (random() < 0.5 ? '' : capital(pick(WORDS)));
const capital = (s: string): string => s[0].toUpperCase() + s.slice(1);

function statement(indent: string): string {
  const a = ident();
  const b = ident();
  switch (int(0, 7)) {
    case 0:
      return `${indent}if err := ${a}.${capital(b)}(${ident()}); err != nil {\n${indent}\treturn fmt.Errorf("${b}: %w", err)\n${indent}}\n`;
    case 1:
      return `${indent}for i := 0; i < len(${a}); i++ {\n${indent}\t${b} += ${a}[i] * ${int(2, 997)}\n${indent}}\n`;
    case 2:
      return `${indent}// ${capital(a)} ${pick(COMMENTS)}.\n`;
    case 3:
      return `${indent}${a} := make(map[string]${pick(TYPES)}, ${int(1, 64)})\n`;
    case 4:
      return `${indent}${a}, ok := ${b}[${JSON.stringify(ident())}]\n${indent}if !ok {\n${indent}\tcontinue\n${indent}}\n`;
    case 5:
      return `${indent}${a}.${capital(b)} = append(${a}.${capital(b)}, 0x${int(0, 0xffff).toString(16)})\n`;
    default:
      return `${indent}${a} = ${b}.${capital(ident())}(${a}, ${int(0, 4096)})\n`;
  }
}

function goSource(pkg: string, size: number): string {
  const parts = [
    `// Code for package ${pkg}.\n\npackage ${pkg}\n\nimport (\n\t"fmt"\n\t"io"\n)\n\n`,
  ];
  let length = parts[0].length;
  while (length < size) {
    const name = capital(ident());
    let fn = `// ${name} ${pick(COMMENTS)}.\nfunc (${ident()} *${capital(pick(WORDS))}) ${name}(${ident()} ${pick(TYPES)}, w io.Writer) (${pick(TYPES)}, error) {\n`;
    for (let n = int(2, 12); n > 0; n--) fn += statement('\t');
    fn += `\treturn ${ident()}, nil\n}\n\n`;
    parts.push(fn);
    length += fn.length;
  }
  return parts.join('').slice(0, size);
}

// Log-uniform sizes with a few very large files (generated tables, test data) give what Go's
// own source tree has: a median file under 2 KiB, a mean near 11 KiB.
function fileSize(): number {
  if (random() < 0.01) return int(100_000, 300_000);
  return Math.round(Math.exp(Math.log(60) + random() * Math.log(60_000 / 60)));
}

// --- the download tree ------------------------------------------------------------------------

interface Tree {
  dir: string;
  modules: ModuleVersion[];
  files: number;
  zipBytes: number;
  /** Uncompressed zip entries plus go.mod files: the content verifySnapshot hashes. */
  contentBytes: number;
}

// dirhash.Hash1, written out here so the expected hashes do not come from the code under test.
function h1(files: { name: string; data: Buffer }[]): string {
  const byName = [...files].sort((a, b) =>
    Buffer.compare(Buffer.from(a.name, 'utf8'), Buffer.from(b.name, 'utf8')),
  );
  const summary = createHash('sha256');
  for (const f of byName) {
    summary.update(`${createHash('sha256').update(f.data).digest('hex')}  ${f.name}\n`);
  }
  return 'h1:' + summary.digest('base64');
}

function moduleFiles(module: string, rawBudget: number): { name: string; data: Buffer }[] {
  const files = [
    { name: 'go.mod', data: `module ${module}\n\ngo 1.21\n` },
    { name: 'LICENSE', data: 'Permission is hereby granted, free of charge.\n'.repeat(24) },
    { name: 'README.md', data: `# ${module}\n\n${pick(COMMENTS)}.\n` },
  ].map((f) => ({ name: f.name, data: Buffer.from(f.data) }));
  let raw = files.reduce((n, f) => n + f.data.length, 0);
  let i = 0;
  while (raw < rawBudget) {
    const pkg = `${pick(WORDS)}${i % 9}`;
    const name = `${random() < 0.3 ? 'internal/' : ''}${pkg}/${ident().toLowerCase()}_${i++}${random() < 0.25 ? '_test' : ''}.go`;
    const data = Buffer.from(goSource(pkg, Math.min(fileSize(), rawBudget - raw + 64)));
    files.push({ name, data });
    raw += data.length;
  }
  return files;
}

function writeTree(): Tree {
  const dir = mkdtempSync(join(tmpdir(), 'verify-throughput-'));
  const tree: Tree = { dir, modules: [], files: 0, zipBytes: 0, contentBytes: 0 };
  // Go source deflates about 4:1; refined as modules are written so the total lands on target.
  let ratio = 4;
  let zipContent = 0;
  for (let m = 0; m < MODULES; m++) {
    const module = `${m % 5 === 0 ? 'github.com/Acme' : 'example.com/org' + (m % 17)}/mod${m}`;
    const version = `v1.${m % 7}.${m % 3}`;
    const files = moduleFiles(module, MIB_PER_MODULE * MIB * ratio);
    const zip = writeZip(
      files.map((f) => ({ name: `${module}@${version}/${f.name}`, data: f.data })),
      { deflate: true },
    );
    const goMod = files[0].data;
    const zipHash = h1(
      files.map((f) => ({ name: `${module}@${version}/${f.name}`, data: f.data })),
    );
    const modHash = h1([{ name: 'go.mod', data: goMod }]);
    const zipPath = versionFile(dir, module, version, '.zip');
    mkdirSync(dirname(zipPath), { recursive: true });
    writeFileSync(zipPath, zip);
    writeFileSync(versionFile(dir, module, version, '.ziphash'), zipHash);
    writeFileSync(versionFile(dir, module, version, '.mod'), goMod);
    writeFileSync(versionFile(dir, module, version, '.info'), `{"Version":"${version}"}`);
    tree.modules.push({ module, version, zipHash, modHash });
    tree.files += files.length;
    tree.zipBytes += zip.length;
    const raw = files.reduce((n, f) => n + f.data.length, 0);
    zipContent += raw;
    tree.contentBytes += raw + goMod.length;
    ratio = zipContent / tree.zipBytes;
  }
  return tree;
}

// --- measure and check ------------------------------------------------------------------------

function check(ok: boolean, what: string): void {
  if (!ok) {
    process.exitCode = 1;
    console.error(`FAIL: ${what}`);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const tree = writeTree();
  try {
    const mb = (n: number): string => (n / 1e6).toFixed(1);
    console.log(
      `${tree.modules.length} modules, ${tree.files} files: ${mb(tree.zipBytes)} MB of zips ` +
        `(${(tree.zipBytes / MIB).toFixed(1)} MiB), ${mb(tree.contentBytes)} MB uncompressed, ` +
        `mean file ${(tree.contentBytes / tree.files / 1024).toFixed(1)} KiB ` +
        `(written in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );

    const rates: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const result = await verifySnapshot(tree.dir, tree.modules);
      const { ms } = result;
      const rate = tree.contentBytes / 1e6 / (ms / 1000);
      rates.push(rate);
      console.log(`run ${run}: ${ms.toFixed(0)} ms, ${rate.toFixed(1)} MB/s`);
      check(
        result.verified === tree.modules.length * 2 &&
          result.dropped.length === 0 &&
          result.missing === 0,
        `run ${run}: expected ${tree.modules.length * 2} verified, none dropped or missing; ` +
          `got ${JSON.stringify(result)}`,
      );
    }
    const sorted = [...rates].sort((a, b) => a - b);
    console.log(
      `verifySnapshot: median ${sorted[Math.floor(RUNS / 2)].toFixed(1)} MB/s, ` +
        `best ${sorted[RUNS - 1].toFixed(1)} MB/s of uncompressed content`,
    );

    // One zip with a flipped byte in its deflated data (rejected by the zip reader or by its
    // hash), and one well-formed zip with different content (only the hash can tell).
    const [flipped, replaced] = [tree.modules[0], tree.modules[tree.modules.length - 1]];
    const flippedZip = versionFile(tree.dir, flipped.module, flipped.version, '.zip');
    const bytes = readFileSync(flippedZip);
    bytes[Math.floor(bytes.length / 3)] ^= 0x20;
    writeFileSync(flippedZip, bytes);
    const replacedZip = versionFile(tree.dir, replaced.module, replaced.version, '.zip');
    const name = `${replaced.module}@${replaced.version}/go.mod`;
    writeFileSync(replacedZip, writeZip([{ name, data: 'module evil\n' }], { deflate: true }));

    const result = await verifySnapshot(tree.dir, tree.modules);
    const expected = [flipped, replaced].map((m) => `${m.module}@${m.version}`).sort();
    check(
      JSON.stringify(result.dropped) === JSON.stringify(expected),
      `tampered zips: expected ${JSON.stringify(expected)} dropped, got ${JSON.stringify(result.dropped)}`,
    );
    check(
      result.verified === tree.modules.length * 2 - 2,
      `tampered zips: expected ${tree.modules.length * 2 - 2} verified, got ${result.verified}`,
    );
    for (const m of [flipped, replaced]) {
      for (const ext of ['.zip', '.ziphash']) {
        check(!existsSync(versionFile(tree.dir, m.module, m.version, ext)), `${ext} left behind`);
      }
    }
    console.log(process.exitCode ? 'results: WRONG' : 'results: correct (tampered zips dropped)');
  } finally {
    if (process.env.VERIFY_THROUGHPUT_KEEP === '1') {
      writeFileSync(join(tree.dir, 'modules.json'), JSON.stringify(tree.modules));
      console.log(`kept ${tree.dir}`);
    } else {
      rmSync(tree.dir, { recursive: true, force: true });
    }
  }
}

await main();
