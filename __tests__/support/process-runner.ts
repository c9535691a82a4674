// Runs one step's process the way a runner would have to: in its own process group, so a
// timeout can kill everything it started (go, its subprocesses) and Jest never waits on an
// orphan holding a pipe open.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ProcessResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

export interface ProcessOptions {
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** Told the pid once spawned, so an owner can kill the group if a test is abandoned. */
  onSpawn?: (pid: number) => void;
}

export function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export function runProcess(
  cmd: string,
  args: string[],
  opts: ProcessOptions,
): Promise<ProcessResult> {
  const started = Date.now();
  return new Promise((resolveResult, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) killGroup(child.pid);
    }, opts.timeoutMs);
    if (child.pid) opts.onSpawn?.(child.pid);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', () => {
      // Leftover children of the step would keep the pipes (and the test) open.
      if (child.pid) killGroup(child.pid);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveResult({
        exitCode: code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        durationMs: Date.now() - started,
        timedOut,
      });
    });
  });
}

export interface LiveProcess {
  pid: number;
  pgid: number;
  cmdline: string;
}

/**
 * Live processes (zombies excluded) whose environment or working directory mentions one of
 * `markers`, e.g. a job's runner directory: what a cancelled step may have left behind. Linux
 * only (/proc); processes of other users are invisible and skipped.
 */
export function processesMentioning(markers: readonly string[]): LiveProcess[] {
  const found: LiveProcess[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z' || fields[0] === 'X') continue;
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        // exiting
      }
      if (!markers.some((m) => environ.includes(m) || cwd.startsWith(m))) continue;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      found.push({ pid, pgid: Number(fields[2]), cmdline });
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}
