// What a cache archive may write: archives made the way @actions/cache makes them (GNU tar,
// `--posix -P -C <workspace>`), and hostile ones made with the same tar.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { extractCacheArchive } from '../../../src/cache-service/extract.js';
import { extractLimits, KEEP_FREE_BYTES } from '../../../src/cache-service/extract-limits.js';
import { memberPrefix, placeMember } from '../../../src/cache-service/member-policy.js';
import { TarRefusal } from '../../../src/tar/members.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-extract-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('memberPrefix', () => {
  it('is the directory relative to the workspace, with / separators', () => {
    expect(memberPrefix('/home/r/work/a/a', '/home/r/go/pkg/mod/cache/download')).toBe(
      '../../../go/pkg/mod/cache/download',
    );
    expect(memberPrefix('/w', '/w/.cache')).toBe('.cache');
    expect(memberPrefix('/w', '/w')).toBe('.');
  });

  it('is absolute for a directory on another Windows drive, as the toolkit writes it', () => {
    expect(memberPrefix('D:\\a\\repo', 'C:\\Users\\r\\go\\pkg\\mod', path.win32)).toBe(
      'C:/Users/r/go/pkg/mod',
    );
    expect(memberPrefix('D:\\a\\repo', 'D:\\go\\mod', path.win32)).toBe('../../go/mod');
  });
});

describe('placeMember', () => {
  const prefixes = ['../../go/pkg/mod/cache/download', '../../.cache/go-build'];

  it('places members below their own directory', () => {
    expect(placeMember('../../go/pkg/mod/cache/download/x/@v/v1.zip', prefixes)).toEqual({
      index: 0,
      rel: 'x/@v/v1.zip',
    });
    expect(placeMember('../../.cache/go-build/', prefixes)).toEqual({ index: 1, rel: '' });
    expect(placeMember('../../.cache/go-build/ab/', prefixes)).toEqual({ index: 1, rel: 'ab' });
  });

  it.each([
    ['/home/runner/.bashrc', /absolute/],
    ['../../../../home/runner/.bashrc', /outside/],
    ['../../go/pkg/mod/cache/download/../../../../../etc/x', /"\.\."/],
    ['../../go/pkg/mod/cache/download/./x', /"\."/],
    ['../../go/pkg/mod/cache/download//x', /empty/],
    ['../../go/pkg/mod/cache/vcs/abc', /outside/],
    ['../../go/pkg/mod/cache/downloadX/y', /outside/],
    ['../../go/pkg/mod/cache/download/a\\..\\..\\x', /backslash/],
    ['C:/Windows/x', /absolute/],
  ])('refuses %s', (name, why) => {
    const placed = placeMember(name, prefixes);
    expect(placed).toHaveProperty('refused');
    expect((placed as { refused: string }).refused).toMatch(why);
  });

  it('takes the longest prefix when one directory holds another', () => {
    expect(placeMember('a/b/c', ['a', 'a/b'])).toEqual({ index: 1, rel: 'c' });
  });
});

describe('extractLimits', () => {
  const GiB = 1024 ** 3;
  it('caps by twenty times the compressed size, at least 1 GiB, and by the free disk', () => {
    expect(extractLimits(10 * 1024 ** 2, undefined).maxBytes).toBe(GiB);
    expect(extractLimits(GiB, undefined).maxBytes).toBe(20 * GiB);
    expect(extractLimits(GiB, 3 * GiB + KEEP_FREE_BYTES).maxBytes).toBe(3 * GiB);
    expect(extractLimits(undefined, 100).maxBytes).toBe(0);
  });
});

describe('extractCacheArchive', () => {
  const workspace = path.join(root, 'home', 'work', 'repo', 'repo');
  const cache = path.join(root, 'home', 'go', 'pkg', 'mod', 'cache', 'download');
  const prefix = memberPrefix(workspace, cache);
  fs.mkdirSync(workspace, { recursive: true });

  /** An archive as @actions/cache makes it, of `files` under the cache directory. */
  function toolkitArchive(
    files: Record<string, string>,
    extra: (dir: string) => void = () => {},
  ): Buffer {
    fs.rmSync(cache, { recursive: true, force: true });
    for (const [rel, body] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(cache, rel)), { recursive: true });
      fs.writeFileSync(path.join(cache, rel), body);
    }
    extra(cache);
    return execFileSync('tar', ['--posix', '-cf', '-', '-P', '-C', workspace, prefix]);
  }

  async function* chunks(buf: Buffer): AsyncGenerator<Buffer> {
    for (let i = 0; i < buf.length; i += 4096) yield buf.subarray(i, i + 4096);
  }

  function fresh(): string {
    return fs.mkdtempSync(path.join(root, 'dest-'));
  }

  function listTree(dir: string): string[] {
    return (fs.readdirSync(dir, { recursive: true }) as string[])
      .filter((f) => fs.statSync(path.join(dir, f)).isFile())
      .sort();
  }

  it('unpacks a toolkit archive under the destination, keeping mtimes', async () => {
    const archive = toolkitArchive(
      { 'x/@v/v1.0.0.zip': 'zip', 'x/@v/v1.0.0.mod': 'module x\n' },
      (d) => fs.utimesSync(path.join(d, 'x/@v/v1.0.0.zip'), new Date(1e12), new Date(1e12)),
    );
    const dest = fresh();
    const out = await extractCacheArchive(chunks(archive), {
      prefixes: [prefix],
      dests: [dest],
      limits: {},
    });
    expect(out).toMatchObject({ files: 2, bytes: 12 });
    expect(listTree(dest)).toEqual(['x/@v/v1.0.0.mod', 'x/@v/v1.0.0.zip']);
    expect(fs.statSync(path.join(dest, 'x/@v/v1.0.0.zip')).mtimeMs).toBe(1e12);
  });

  it('skips what the caller does not want, counting it, and writes none of it', async () => {
    const archive = toolkitArchive({ 'a/@v/v1.zip': 'a', 'b/@v/v1.zip': 'b', 'b/@v/list': 'v1' });
    const dest = fresh();
    const out = await extractCacheArchive(chunks(archive), {
      prefixes: [prefix],
      dests: [dest],
      skip: (_i, rel, m) => (m.type === 'file' && !rel.startsWith('a/') ? 'not wanted' : undefined),
      limits: {},
    });
    expect(out.skipped).toEqual({ 'not wanted': 2 });
    expect(listTree(dest)).toEqual(['a/@v/v1.zip']);
  });

  it.each([
    [
      'a symlink, then a file under it',
      (d: string) => {
        fs.symlinkSync(os.tmpdir(), path.join(d, 'link'));
      },
      /a symlink to/,
    ],
    [
      'a hard link',
      (d: string) => {
        fs.linkSync(path.join(d, 'ok/@v/v1.zip'), path.join(d, 'hard'));
      },
      /hardlink/,
    ],
    [
      'a fifo',
      (d: string) => {
        execFileSync('mkfifo', [path.join(d, 'fifo')]);
      },
      /fifo/,
    ],
  ])('refuses %s, whatever came before it', async (_name, add, why) => {
    const archive = toolkitArchive({ 'ok/@v/v1.zip': 'ok' }, add);
    const dest = fresh();
    await expect(
      extractCacheArchive(chunks(archive), { prefixes: [prefix], dests: [dest], limits: {} }),
    ).rejects.toThrow(why);
  });

  it('refuses absolute and climbing members before writing a byte of them', async () => {
    const victim = path.join(root, 'victim');
    fs.mkdirSync(victim, { recursive: true });
    fs.writeFileSync(path.join(victim, 'absolute'), 'abs');
    fs.writeFileSync(path.join(victim, 'climb'), 'climb');
    for (const member of [
      path.join(victim, 'absolute'),
      path.relative(workspace, path.join(victim, 'climb')),
    ]) {
      const name = path.basename(member);
      const archive = execFileSync('tar', ['--posix', '-cf', '-', '-P', '-C', workspace, member]);
      fs.rmSync(path.join(victim, name));
      const dest = fresh();
      await expect(
        extractCacheArchive(chunks(archive), { prefixes: [prefix], dests: [dest], limits: {} }),
      ).rejects.toThrow(TarRefusal);
      expect(fs.existsSync(path.join(victim, name))).toBe(false);
      expect(listTree(dest)).toEqual([]);
    }
  });

  it('refuses an archive that unpacks past its limit', async () => {
    const archive = toolkitArchive({ 'big/@v/v1.zip': 'x'.repeat(4000) });
    await expect(
      extractCacheArchive(chunks(archive), {
        prefixes: [prefix],
        dests: [fresh()],
        limits: { maxBytes: 1000 },
      }),
    ).rejects.toThrow(/more than 1000 bytes/);
  });
});
