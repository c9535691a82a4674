import { spawn } from 'node:child_process';
import { killTree, markedEnv, track } from './children.js';

export interface WatchOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Kill when neither output nor `progress()` has changed for this long. */
  stallMs: number;
  /** Kill after this long, progress or not. */
  deadlineMs: number;
  /** A fingerprint of progress made outside the output, e.g. bytes written so far. */
  progress?: () => Promise<number>;
  /** Called for every complete line on stderr. */
  onStderrLine?: (line: string) => void;
  pollMs?: number;
}

export interface WatchResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Why the watchdog killed the process, if it did. */
  killed?: 'stall' | 'deadline';
  durationMs: number;
}

/**
 * Runs a command that may hang forever (Go has no response timeout) and
 * kills its whole process tree once it stops making progress or runs past
 * its deadline.
 */
export function runWatched(
  command: string,
  args: readonly string[],
  options: WatchOptions,
): Promise<WatchResult> {
  const start = Date.now();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: markedEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so the kill reaches every helper Go started (git, …).
    detached: process.platform !== 'win32',
  });
  // A cancelled step must not leave it running (see cancel.ts and leftovers.ts).
  const untrack =
    child.pid === undefined ? () => {} : track(child.pid, [command, ...args].join(' '));
  let stdout = '';
  let stderr = '';
  let pendingLine = '';
  let lastActivity = Date.now();
  let lastFingerprint: number | undefined;
  let killed: WatchResult['killed'];

  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    lastActivity = Date.now();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    stderr += text;
    lastActivity = Date.now();
    pendingLine += text;
    const lines = pendingLine.split('\n');
    pendingLine = lines.pop() ?? '';
    for (const line of lines) options.onStderrLine?.(line);
  });

  const kill = (why: 'stall' | 'deadline'): void => {
    if (killed || child.exitCode !== null || child.signalCode !== null) return;
    killed = why;
    killTree(child.pid);
  };

  let polling = false;
  const poll = setInterval(async () => {
    if (polling) return;
    polling = true;
    try {
      const now = Date.now();
      if (now - start >= options.deadlineMs) return kill('deadline');
      if (options.progress) {
        const fingerprint = await options.progress();
        if (fingerprint !== lastFingerprint) {
          lastFingerprint = fingerprint;
          lastActivity = Date.now();
        }
      }
      if (Date.now() - lastActivity >= options.stallMs) kill('stall');
    } finally {
      polling = false;
    }
  }, options.pollMs ?? 500);

  return new Promise((resolve) => {
    const done = (code: number | null, signal: NodeJS.Signals | null): void => {
      clearInterval(poll);
      untrack();
      if (pendingLine) options.onStderrLine?.(pendingLine);
      resolve({ code, signal, stdout, stderr, killed, durationMs: Date.now() - start });
    };
    child.on('error', (err) => {
      stderr += `${err.message}\n`;
      done(null, null);
    });
    child.on('close', done);
  });
}
