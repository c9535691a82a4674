import os from 'node:os';
import { stopAllChildren } from './children.js';

/**
 * When the runner cancels the step or it hits `timeout-minutes`, the runner signals this
 * process only. The go commands run in their own process groups (so the watchdog can kill
 * their trees), so without this they would outlive the step and keep holding Go's locks in
 * the module cache. Kills them all, reports, and exits non-zero at once.
 */
export function stopChildrenOnCancel(report: (message: string) => void): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      const stopped = stopAllChildren();
      const what =
        stopped.length > 0
          ? `stopped ${stopped.length} running command(s): ${stopped.map((c) => c.command).join('; ')}`
          : 'no command was running';
      report(`The step was cancelled (${signal}); ${what}.`);
      process.exit(128 + os.constants.signals[signal]);
    });
  }
}
