// Bundles written and read back for real (files, gzip, zstd), and every kind of tampering the
// reader must refuse, each named by the file at fault. Opening a bundle holds every entry to the
// manifest as it streams, and the whole archive to its cap: what a hostile archive carries is
// refused before it reaches the disk.
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  jest,
} from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { BundleCap } from '../../../src/bundle/cap.js';
import {
  BundleError,
  moduleFilePath,
  parseManifest,
  type BundleFile,
  type Manifest,
} from '../../../src/bundle/manifest.js';
import { openBundle } from '../../../src/bundle/open.js';
import { entryHeader, entryPadding, TAR_END } from '../../../src/bundle/tar.js';
import { writeBundle, type ManifestFields } from '../../../src/bundle/write.js';
import { verifyCommand } from '../../../src/cli/verify-command.js';
import { hashGoMod, hashZip } from '../../../src/gomod/dirhash.js';
import { compressInto } from '../../../src/tar/compression.js';
import {
  bundleEntries,
  bundleManifest,
  packBundle,
  packZeros,
} from '../../support/bundle-files.js';
import { moduleGoMod, moduleZip, type FixtureModule } from '../../support/gomodules.js';

const mod: FixtureModule = {
  path: 'example.com/Lib',
  version: 'v1.2.0',
  files: { 'lib.go': 'package lib\n\nfunc Name() string { return "lib" }\n' },
};
const LONG = `example.com/${'deep/'.repeat(30)}mod`;
const long: FixtureModule = { path: LONG, version: 'v0.1.0', files: { 'a.go': 'package mod\n' } };
const ARCHIVE = 'tools/golangci-lint/v2.99.0/golangci-lint-2.99.0-linux-amd64.tar.gz';
const archiveBody = Buffer.from('stand-in archive bytes');

let root: string;
let staging: string;
let fields: ManifestFields;
let goSum: string[];

function stage(m: FixtureModule): string[] {
  const esc = m.path.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
  const zip = moduleZip(m);
  const goMod = moduleGoMod(m);
  const put = (rel: string, body: Buffer | string) => {
    fs.mkdirSync(path.dirname(path.join(staging, rel)), { recursive: true });
    fs.writeFileSync(path.join(staging, rel), body);
  };
  put(moduleFilePath(esc, m.version, '.zip'), zip);
  put(moduleFilePath(esc, m.version, '.mod'), goMod);
  put(moduleFilePath(esc, m.version, '.info'), `{"Version":"${m.version}"}\n`);
  return [
    `${m.path} ${m.version} ${hashZip(zip)}`,
    `${m.path} ${m.version}/go.mod ${hashGoMod(goMod)}`,
  ];
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-test-'));
  staging = path.join(root, 'staging');
  const lines = [stage(mod), stage(long)];
  fs.mkdirSync(path.join(staging, path.dirname(ARCHIVE)), { recursive: true });
  fs.writeFileSync(path.join(staging, ARCHIVE), archiveBody);
  goSum = lines.flat();
  fields = {
    createdAt: '2026-11-23T00:00:00Z',
    createdBy: 'go-resilient-setup test',
    modules: [
      { path: mod.path, version: mod.version, goSum: lines[0] },
      { path: long.path, version: long.version, goSum: lines[1] },
    ],
    tools: [
      {
        name: 'golangci-lint',
        version: '2.99.0',
        platform: 'linux/amd64',
        file: ARCHIVE,
        sha256: createHash('sha256').update(archiveBody).digest('hex'),
        checksumFrom: '--golangci-lint-checksum',
      },
    ],
  };
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const CAP: BundleCap = { bytes: 64 * 1024 ** 2, setting: '--max-size' };

async function refusal(
  file: string,
  opts: { goSum?: string[]; cap?: BundleCap } = {},
): Promise<BundleError> {
  const dest = path.join(root, `open-${path.basename(file)}-${Math.random()}`);
  try {
    await openBundle(file, dest, { cap: CAP, ...opts });
  } catch (err) {
    expect(err).toBeInstanceOf(BundleError);
    expect(fs.existsSync(dest)).toBe(false);
    return err as BundleError;
  }
  throw new Error('expected the bundle to be refused');
}

describe('bundles', () => {
  it.each(['b.tar.gz', 'b.tar.zst'])('round-trips %s, long paths included', async (name) => {
    const out = path.join(root, name);
    const written = await writeBundle(out, staging, fields);
    expect(written.manifest.files.map((f) => f.path)).toContain(
      moduleFilePath(LONG, long.version, '.zip'),
    );
    expect(written.sha256).toBe(createHash('sha256').update(fs.readFileSync(out)).digest('hex'));
    const opened = await openBundle(out, path.join(root, `open-${name}`), { goSum, cap: CAP });
    expect(opened.modules).toBe(2);
    expect(opened.moduleMirror).toMatch(/^file:\/\/\/.*\/modules$/);
    expect(
      fs.readFileSync(
        path.join(opened.dir, 'modules', 'example.com', '!lib', '@v', 'v1.2.0.mod'),
        'utf8',
      ),
    ).toBe(moduleGoMod(mod));
    const tool = opened.toolArchive('golangci-lint', '2.99.0', 'linux/amd64');
    expect(fs.readFileSync(tool!.path)).toEqual(archiveBody);
    expect(opened.toolArchive('golangci-lint', '2.99.0', 'darwin/arm64')).toBeUndefined();
    expect(fs.readdirSync(root).some((f) => f.includes('.partial'))).toBe(false);
  });

  it('refuses a changed module zip, naming it', async () => {
    const good = path.join(root, 'good.tar.gz');
    await writeBundle(good, staging, fields);
    const entries = bundleEntries(good);
    const zipPath = moduleFilePath('example.com/!lib', mod.version, '.zip');
    const other = moduleZip({ ...mod, files: { ...mod.files, 'x.go': 'package lib\n' } });
    entries.set(zipPath, other);
    const bad = path.join(root, 'zip.tar.gz');
    packBundle(bad, entries);
    const message = (await refusal(bad, { goSum })).message;
    // Its size or hash differs from the manifest's, and Go's own hash of it from go.sum's.
    expect(message).toMatch(
      new RegExp(
        `${zipPath.replace(/[.!]/g, '\\$&')}: (\\d+ bytes, the manifest says \\d+|sha256 is)`,
      ),
    );
  });

  it('refuses a changed tool archive, naming it', async () => {
    const good = path.join(root, 'good2.tar.gz');
    await writeBundle(good, staging, fields);
    const entries = bundleEntries(good);
    entries.set(ARCHIVE, Buffer.from('stand-in archive bytez'));
    const bad = path.join(root, 'tool.tar.gz');
    packBundle(bad, entries);
    expect((await refusal(bad)).message).toMatch(
      new RegExp(`${ARCHIVE.replace(/\./g, '\\.')}: sha256 is [0-9a-f]{64}, the manifest says`),
    );
  });

  it("refuses an edited go.sum line in the manifest, against the zip and the project's go.sum", async () => {
    const good = path.join(root, 'good3.tar.gz');
    await writeBundle(good, staging, fields);
    const entries = bundleEntries(good);
    const manifest = parseManifest(entries.get('manifest.json')!.toString());
    const fake = 'h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
    manifest.modules[0].goSum[0] = `${mod.path} ${mod.version} ${fake}`;
    const edited = new Map(entries);
    edited.set('manifest.json', Buffer.from(JSON.stringify(manifest)));
    const bad = path.join(root, 'manifest.tar.gz');
    packBundle(bad, edited);
    const message = (await refusal(bad, { goSum })).message;
    const zipPath = moduleFilePath('example.com/!lib', mod.version, '.zip');
    expect(message).toContain(
      `${zipPath}: the manifest's go.sum line for ${mod.path} ${mod.version} is ${fake}, the project's go.sum says ${goSum[0].split(' ')[2]}`,
    );
    expect(message).toContain(
      `${zipPath}: its go.sum hash is ${goSum[0].split(' ')[2]}, the manifest says ${fake}`,
    );
  });

  it('refuses paths that leave the directory, links, and a damaged archive', async () => {
    const traversal = path.join(root, 'traversal.tar.gz');
    const h = entryHeader({ path: 'x', size: 1, type: 'file' });
    h.write('../evil\0', 0);
    // Fix the checksum for the new name.
    h.write('        ', 148);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0', 148);
    fs.writeFileSync(
      traversal,
      zlib.gzipSync(Buffer.concat([h, Buffer.from('a'), entryPadding(1), TAR_END])),
    );
    expect((await refusal(traversal)).message).toContain('../evil: an unsafe path');
    expect(fs.existsSync(path.join(root, 'evil'))).toBe(false);

    const truncated = path.join(root, 'truncated.tar.gz');
    await writeBundle(path.join(root, 'full.tar.gz'), staging, fields);
    const tar = zlib.gunzipSync(fs.readFileSync(path.join(root, 'full.tar.gz')));
    fs.writeFileSync(truncated, zlib.gzipSync(tar.subarray(0, tar.length - 2048)));
    expect((await refusal(truncated)).message).toContain('truncated');

    const notBundle = path.join(root, 'plain.txt');
    fs.writeFileSync(notBundle, 'hello');
    expect((await refusal(notBundle)).message).toContain('is neither gzip nor zstd');
  });
});

describe('a bundle repacked with tar -C dir .', () => {
  /** Unpacks `bundle` with tar and packs the directory again as `tar args… -C dir .`. */
  function repack(bundle: string, name: string, args: string[]): string {
    const dir = fs.mkdtempSync(path.join(root, 'unpacked-'));
    execFileSync('tar', ['-xzf', bundle, '-C', dir]);
    const out = path.join(root, name);
    execFileSync('tar', [...args, '-czf', out, '-C', dir, '.']);
    return out;
  }

  let written: string;
  let manifest: Manifest;
  beforeAll(async () => {
    written = path.join(root, 'written.tar.gz');
    manifest = (await writeBundle(written, staging, fields)).manifest;
  });

  it('holds ./ members, long ones too, and opens as the bundle it was', async () => {
    // Sorted, so that ./manifest.json comes first whatever order the file system lists.
    const repacked = repack(written, 'repacked.tar.gz', ['--sort=name']);
    const names = execFileSync('tar', ['-tzf', repacked], { encoding: 'utf8' }).split('\n');
    expect(names.slice(0, 2)).toEqual(['./', './manifest.json']);
    expect(names).toContain(`./${moduleFilePath(LONG, long.version, '.zip')}`);

    const opened = await openBundle(repacked, path.join(root, 'open-repacked'), {
      goSum,
      cap: CAP,
    });
    expect(opened.manifest).toEqual(manifest);
    expect(opened.modules).toBe(2);
    const tool = opened.toolArchive('golangci-lint', '2.99.0', 'linux/amd64');
    expect(fs.readFileSync(tool!.path)).toEqual(archiveBody);
  });

  it("passes the verify command, checked against the project's go.sum", async () => {
    const repacked = repack(written, 'verified.tar.gz', ['--sort=name']);
    const project = fs.mkdtempSync(path.join(root, 'project-'));
    fs.writeFileSync(path.join(project, 'go.sum'), `${goSum.join('\n')}\n`);
    let printed = '';
    const status = await verifyCommand([repacked, '--dir', project], async (text) => {
      printed += text;
    });
    expect(status).toBe(0);
    expect(printed).toBe(
      `OK ${repacked}\n  7 files, 2 module versions, tools: golangci-lint 2.99.0 linux/amd64\n  consistent with its manifest and with go.sum\n`,
    );
  });

  it('is still refused when manifest.json does not come first', async () => {
    const dir = fs.mkdtempSync(path.join(root, 'unordered-'));
    execFileSync('tar', ['-xzf', written, '-C', dir]);
    const out = path.join(root, 'unordered.tar.gz');
    execFileSync('tar', ['-czf', out, '-C', dir, './modules', './manifest.json', './tools']);
    expect((await refusal(out)).message).toContain(
      "modules: the archive's first entry; manifest.json must come first",
    );
  });

  it('refuses a member spelled both with and without ./, and the top directory as a file', async () => {
    const manifestBody = bundleEntries(written).get('manifest.json')!;
    const twice = path.join(root, 'twice.tar.gz');
    packBundle(
      twice,
      new Map([
        ['./manifest.json', manifestBody],
        ['manifest.json', manifestBody],
      ]),
    );
    expect((await refusal(twice)).message).toContain('manifest.json: appears twice in the archive');

    const rootFile = path.join(root, 'root-file.tar.gz');
    packBundle(rootFile, new Map([['.', Buffer.from('x')]]));
    expect((await refusal(rootFile)).message).toContain(
      ".: a file named as the bundle's top directory; refused",
    );
  });
});

const streamRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-stream-'));
afterAll(() => fs.rmSync(streamRoot, { recursive: true, force: true }));

const MiB = 1024 ** 2;
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

const listing = (p: string, body: string): BundleFile => ({
  path: p,
  size: Buffer.byteLength(body),
  sha256: sha(body),
});

const fileEntry = (p: string, body: Buffer | string): Buffer => {
  const b = Buffer.from(body);
  return Buffer.concat([
    entryHeader({ path: p, size: b.length, type: 'file' }),
    b,
    entryPadding(b.length),
  ]);
};
const dirEntry = (p: string): Buffer => entryHeader({ path: p, size: 0, type: 'directory' });

function gz(name: string, ...entries: Buffer[]): string {
  const file = path.join(streamRoot, `${name}-${Math.random().toString(36).slice(2)}.tar.gz`);
  fs.writeFileSync(file, zlib.gzipSync(Buffer.concat([...entries, TAR_END])));
  return file;
}

function bomb(name: string, listed: BundleFile[], entry: string, zeros: number): string {
  const file = path.join(streamRoot, `${name}.tar.gz`);
  packZeros(file, listed, entry, zeros);
  return file;
}

/** Every path the code under test opened, read from a spy that lets each open through. */
let opens: jest.SpiedFunction<typeof fs.promises.open>;
function spyOnOpens(): void {
  beforeEach(() => {
    opens = jest.spyOn(fs.promises, 'open');
  });
  afterEach(() => opens.mockRestore());
}
const opened = (dest: string) =>
  opens.mock.calls.map((c) => path.relative(dest, String(c[0]))).filter((p) => !p.startsWith('..'));

async function refused(
  file: string,
  cap = CAP,
): Promise<{ message: string; dest: string; ms: number }> {
  const dest = path.join(streamRoot, `open-${Math.random().toString(36).slice(2)}`);
  const started = Date.now();
  try {
    await openBundle(file, dest, { cap });
  } catch (err) {
    expect(err).toBeInstanceOf(BundleError);
    expect(fs.existsSync(dest)).toBe(false);
    return { message: (err as Error).message, dest, ms: Date.now() - started };
  }
  throw new Error('expected the bundle to be refused');
}

describe('opening a bundle as it streams', () => {
  spyOnOpens();

  const a = listing('notes/a.txt', 'first file\n');
  const b = listing('notes/b.txt', 'second file\n');

  it('unpacks what the manifest lists, with the directories they are in', async () => {
    const file = gz(
      'good',
      fileEntry('manifest.json', bundleManifest([a, b])),
      dirEntry('notes'),
      fileEntry('notes/a.txt', 'first file\n'),
      fileEntry('notes/b.txt', 'second file\n'),
    );
    const dest = path.join(streamRoot, 'open-good');
    const got = await openBundle(file, dest, { cap: CAP });
    expect(got.bytes).toBe(a.size + b.size);
    expect(fs.readFileSync(path.join(dest, 'notes', 'b.txt'), 'utf8')).toBe('second file\n');
    expect(opened(dest)).toEqual(['notes/a.txt', 'notes/b.txt']);
  });

  it('refuses an archive whose first entry is not manifest.json, writing nothing', async () => {
    const file = gz(
      'late-manifest',
      fileEntry('notes/a.txt', 'first file\n'),
      fileEntry('manifest.json', bundleManifest([a])),
    );
    const { message, dest } = await refused(file);
    expect(message).toContain(
      `${file}: notes/a.txt: the archive's first entry; manifest.json must come first`,
    );
    expect(opened(dest)).toEqual([]);
  });

  it('refuses an entry the manifest does not list before any of its bytes are written', async () => {
    const file = gz(
      'unlisted',
      fileEntry('manifest.json', bundleManifest([a])),
      fileEntry('notes/a.txt', 'first file\n'),
      fileEntry('notes/evil.sh', 'rm -rf ~\n'),
    );
    const { message, dest } = await refused(file);
    expect(message).toBe(
      `${file} does not match its manifest:\n  - notes/evil.sh: in the bundle but not listed in manifest.json`,
    );
    // The listed file before it went through the same open: the spy sees writes.
    expect(opened(dest)).toEqual(['notes/a.txt']);
  });

  it('refuses a directory that holds no listed file', async () => {
    const file = gz('stray-dir', fileEntry('manifest.json', bundleManifest([a])), dirEntry('bin'));
    expect((await refused(file)).message).toContain(
      '  - bin/: a directory that holds no file listed in manifest.json',
    );
  });

  it('refuses an entry of another size than listed before any of its bytes are written', async () => {
    const file = gz(
      'resized',
      fileEntry('manifest.json', bundleManifest([a])),
      fileEntry('notes/a.txt', 'first file, longer\n'),
    );
    const { message, dest } = await refused(file);
    expect(message).toContain(`  - notes/a.txt: 19 bytes, the manifest says ${a.size}`);
    expect(opened(dest)).toEqual([]);
  });

  it('refuses an entry of another sha256 as soon as it ends, and keeps none of it', async () => {
    const file = gz(
      'changed',
      fileEntry('manifest.json', bundleManifest([a, b])),
      fileEntry('notes/a.txt', 'first filE\n'),
      fileEntry('notes/b.txt', 'second file\n'),
    );
    const { message, dest } = await refused(file);
    expect(message).toContain(
      `  - notes/a.txt: sha256 is ${sha('first filE\n')}, the manifest says ${a.sha256}`,
    );
    // It stopped there: the next entry was never opened.
    expect(opened(dest)).toEqual(['notes/a.txt']);
  });

  it('stops a zstd bundle at a refusal as it stops a gzip one', async () => {
    const zeros = Buffer.alloc(64 * MiB);
    const tar = Buffer.concat([
      fileEntry('manifest.json', bundleManifest([a])),
      fileEntry('notes/evil.sh', 'rm -rf ~\n'),
      fileEntry('zeros', zeros),
      TAR_END,
    ]);
    const file = path.join(streamRoot, 'unlisted.tar.zst');
    const { input, done } = compressInto('zstd', fs.createWriteStream(file));
    input.end(tar);
    await done;
    const { message, dest } = await refused(file);
    expect(message).toContain('  - notes/evil.sh: in the bundle but not listed in manifest.json');
    expect(opened(dest)).toEqual([]);
  });

  it('refuses a listed file the archive lacks, after reading it all', async () => {
    const file = gz(
      'missing',
      fileEntry('manifest.json', bundleManifest([a, b])),
      fileEntry('notes/a.txt', 'first file\n'),
    );
    expect((await refused(file)).message).toContain(
      '  - notes/b.txt: listed in manifest.json but not in the bundle',
    );
  });
});

describe('the cap on a bundle', () => {
  spyOnOpens();

  it('refuses a file larger than the cap before opening it', async () => {
    const a = listing('a', 'x'.repeat(4096));
    const file = gz(
      'large',
      fileEntry('manifest.json', bundleManifest([a])),
      fileEntry('a', 'x'.repeat(4096)),
    );
    const size = fs.statSync(file).size;
    const { message, dest } = await refused(file, { bytes: size - 1, setting: '--max-size' });
    expect(message).toBe(
      `${file} is ${size} bytes, over the cap of ${size - 1} bytes; raise --max-size if the bundle is meant to be this large`,
    );
    expect(opened(dest)).toEqual([]);
  });

  it('refuses a manifest that lists more than the cap, before anything is inflated', async () => {
    const zeros = 1024 * MiB;
    const listed = { path: 'zeros', size: zeros, sha256: sha('') };
    const file = bomb('honest-bomb', [listed], 'zeros', zeros);
    // A GiB unpacked, about a MiB on disk.
    expect(fs.statSync(file).size).toBeLessThan(2 * MiB);
    const { message, dest, ms } = await refused(file, { bytes: 16 * MiB, setting: '--max-size' });
    expect(message).toMatch(
      /manifest\.json: its files and itself come to \d+ bytes, over the cap of 16 MiB; raise --max-size if the bundle is meant to be this large/,
    );
    expect(opened(dest)).toEqual([]);
    expect(ms).toBeLessThan(2000);
  });

  it('refuses an entry that inflates past the cap at its header, whatever the manifest says', async () => {
    const zeros = 1024 * MiB;
    const small = { path: 'zeros', size: 10, sha256: sha('') };
    const file = bomb('lying-bomb', [small], 'zeros', zeros);
    const capped = await refused(file, { bytes: 16 * MiB, setting: '--max-size' });
    expect(capped.message).toContain('more than 16777216 bytes (at zeros), over the cap of 16 MiB');
    expect(capped.message).toContain('raise --max-size');
    expect(opened(capped.dest)).toEqual([]);
    expect(capped.ms).toBeLessThan(2000);
    // Under a cap it fits, the manifest's size refuses it just as early.
    const listedSize = await refused(file, { bytes: 4 * zeros, setting: '--max-size' });
    expect(listedSize.message).toContain(`  - zeros: ${zeros} bytes, the manifest says 10`);
    expect(opened(listedSize.dest)).toEqual([]);
    expect(listedSize.ms).toBeLessThan(2000);
  });
});
