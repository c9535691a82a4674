/**
 * How the phases shared by the action and the command line talk to the user. The action's
 * log is the runner's (workflow commands on stdout); the command line keeps stdout for its
 * report, so each host brings its own.
 */
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  /** Runs `fn` with what it logs folded under `name`, where the host can fold. */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}
