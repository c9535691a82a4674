import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/config/input-error.js';
import { ACTION_DEFAULTS } from '../../src/cli/defaults.js';
import { parseFlags, UsageError } from '../../src/cli/flags.js';
import { probeSetup } from '../../src/cli/probe-config.js';
import { textTable } from '../../src/cli/text-table.js';
import { loadActionMetadata } from '../support/action-metadata.js';

describe('the command line', () => {
  it("starts from action.yml's defaults", () => {
    const { inputs } = loadActionMetadata();
    const fromYaml = Object.fromEntries(
      // An expression such as `${{ github.token }}` has no value off a runner.
      Object.entries(inputs).map(([name, spec]) => [
        name,
        spec.default?.startsWith('${{') ? '' : (spec.default ?? ''),
      ]),
    );
    expect(ACTION_DEFAULTS).toEqual(fromYaml);
  });

  it('names the flag, not the input, in a bad value', () => {
    const problems = (() => {
      try {
        probeSetup(
          { dir: '/nonexistent/dir', 'probe-timeout': '0', mirrors: 'ftp://x.example' },
          {},
          '/',
        );
      } catch (err) {
        return (err as InputError).problems;
      }
      return [];
    })();
    expect(problems).toEqual([
      expect.stringMatching(/^--mirrors: "ftp:\/\/x\.example" uses the unsupported scheme/),
      expect.stringMatching(/^--probe-timeout: "0" is out of range/),
      expect.stringMatching(/^--dir: "\/nonexistent\/dir" does not exist/),
    ]);
  });

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

  it('pads columns to the widest cell and trims the last', () => {
    expect(
      textTable(
        ['mirror', 'verdict', 'reason'],
        [
          ['https://a.example', 'healthy', ''],
          ['b', 'timeout', 'no answer in 5 s'],
        ],
      ),
    ).toBe(
      [
        'mirror             verdict  reason',
        'https://a.example  healthy',
        'b                  timeout  no answer in 5 s',
      ].join('\n'),
    );
  });
});
