import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
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
  const run: WatchedRun = {
    start,
    stdout: '',
    stderr: '',
    pendingLine: '',
    lastActivity: Date.now(),
  };
  collectOutput(child, run, options.onStderrLine);
  const poll = startWatchdog(child, run, options);

  return new Promise((resolve) => {
    const done = (code: number | null, signal: NodeJS.Signals | null): void => {
      clearInterval(poll);
      untrack();
      if (run.pendingLine) options.onStderrLine?.(run.pendingLine);
      const { stdout, stderr, killed } = run;
      resolve({ code, signal, stdout, stderr, killed, durationMs: Date.now() - start });
    };
    child.on('error', (err) => {
      run.stderr += `${err.message}\n`;
      done(null, null);
    });
    child.on('close', done);
  });
}

/** What a watched command has done so far. */
interface WatchedRun {
  start: number;
  stdout: string;
  stderr: string;
  /** stderr after its last complete line. */
  pendingLine: string;
  lastActivity: number;
  killed?: WatchResult['killed'];
}

type WatchedChild = ChildProcessByStdio<null, Readable, Readable>;

function collectOutput(
  child: WatchedChild,
  run: WatchedRun,
  onStderrLine: ((line: string) => void) | undefined,
): void {
  child.stdout.on('data', (chunk: Buffer) => {
    run.stdout += chunk.toString();
    run.lastActivity = Date.now();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    run.stderr += text;
    run.lastActivity = Date.now();
    run.pendingLine += text;
    const lines = run.pendingLine.split('\n');
    run.pendingLine = lines.pop() ?? '';
    for (const line of lines) onStderrLine?.(line);
  });
}

/** Polls for progress and kills the process tree on a stall or at the deadline. */
function startWatchdog(
  child: WatchedChild,
  run: WatchedRun,
  options: WatchOptions,
): NodeJS.Timeout {
  let lastFingerprint: number | undefined;
  const kill = (why: 'stall' | 'deadline'): void => {
    if (run.killed || child.exitCode !== null || child.signalCode !== null) return;
    run.killed = why;
    killTree(child.pid);
  };

  let polling = false;
  return setInterval(async () => {
    if (polling) return;
    polling = true;
    try {
      const now = Date.now();
      if (now - run.start >= options.deadlineMs) return kill('deadline');
      if (options.progress) {
        const fingerprint = await options.progress();
        if (fingerprint !== lastFingerprint) {
          lastFingerprint = fingerprint;
          run.lastActivity = Date.now();
        }
      }
      if (Date.now() - run.lastActivity >= options.stallMs) kill('stall');
    } finally {
      polling = false;
    }
  }, options.pollMs ?? 500);
}
