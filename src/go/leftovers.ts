import fs from 'node:fs';
import path from 'node:path';
import { OWNER_VAR, recordsDir, type ChildRecord } from './children.js';
import { sleep } from '../util/time.js';

/** The fields of /proc/<pid>/stat that matter here. */
export interface ProcStat {
  state: string;
  pgid: number;
}

/** Parses /proc/<pid>/stat; the command name may hold spaces and parentheses, so split after the last `)`. */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const [state, , pgrp] = text.slice(close + 2).split(' ');
  const pgid = Number(pgrp);
  return state && Number.isInteger(pgid) ? { state, pgid } : undefined;
}

/** Whether a NUL-separated environment (/proc/<pid>/environ) carries this run's mark. */
export function carriesOwner(environ: string, owner: string): boolean {
  return environ.split('\0').includes(`${OWNER_VAR}=${owner}`);
}

/** Parses one record file; anything else (a partial write, a foreign file) is ignored. */
export function parseRecord(text: string): ChildRecord | undefined {
  try {
    const r = JSON.parse(text) as Partial<ChildRecord>;
    if (Number.isInteger(r.pgid) && (r.pgid ?? 0) > 1 && typeof r.owner === 'string' && r.owner) {
      return { pgid: r.pgid!, owner: r.owner, command: String(r.command ?? '') };
    }
  } catch {
    // not a record
  }
  return undefined;
}

export interface LeftoverOutcome {
  /** Groups that were still running and were killed. */
  stopped: ChildRecord[];
}

/**
 * Kills the process groups an earlier step of this action recorded and that still run: what
 * a main step killed with SIGKILL leaves behind, still holding Go's lock files. A group is
 * killed only if one of its live processes carries the recorded mark in its environment, so a
 * recycled pid or group id of an unrelated process is never touched.
 */
export async function stopLeftovers(waitMs = 3000): Promise<LeftoverOutcome> {
  const dir = recordsDir();
  if (!dir || !fs.existsSync(dir)) return { stopped: [] };
  const files = fs.readdirSync(dir).map((name) => path.join(dir, name));
  const records = new Map<number, ChildRecord[]>();
  for (const file of files) {
    let record: ChildRecord | undefined;
    try {
      record = parseRecord(fs.readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    if (record) records.set(record.pgid, [...(records.get(record.pgid) ?? []), record]);
  }

  const ours = new Map<number, ChildRecord>();
  const members: number[] = [];
  for (const { pid, stat } of liveProcesses()) {
    const candidates = records.get(stat.pgid);
    if (!candidates) continue;
    let environ: string;
    try {
      environ = fs.readFileSync(`/proc/${pid}/environ`, 'latin1');
    } catch {
      continue; // gone, or another user's
    }
    const match = candidates.find((r) => carriesOwner(environ, r.owner));
    if (!match) continue;
    ours.set(stat.pgid, match);
    members.push(pid);
  }
  for (const pgid of ours.keys()) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Exited meanwhile.
    }
  }
  // Locks are released only once the processes are gone; wait for that (briefly).
  const until = Date.now() + waitMs;
  while (members.some(isAlive) && Date.now() < until) await sleep(50);
  for (const file of files) fs.rmSync(file, { force: true });
  return { stopped: [...ours.values()] };
}

function* liveProcesses(): Generator<{ pid: number; stat: ProcStat }> {
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    const stat = readStat(pid);
    if (stat && stat.state !== 'Z' && stat.state !== 'X') yield { pid, stat };
  }
}

function readStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A zombie holds no locks: only its exit status is left for a parent to collect. */
function isAlive(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}
