import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  markedEnv,
  OWNER_VAR,
  recordsDir,
  stopAllChildren,
  track,
} from '../../../src/go/children.js';
import {
  carriesOwner,
  parseProcStat,
  parseRecord,
  stopLeftovers,
} from '../../../src/go/leftovers.js';

describe('parseProcStat', () => {
  it('reads state and process group after the command name, whatever it holds', () => {
    expect(parseProcStat('4242 (go) S 1 4242 4242 0 -1 4194560 ...')).toEqual({
      state: 'S',
      pgid: 4242,
    });
    expect(parseProcStat('77 (odd) name (x)) R 10 70 70 0')).toEqual({ state: 'R', pgid: 70 });
    expect(parseProcStat('garbage')).toBeUndefined();
  });
});

describe('carriesOwner', () => {
  it('matches the whole variable, not a prefix of another value', () => {
    const environ = ['HOME=/h', `${OWNER_VAR}=12-abcd`, 'PATH=/bin'].join('\0');
    expect(carriesOwner(environ, '12-abcd')).toBe(true);
    expect(carriesOwner(environ, '12-abc')).toBe(false);
    expect(carriesOwner(`X${OWNER_VAR}=12-abcd`, '12-abcd')).toBe(false);
  });
});

describe('parseRecord', () => {
  it('accepts only whole records with a plausible group id', () => {
    expect(parseRecord('{"pgid":99,"owner":"o","command":"go mod download"}')).toEqual({
      pgid: 99,
      owner: 'o',
      command: 'go mod download',
    });
    expect(parseRecord('{"pgid":1,"owner":"o"}')).toBeUndefined();
    expect(parseRecord('{"pgid":99}')).toBeUndefined();
    expect(parseRecord('{"pgid":9')).toBeUndefined();
  });
});

const linux = process.platform === 'linux' ? describe : describe.skip;

linux('child groups on Linux', () => {
  let temp: string;
  const saved = process.env.RUNNER_TEMP;
  const children: ChildProcess[] = [];

  beforeEach(() => {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'children-'));
    process.env.RUNNER_TEMP = temp;
  });
  afterEach(() => {
    for (const c of children.splice(0)) {
      try {
        process.kill(-c.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }
    if (saved === undefined) delete process.env.RUNNER_TEMP;
    else process.env.RUNNER_TEMP = saved;
    fs.rmSync(temp, { recursive: true, force: true });
  });

  function sleeper(env: NodeJS.ProcessEnv): ChildProcess {
    const child = spawn('sleep', ['60'], { env, detached: true, stdio: 'ignore' });
    children.push(child);
    return child;
  }

  function exited(child: ChildProcess): Promise<void> {
    return child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise((r) => child.once('exit', () => r()));
  }

  it('records a tracked group under RUNNER_TEMP and forgets it when told', () => {
    const child = sleeper(markedEnv(process.env));
    const forget = track(child.pid!, 'sleep 60');
    expect(fs.readdirSync(recordsDir()!)).toHaveLength(1);
    forget();
    expect(fs.readdirSync(recordsDir()!)).toHaveLength(0);
  });

  it('stopAllChildren kills every live group and drops its record', async () => {
    const child = sleeper(markedEnv(process.env));
    track(child.pid!, 'sleep 60');
    expect(stopAllChildren().map((r) => r.pgid)).toEqual([child.pid]);
    await exited(child);
    expect(child.signalCode).toBe('SIGKILL');
    expect(fs.readdirSync(recordsDir()!)).toHaveLength(0);
    expect(stopAllChildren()).toEqual([]);
  });

  it('stopLeftovers kills a recorded group whose processes carry the mark', async () => {
    const child = sleeper(markedEnv(process.env));
    track(child.pid!, 'sleep 60');
    const { stopped } = await stopLeftovers();
    expect(stopped.map((r) => r.pgid)).toEqual([child.pid]);
    await exited(child);
    expect(child.signalCode).toBe('SIGKILL');
    expect(fs.readdirSync(recordsDir()!)).toHaveLength(0);
    stopAllChildren();
  });

  it('stopLeftovers never kills a recorded group id now used by an unmarked process', async () => {
    // As if the pid had been recycled: same group id, no mark.
    const unrelated = sleeper({ PATH: process.env.PATH });
    const dir = recordsDir()!;
    fs.mkdirSync(dir, { recursive: true });
    const marked = markedEnv({})[OWNER_VAR]!;
    fs.writeFileSync(
      path.join(dir, 'stale.json'),
      JSON.stringify({ pgid: unrelated.pid, owner: marked, command: 'go mod download' }),
    );
    expect((await stopLeftovers()).stopped).toEqual([]);
    expect(unrelated.exitCode).toBeNull();
    expect(unrelated.signalCode).toBeNull();
    expect(fs.readdirSync(dir)).toHaveLength(0);
  });

  it('records nothing without RUNNER_TEMP (a shared temp dir may hold another job)', async () => {
    delete process.env.RUNNER_TEMP;
    expect(recordsDir()).toBeUndefined();
    expect((await stopLeftovers()).stopped).toEqual([]);
  });
});
