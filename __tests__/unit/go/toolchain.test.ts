import { describe, expect, it } from '@jest/globals';
import {
  allowsDownload,
  explicitToolchain,
  installedGoTooOld,
  newerToolchainNeeded,
  requiredRelease,
} from '../../../src/go/toolchain.js';

describe('toolchain requirements', () => {
  it('reads the go and toolchain lines, the newer winning', () => {
    expect(requiredRelease('module x\n\ngo 1.25\n')).toEqual({
      release: '1.25.0',
      line: 'go 1.25',
    });
    expect(requiredRelease('module x\ngo 1.24.0\ntoolchain go1.25.3 // pinned\n')).toEqual({
      release: '1.25.3',
      line: 'toolchain go1.25.3',
    });
    expect(requiredRelease('module x\n')).toBeUndefined();
  });

  it('names the newest requirement above the installed Go', () => {
    const need = newerToolchainNeeded(
      [
        { file: '/ws/a/go.mod', text: 'go 1.22\n' },
        { file: '/ws/b/go.mod', text: 'go 1.26.1\n' },
      ],
      'go1.23.5',
      '/ws',
    );
    expect(need).toEqual({ where: 'b/go.mod: go 1.26.1', release: '1.26.1', dir: '/ws/b' });
    expect(
      newerToolchainNeeded([{ file: '/ws/go.mod', text: 'go 1.23.5\n' }], 'go1.23.5', '/ws'),
    ).toBeUndefined();
  });

  it('under GOTOOLCHAIN=local counts only go lines: a toolchain line is a preference there', () => {
    const files = [
      { file: '/ws/a/go.mod', text: 'module a\n\ngo 1.26.0\n\ntoolchain go1.27.2\n' },
      { file: '/ws/go.work', text: 'go 1.27rc1\n\nuse ./a\n' },
    ];
    expect(newerToolchainNeeded(files, 'go1.26.11', '/ws', 'go')).toEqual({
      where: 'go.work: go 1.27rc1',
      release: '1.27.0',
      dir: '/ws',
    });
    expect(newerToolchainNeeded(files.slice(0, 1), 'go1.26.11', '/ws', 'go')).toBeUndefined();
    expect(newerToolchainNeeded(files.slice(0, 1), 'go1.26.11', '/ws')?.where).toBe(
      'a/go.mod: toolchain go1.27.2',
    );
  });

  it('says which line needs which Go, what is installed and what to do', () => {
    const need = { where: 'app/go.mod: go 1.27', release: '1.27.0', dir: '/ws/app' };
    expect(installedGoTooOld(need, 'go1.26.11', 'local')).toBe(
      'app/go.mod: go 1.27 needs Go 1.27.0 or later, but the installed Go is go1.26.11 and ' +
        'GOTOOLCHAIN=local keeps Go from fetching a newer one. Install Go 1.27.0 or later before ' +
        'this step (for example actions/setup-go with go-version-file: go.mod), or set ' +
        'GOTOOLCHAIN=auto to let Go fetch it through the mirrors.',
    );
  });

  it('knows which GOTOOLCHAIN values download', () => {
    expect(['auto', 'go1.25.0', 'go1.25.0+auto'].map(allowsDownload)).toEqual([true, true, true]);
    expect(['local', 'path', 'go1.25.0+path'].map(allowsDownload)).toEqual([false, false, false]);
  });

  it('treats a named GOTOOLCHAIN as a requirement of its own', () => {
    expect(explicitToolchain('go1.26.0', 'go1.23.5', '/ws')?.release).toBe('1.26.0');
    expect(explicitToolchain('go1.22.0+auto', 'go1.23.5', '/ws')).toBeUndefined();
    expect(explicitToolchain('auto', 'go1.23.5', '/ws')).toBeUndefined();
  });
});
