// Real child processes (node itself), watched as the action watches `go`.
import { describe, expect, it } from '@jest/globals';
import os from 'node:os';
import { runWatched } from '../../../src/go/watch.js';

const node = (script: string) => [process.execPath, ['-e', script]] as const;
const options = { cwd: os.tmpdir(), env: process.env, pollMs: 20 };

describe('runWatched', () => {
  it('collects the output of a command that ends, and hands on each stderr line', async () => {
    const lines: string[] = [];
    const result = await runWatched(
      ...node("process.stdout.write('out\\n'); process.stderr.write('one\\ntwo\\nlast')"),
      { ...options, stallMs: 10_000, deadlineMs: 30_000, onStderrLine: (l) => lines.push(l) },
    );
    expect(result).toMatchObject({ code: 0, signal: null, stdout: 'out\n', killed: undefined });
    expect(result.stderr).toBe('one\ntwo\nlast');
    // The unterminated last line too, once the command has ended.
    expect(lines).toEqual(['one', 'two', 'last']);
  });

  it('kills a command that goes quiet for the stall time', async () => {
    const result = await runWatched(...node('setInterval(() => {}, 1000)'), {
      ...options,
      stallMs: 200,
      deadlineMs: 30_000,
    });
    expect(result.killed).toBe('stall');
    expect(result.code).toBeNull();
    expect(result.durationMs).toBeLessThan(20_000);
  });

  it('counts progress outside the output, and still kills at the deadline', async () => {
    let n = 0;
    const result = await runWatched(...node('setInterval(() => {}, 1000)'), {
      ...options,
      stallMs: 100,
      deadlineMs: 600,
      progress: async () => n++,
    });
    expect(result.killed).toBe('deadline');
    expect(result.durationMs).toBeGreaterThanOrEqual(600);
  });

  it('reports a command that cannot start in stderr, not as a throw', async () => {
    const result = await runWatched('/nonexistent/go', [], {
      ...options,
      stallMs: 1_000,
      deadlineMs: 5_000,
    });
    expect(result).toMatchObject({ code: null, signal: null, killed: undefined });
    expect(result.stderr).toContain('ENOENT');
  });
});
