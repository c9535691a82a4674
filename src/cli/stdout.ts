/**
 * Keeps stdout for the command's own result. Toolkit libraries the shared modules use (the
 * glob of the go.sum discovery) write workflow commands such as `::debug::` to stdout, which
 * would garble a table and break `--json`. Anything written to process.stdout goes to stderr,
 * debug commands dropped; the returned function writes to the real stdout.
 */
export function reserveStdout(): (text: string) => Promise<void> {
  const stdout = process.stdout;
  const write = stdout.write.bind(stdout);
  stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const kept = text
      .split(/(?<=\n)/)
      .filter((line) => !line.startsWith('::debug::'))
      .join('');
    const done = rest.find((a): a is () => void => typeof a === 'function');
    if (!kept) {
      done?.();
      return true;
    }
    return done ? process.stderr.write(kept, done) : process.stderr.write(kept);
  }) as typeof stdout.write;
  // Waits until written, so exiting right after loses nothing on an asynchronous pipe.
  return (text) => new Promise((resolve) => write(text, () => resolve()));
}
