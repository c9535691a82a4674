import { describe, expect, it } from '@jest/globals';
import { parseFlags, UsageError } from '../../../src/cli/flags.js';

describe('parseFlags', () => {
  it.each([
    [['--nope'], /^unknown flag --nope; known flags: --a, --b$/],
    [['--a'], /^--a needs a value$/],
    [['--b=1'], /^--b takes no value$/],
    [['extra'], /^unexpected argument "extra"$/],
  ])('rejects %j with a usage error', (argv, message) => {
    const parse = () => parseFlags(argv, { a: { type: 'string' }, b: { type: 'boolean' } });
    expect(parse).toThrow(UsageError);
    expect(parse).toThrow(message);
  });
});
