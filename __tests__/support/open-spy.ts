// Which files a step opened for writing, even those it removed again before it ended: a
// preload script (NODE_OPTIONS=--require) wraps Node's open calls in the step's process and
// logs each path opened to write. Reading and the log's own writes are not recorded.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PRELOAD = `'use strict';
const fs = require('fs');
const log = fs.openSync(process.env.OPEN_SPY_LOG, 'a');
const writing = (flags) =>
  typeof flags === 'string'
    ? /[wa+]/.test(flags)
    : typeof flags === 'number' &&
      (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT)) !== 0;
const note = (path, flags) => {
  if (writing(flags)) fs.writeSync(log, String(path) + '\\n');
};
for (const [owner, name] of [[fs, 'open'], [fs, 'openSync'], [fs.promises, 'open']]) {
  const real = owner[name];
  owner[name] = function (path, flags, ...rest) {
    note(path, flags);
    return real.call(this, path, flags, ...rest);
  };
}
`;

export interface OpenSpy {
  /** What the step's `env:` needs for the spy to run in it. */
  env: Record<string, string>;
  /** Every path opened to write so far, in order. */
  opened(): string[];
}

/** A spy whose preload script and log live in `dir`. */
export function openSpy(dir: string, name: string): OpenSpy {
  const preload = join(dir, `${name}-open-spy.cjs`);
  const log = join(dir, `${name}-open-spy.log`);
  writeFileSync(preload, PRELOAD);
  writeFileSync(log, '');
  return {
    env: { NODE_OPTIONS: `--require ${preload}`, OPEN_SPY_LOG: log },
    opened: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
  };
}
