import type { Log } from './log.js';

/**
 * A terminal's log: on stderr, so stdout carries only the command's result. Group names and
 * warnings always show; the rest only when asked for, since the result repeats it.
 */
export function consoleLog(verbose: boolean): Log {
  return {
    info: (message) => {
      if (verbose) console.error(message);
    },
    warning: (message) => console.error(`warning: ${message}`),
    group: async (name, fn) => {
      console.error(`${name}…`);
      return fn();
    },
  };
}
