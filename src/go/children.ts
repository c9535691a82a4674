import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Every process the action starts carries this variable, and so does everything those
 * processes start in turn. Its value is unique to one run of the action, so a later step can
 * tell a leftover of ours from an unrelated process that got a recycled pid.
 */
export const OWNER_VAR = 'GO_RESILIENT_SETUP_OWNER';

/** A child process group the action started, as recorded for a later step. */
export interface ChildRecord {
  /** The group id: children are spawned detached, so the leader's pid. */
  pgid: number;
  /** The OWNER_VAR value the group's processes carry. */
  owner: string;
  command: string;
}

const owner = `${process.pid}-${crypto.randomBytes(8).toString('hex')}`;
const live = new Map<number, { record: ChildRecord; file?: string }>();

/** `env` plus the mark that identifies the processes of this run. */
export function markedEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, [OWNER_VAR]: owner };
}

/**
 * Where live groups are recorded while they run. Only on Linux, where a later step can check
 * a recorded group through /proc before it kills anything; and only under RUNNER_TEMP, which
 * belongs to this job alone (a shared temp dir could hold another job's records).
 */
export function recordsDir(): string | undefined {
  const temp = process.env.RUNNER_TEMP;
  if (!temp || process.platform !== 'linux') return undefined;
  return path.join(temp, 'go-resilient-setup', 'children');
}

/**
 * Remembers a running child so a cancel can stop it, and records it on disk so that the post
 * step can stop it if this process is killed outright (SIGKILL). Returns the call that forgets it.
 */
export function track(pid: number, command: string): () => void {
  const record: ChildRecord = { pgid: pid, owner, command };
  const dir = recordsDir();
  let file: string | undefined;
  if (dir) {
    try {
      fs.mkdirSync(dir, { recursive: true });
      file = path.join(dir, `${owner}-${pid}.json`);
      fs.writeFileSync(file, JSON.stringify(record));
    } catch {
      // Without a record only the SIGKILL case is unprotected; the run itself goes on.
      file = undefined;
    }
  }
  live.set(pid, { record, file });
  return () => forget(pid);
}

function forget(pid: number): void {
  const entry = live.get(pid);
  live.delete(pid);
  if (entry?.file) fs.rmSync(entry.file, { force: true });
}

/** Kills every live child group at once (synchronously, so a signal handler can exit right after). */
export function stopAllChildren(): ChildRecord[] {
  const stopped = [...live.values()].map((e) => e.record);
  for (const record of stopped) {
    killTree(record.pgid);
    forget(record.pgid);
  }
  return stopped;
}

/** Kills a detached child and everything it started (its process group; the tree on Windows). */
export function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    if (process.platform === 'win32') {
      spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore' });
    } else {
      process.kill(-pid, 'SIGKILL');
    }
  } catch {
    // Already gone.
  }
}
