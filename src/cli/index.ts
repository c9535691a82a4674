#!/usr/bin/env node
import { InputError } from '../config/input-error.js';
import { UsageError } from './flags.js';
import { bundleCommand, BUNDLE_USAGE } from './bundle-command.js';
import { probeCommand, PROBE_USAGE } from './probe-command.js';
import { verifyCommand, VERIFY_USAGE } from './verify-command.js';
import { reserveStdout } from './stdout.js';

type Command = (argv: string[], print: (text: string) => Promise<void>) => Promise<number>;

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  probe: { run: probeCommand, usage: PROBE_USAGE },
  bundle: { run: bundleCommand, usage: BUNDLE_USAGE },
  verify: { run: verifyCommand, usage: VERIFY_USAGE },
};

const USAGE = `Usage: go-resilient-setup <command> [flags]

Commands:
  probe   which GOPROXY mirrors work for this project, and the chain the action would export
  bundle  download the project's modules and tools into one verified archive for offline runners
  verify  check a bundle against its manifest and the project's go.sum

Run go-resilient-setup <command> --help for its flags.`;

/** The command line: one command, its exit status; 2 for any usage mistake. */
async function main(argv: string[]): Promise<number> {
  const print = reserveStdout();
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    await print(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`go-resilient-setup: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    await print(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, print);
  } catch (err) {
    if (err instanceof UsageError || err instanceof InputError) {
      console.error(
        `go-resilient-setup ${name}: ${err.message}\nRun go-resilient-setup ${name} --help for the flags.`,
      );
      return 2;
    }
    console.error(
      `go-resilient-setup ${name}: ${err instanceof Error ? err.message : String(err)}`,
    );
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
