// Bundles written and read back for real (files, gzip, zstd), and every kind of tampering the
// reader must refuse, each named by the file at fault.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { openBundle } from '../../../src/bundle/open.js';
import type { BundleCap } from '../../../src/bundle/cap.js';
import {
  BundleError,
  moduleFilePath,
  parseManifest,
  type BundleFile,
  type Manifest,
} from '../../../src/bundle/manifest.js';
import { entryHeader, entryPadding, TAR_END } from '../../../src/bundle/tar.js';
import { writeBundle, type ManifestFields } from '../../../src/bundle/write.js';
import { verifyCommand } from '../../../src/cli/verify-command.js';
import { hashGoMod, hashZip } from '../../../src/gomod/dirhash.js';
import { bundleEntries, bundleManifest, packBundle } from '../../support/bundle-files.js';
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

  it('names the manifest field that is wrong', () => {
    expect(() => parseManifest('{"format":"go-resilient-setup-bundle/9"}')).toThrow(
      'manifest.json: format is "go-resilient-setup-bundle/9"; this version reads go-resilient-setup-bundle/1',
    );
    const listing = (files: BundleFile[]) => () => parseManifest(bundleManifest(files).toString());
    expect(listing([{ path: 'a', size: -1, sha256: 'x' }])).toThrow(
      'manifest.json: files[0].size must be a whole number of bytes',
    );
    const file = { path: 'modules/a.zip', size: 1, sha256: 'a'.repeat(64) };
    expect(listing([file, { ...file, size: 2 }])).toThrow(
      'manifest.json: files[1].path "modules/a.zip" is listed before',
    );
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
