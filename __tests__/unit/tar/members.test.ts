// The tar reader against archives the system's GNU tar writes, the way @actions/cache writes
// them (`--posix`, `-P`, names relative to a workspace), and against hand-made hostile ones.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { entryHeader, entryPadding, TAR_END } from '../../../src/bundle/tar.js';
import { readTarMembers, TarRefusal, type TarMember } from '../../../src/tar/members.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tar-members-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function* chunks(buf: Buffer, size = 700): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function read(
  archive: Buffer,
  limits = {},
): Promise<{ members: TarMember[]; content: Map<string, string> }> {
  const members: TarMember[] = [];
  const content = new Map<string, string>();
  await readTarMembers(
    chunks(archive),
    async (m) => {
      members.push(m);
      const parts: Buffer[] = [];
      return {
        write: async (c) => void parts.push(c),
        end: async () => void content.set(m.name, Buffer.concat(parts).toString()),
      };
    },
    limits,
  );
  return { members, content };
}

function gnuTar(args: string[], cwd: string): Buffer {
  return execFileSync('tar', args, { cwd, maxBuffer: 64 * 1024 * 1024 });
}

describe('readTarMembers on GNU tar archives', () => {
  const workspace = path.join(root, 'home', 'work', 'repo');
  const cacheDir = path.join(root, 'home', 'go', 'pkg', 'mod', 'cache', 'download');
  const longDir = path.join(cacheDir, 'example.com', 'a'.repeat(90), 'b'.repeat(90), '@v');
  fs.mkdirSync(workspace, { recursive: true });
  fs.mkdirSync(longDir, { recursive: true });
  fs.writeFileSync(path.join(longDir, 'v1.0.0.zip'), 'zip bytes');
  fs.writeFileSync(path.join(cacheDir, 'exe'), '#!/bin/sh\n', { mode: 0o755 });
  const mtime = new Date('2026-01-02T03:04:05.250Z');
  fs.utimesSync(path.join(longDir, 'v1.0.0.zip'), mtime, mtime);

  it('reads names relative to the workspace, long pax paths, modes and sub-second mtimes', async () => {
    const rel = path.relative(workspace, cacheDir);
    const archive = gnuTar(['--posix', '-cf', '-', '-P', '-C', workspace, rel], workspace);
    const { members, content } = await read(archive);
    const zip = members.find((m) => m.name.endsWith('v1.0.0.zip'))!;
    expect(zip.name).toBe(`${rel}/example.com/${'a'.repeat(90)}/${'b'.repeat(90)}/@v/v1.0.0.zip`);
    expect(zip.name.startsWith('../../go/')).toBe(true);
    expect(zip.type).toBe('file');
    expect(zip.mtimeMs).toBe(mtime.getTime());
    expect(content.get(zip.name)).toBe('zip bytes');
    const exe = members.find((m) => m.name.endsWith('/exe'))!;
    expect(exe.mode & 0o111).not.toBe(0);
    expect(members.filter((m) => m.type === 'directory').length).toBeGreaterThan(3);
  });

  it('reads GNU long names and reports links and fifos as what they are', async () => {
    const dir = path.join(root, 'links');
    fs.mkdirSync(path.join(dir, 'c'.repeat(120)), { recursive: true });
    fs.writeFileSync(path.join(dir, 'c'.repeat(120), 'file'), 'x');
    fs.symlinkSync('/etc/passwd', path.join(dir, 'sym'));
    fs.linkSync(path.join(dir, 'c'.repeat(120), 'file'), path.join(dir, 'hard'));
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    const archive = gnuTar(['--format=gnu', '-cf', '-', '.'], dir);
    const { members } = await read(archive);
    const byName = new Map(members.map((m) => [m.name.replace(/^\.\//, ''), m]));
    expect(byName.get(`${'c'.repeat(120)}/file`)?.type).toBe('file');
    expect(byName.get('sym')).toMatchObject({ type: 'symlink', linkName: '/etc/passwd' });
    // tar stores the second name of a hard-linked file as a link to the first.
    expect(members.some((m) => m.type === 'hardlink')).toBe(true);
    expect(byName.get('fifo')?.type).toBe('fifo');
  });
});

describe('readTarMembers limits and damage', () => {
  const file = (name: string, body: string): Buffer =>
    Buffer.concat([
      entryHeader({ path: name, size: body.length, type: 'file' }),
      Buffer.from(body),
      entryPadding(body.length),
    ]);

  it('refuses more members, more bytes or a longer header than allowed', async () => {
    const three = Buffer.concat([file('a', 'xx'), file('b', 'yy'), file('c', 'zz'), TAR_END]);
    await expect(read(three, { maxMembers: 2 })).rejects.toThrow(/more than 2 members/);
    await expect(read(three, { maxBytes: 5 })).rejects.toThrow(/more than 5 bytes \(at c\)/);
    const long = Buffer.concat([file(`${'d/'.repeat(200)}f`, 'x'), TAR_END]);
    await expect(read(long, { maxHeaderBytes: 100 })).rejects.toThrow(TarRefusal);
    expect((await read(three)).members.map((m) => m.name)).toEqual(['a', 'b', 'c']);
  });

  it('stops at the byte limit before handing on the member that breaks it', async () => {
    const seen: string[] = [];
    const archive = Buffer.concat([file('a', 'x'.repeat(10)), file('b', 'y'.repeat(10)), TAR_END]);
    await expect(
      readTarMembers(chunks(archive), async (m) => void seen.push(m.name), { maxBytes: 15 }),
    ).rejects.toThrow(TarRefusal);
    expect(seen).toEqual(['a']);
  });

  it('counts what it skips toward the byte limit: a directory that claims content, pax headers', async () => {
    const dir = entryHeader({ path: 'd', size: 0, type: 'directory' });
    // A directory's size field is not a file's, but its content is read all the same.
    dir.write((1 << 20).toString(8).padStart(11, '0') + '\0', 124);
    fixChecksum(dir);
    const skipped = Buffer.concat([dir, Buffer.alloc(1 << 20), TAR_END]);
    const refused = await read(skipped, { maxBytes: 1000 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TarRefusal);
    expect(refused).toMatchObject({
      limit: 'maxBytes',
      message: expect.stringContaining('(at d/)'),
    });

    const longPath = `${'p/'.repeat(300)}f`;
    const paxHeaded = Buffer.concat([file(longPath, 'x'), TAR_END]);
    await expect(read(paxHeaded, { maxBytes: 100 })).rejects.toThrow(
      /more than 100 bytes \(at a pax header\)/,
    );
    expect((await read(paxHeaded, { maxBytes: 1000 })).content.get(longPath)).toBe('x');
  });

  it('reads nothing after the end marker, however much follows', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      yield Buffer.concat([file('a', 'x'), TAR_END]);
      // A GiB of zeros: what a few KiB of gzip can inflate to.
      for (let i = 0; i < 16 * 1024; i++) {
        pulled++;
        yield Buffer.alloc(64 * 1024);
      }
    }
    const seen: string[] = [];
    await readTarMembers(endless(), async (m) => void seen.push(m.name));
    expect(seen).toEqual(['a']);
    expect(pulled).toBe(0);
  });

  it('says which limit an archive broke', async () => {
    const three = Buffer.concat([file('a', 'xx'), file('b', 'yy'), file('c', 'zz'), TAR_END]);
    await expect(read(three, { maxMembers: 2 })).rejects.toMatchObject({ limit: 'maxMembers' });
    await expect(read(three, { maxBytes: 5 })).rejects.toMatchObject({ limit: 'maxBytes' });
    const long = Buffer.concat([file(`${'d/'.repeat(200)}f`, 'x'), TAR_END]);
    await expect(read(long, { maxHeaderBytes: 100 })).rejects.toMatchObject({
      limit: 'maxHeaderBytes',
    });
    const bad = Buffer.concat([file('a', 'x'), TAR_END]);
    bad[0] ^= 1;
    await expect(read(bad)).rejects.toMatchObject({ limit: undefined });
  });

  it('refuses a truncated archive, a missing end marker and a bad checksum', async () => {
    const whole = Buffer.concat([file('a', 'x'.repeat(600)), TAR_END]);
    await expect(read(whole.subarray(0, 700))).rejects.toThrow(/truncated/);
    await expect(read(whole.subarray(0, 1536))).rejects.toThrow(/no end marker/);
    const bad = Buffer.from(whole);
    bad[0] ^= 1;
    await expect(read(bad)).rejects.toThrow(/bad checksum/);
  });

  it('takes a pax size for the member it describes and never for the next header', async () => {
    const body = 'z'.repeat(3);
    const record = (len: number) => `${len} size=3\n`;
    const pax = Buffer.from(record(record(0).length));
    const paxHeader = Buffer.concat([
      entryHeader({ path: 'PaxHeader', size: pax.length, type: 'file' }),
      pax,
      entryPadding(pax.length),
    ]);
    paxHeader[156] = 'x'.charCodeAt(0);
    fixChecksum(paxHeader);
    // The ustar size field says 0; the pax record says 3.
    const member = entryHeader({ path: 'f', size: 0, type: 'file' });
    const archive = Buffer.concat([paxHeader, member, Buffer.from(body), entryPadding(3), TAR_END]);
    const { content } = await read(archive);
    expect(content.get('f')).toBe(body);
  });
});

function fixChecksum(h: Buffer): void {
  h.write('        ', 148);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += h[i];
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
}
