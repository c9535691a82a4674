import * as core from '@actions/core';
import type { Log } from './log.js';

/** The runner's log: groups fold in the job's log, warnings become annotations. */
export const actionsLog: Log = {
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  group: (name, fn) => core.group(name, fn),
};
