import { afterAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readProjectGoMod, readTextFile, statPathKind } from '../../../src/config/read-files.js';

const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'read-files-'));
afterAll(() => fs.rmSync(ws, { recursive: true, force: true }));
fs.mkdirSync(path.join(ws, 'app'));
fs.writeFileSync(path.join(ws, 'app', 'go.mod'), 'module example.com/app\n');

describe('statPathKind', () => {
  it('tells a directory, a file and nothing apart', () => {
    expect(statPathKind(path.join(ws, 'app'))).toBe('directory');
    expect(statPathKind(path.join(ws, 'app', 'go.mod'))).toBe('file');
    expect(statPathKind(path.join(ws, 'none'))).toBe('missing');
  });
});

describe('readTextFile', () => {
  it('reads a file, and gives undefined for one that does not exist', () => {
    expect(readTextFile(path.join(ws, 'app', 'go.mod'))).toBe('module example.com/app\n');
    expect(readTextFile(path.join(ws, 'none'))).toBeUndefined();
  });

  it('throws for a file it cannot read', () => {
    expect(() => readTextFile(path.join(ws, 'app'))).toThrow();
  });
});

describe('readProjectGoMod', () => {
  it('names go.mod relative to the workspace when it is inside it', () => {
    expect(readProjectGoMod(path.join(ws, 'app'), ws, readTextFile)).toEqual({
      dir: path.join(ws, 'app'),
      file: path.join('app', 'go.mod'),
      text: 'module example.com/app\n',
    });
  });

  it('names it in full outside the workspace, and undefined text when there is none', () => {
    const outside = path.join(ws, 'app');
    expect(readProjectGoMod(outside, path.join(ws, 'other'), readTextFile)).toMatchObject({
      file: path.join(ws, 'app', 'go.mod'),
    });
    expect(readProjectGoMod(ws, ws, readTextFile)).toEqual({
      dir: ws,
      file: 'go.mod',
      text: undefined,
    });
  });

  it('says why a go.mod could not be read', () => {
    const unreadable = readProjectGoMod(ws, ws, () => {
      throw new Error('EACCES: permission denied');
    });
    expect(unreadable).toEqual({
      dir: ws,
      file: 'go.mod',
      text: undefined,
      unreadable: 'EACCES: permission denied',
    });
  });
});
