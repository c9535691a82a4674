import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { hashGoMod, hashZip } from '../../../src/gomod/dirhash.js';
import type { ModuleVersion } from '../../../src/gomod/gosum.js';
import { versionFile } from '../../../src/modcache/layout.js';
import { verifySnapshot, writeZipHashes } from '../../../src/modcache/verify.js';
import { crcOnlyZips, goText, writeZip } from '../gomod/zip-fixtures.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'verify-snapshot-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes a module version into the download tree and returns its go.sum entry. */
function addModule(module: string, files: { name: string; data: Buffer | string }[]) {
  const version = 'v1.0.0';
  const goMod = `module ${module}\n`;
  const zip = writeZip(
    files.map((f, i) => ({
      name: `${module}@${version}/${f.name}`,
      data: f.data,
      method: i % 2 ? 8 : 0,
    })),
  );
  const write = (ext: string, content: Buffer | string): void => {
    const file = versionFile(dir, module, version, ext);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  };
  write('.zip', zip);
  write('.ziphash', hashZip(zip));
  write('.mod', goMod);
  const entry: ModuleVersion = {
    module,
    version,
    zipHash: hashZip(zip),
    modHash: hashGoMod(goMod),
  };
  return {
    entry,
    zipFile: versionFile(dir, module, version, '.zip'),
    label: `${module}@${version}`,
    /** Replaces the zip on disk, keeping the go.sum entry. */
    replaceZip: (content: Buffer) => write('.zip', content),
    replaceGoMod: (content: string) => write('.mod', content),
  };
}

const sources = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ name: `pkg/f${i}.go`, data: goText(1000 + i * 4000, i) }));

describe.each([0, 2])('verifySnapshot with %i worker threads', (workers) => {
  it('verifies intact zips and go.mod files and says how long it took', async () => {
    const modules = ['example.com/a', 'example.com/b'].map((m) => addModule(m, sources(6)).entry);
    const result = await verifySnapshot(dir, modules, { workers });
    expect(result).toEqual({
      verified: 4,
      dropped: [],
      missing: 0,
      zips: expect.any(Array),
      ms: expect.any(Number),
    });
    expect(result.zips).toHaveLength(2);
    expect(result.ms).toBeGreaterThanOrEqual(0);
  });

  it('drops and names every zip whose content is not what go.sum says', async () => {
    const good = addModule('example.com/good', sources(4));
    const flipped = addModule('example.com/flipped', sources(4));
    const truncated = addModule('example.com/truncated', sources(4));
    const replaced = addModule('example.com/replaced', sources(4));
    const badMod = addModule('example.com/badmod', sources(2));

    const bytes = readFileSync(flipped.zipFile);
    const at = bytes.indexOf('step'); // in the content of the first file, stored
    expect(at).toBeGreaterThan(30);
    bytes[at] ^= 0x01;
    flipped.replaceZip(bytes);
    truncated.replaceZip(readFileSync(truncated.zipFile).subarray(0, 700));
    // Well-formed, and with the right names: only the h1: hash tells it apart.
    replaced.replaceZip(
      writeZip([{ name: 'example.com/replaced@v1.0.0/pkg/f0.go', data: 'package evil\n' }]),
    );
    badMod.replaceGoMod('module example.com/evil\n');

    const modules = [good, flipped, truncated, replaced, badMod].map((m) => m.entry);
    const result = await verifySnapshot(dir, modules, { workers });
    expect(result.dropped).toEqual(
      [flipped.label, truncated.label, replaced.label, `${badMod.label}/go.mod`].sort(),
    );
    expect(result.verified).toBe(10 - 4);
    for (const m of [flipped, truncated, replaced]) {
      expect(existsSync(m.zipFile)).toBe(false);
      expect(existsSync(m.zipFile.replace(/\.zip$/, '.ziphash'))).toBe(false);
    }
    expect(existsSync(good.zipFile)).toBe(true);
  });

  it('counts go.sum entries with nothing in the snapshot as missing', async () => {
    const present = addModule('example.com/present', sources(1)).entry;
    const absent: ModuleVersion = { ...present, module: 'example.com/absent' };
    const result = await verifySnapshot(dir, [present, absent], { workers });
    expect(result).toMatchObject({ verified: 2, dropped: [], missing: 2 });
  });

  it('accepts a zip whose only fault is a wrong CRC-32: its h1: hash proves the content', async () => {
    const [{ zip, h1 }] = crcOnlyZips(); // entries under m@v1/
    const file = versionFile(dir, 'm', 'v1', '.zip');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, zip);
    const result = await verifySnapshot(dir, [{ module: 'm', version: 'v1', zipHash: h1 }], {
      workers,
    });
    expect(result).toMatchObject({ verified: 1, dropped: [], missing: 0 });
  });
});

describe('what verifySnapshot leaves for Go to trust', () => {
  it('keeps an .info that names its version and removes one that does not', async () => {
    const ok = addModule('example.com/info-ok', sources(1));
    const bad = addModule('example.com/info-bad', sources(1));
    const html = addModule('example.com/info-html', sources(1));
    const info = (m: typeof ok, body: string) =>
      writeFileSync(m.zipFile.replace(/\.zip$/, '.info'), body);
    info(ok, '{"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}');
    info(bad, '{"Version":"v9.9.9"}');
    info(html, '<html>captive portal</html>');
    const result = await verifySnapshot(dir, [ok.entry, bad.entry, html.entry], { workers: 0 });
    expect(result.dropped).toEqual([
      'example.com/info-bad@v1.0.0.info',
      'example.com/info-html@v1.0.0.info',
    ]);
    expect(existsSync(ok.zipFile.replace(/\.zip$/, '.info'))).toBe(true);
    expect(existsSync(bad.zipFile.replace(/\.zip$/, '.info'))).toBe(false);
  });

  it('writes each verified zip its .ziphash from the computed hash, unless the real cache has that zip', async () => {
    const a = addModule('example.com/a', sources(1));
    const b = addModule('example.com/b', sources(1));
    for (const m of [a, b]) rmSync(m.zipFile.replace(/\.zip$/, '.ziphash'));
    const real = mkdtempSync(join(tmpdir(), 'verify-real-'));
    try {
      const inReal = versionFile(real, 'example.com/b', 'v1.0.0', '.zip');
      mkdirSync(dirname(inReal), { recursive: true });
      writeFileSync(inReal, 'a zip the runner already had');
      const result = await verifySnapshot(dir, [a.entry, b.entry], { workers: 0 });
      await writeZipHashes(result.zips, dir, real);
      expect(readFileSync(a.zipFile.replace(/\.zip$/, '.ziphash'), 'utf8')).toBe(a.entry.zipHash);
      expect(existsSync(b.zipFile.replace(/\.zip$/, '.ziphash'))).toBe(false);
    } finally {
      rmSync(real, { recursive: true, force: true });
    }
  });
});
