import { parseArgs } from 'node:util';

/** A mistake in how the command was called: exit code 2, with the usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

/**
 * Parses `--flag value`, `--flag=value` and boolean `--flag`. Node's own messages tell how to
 * pass a positional that starts with `-`; here the user only needs to know which flag is wrong.
 */
export function parseFlags(argv: string[], spec: FlagSpec): Values {
  return parseCommandLine(argv, spec, []).values;
}

/**
 * Flags as parseFlags reads them, and exactly the arguments named in `args` (e.g. `FILE`), each
 * required.
 */
export function parseCommandLine(
  argv: string[],
  spec: FlagSpec,
  args: string[],
): { values: Values; args: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: spec,
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length > args.length) {
      throw new UsageError(`unexpected argument "${positionals[args.length]}"`);
    }
    if (positionals.length < args.length) {
      throw new UsageError(`missing ${args[positionals.length]}`);
    }
    return { values, args: positionals };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(describeParseError(err as NodeJS.ErrnoException, spec));
  }
}

function describeParseError(err: NodeJS.ErrnoException, spec: FlagSpec): string {
  const flag = /'(-[^' ]+)/.exec(err.message)?.[1] ?? '';
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag ${flag}; known flags: ${Object.keys(spec)
        .map((f) => `--${f}`)
        .join(', ')}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return spec[flag.replace(/^--/, '')]?.type === 'boolean'
        ? `${flag} takes no value`
        : `${flag} needs a value`;
    default:
      return err.message;
  }
}
