import { describe, expect, it } from '@jest/globals';
import { textTable } from '../../../src/cli/text-table.js';

describe('textTable', () => {
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
