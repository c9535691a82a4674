import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../../src/config/input-error.js';

describe('InputError', () => {
  it('says one problem on one line, and lists several', () => {
    expect(new InputError(['a: bad']).message).toBe('Invalid input: a: bad');
    expect(new InputError(['a: bad', 'b: worse']).message).toBe(
      'Invalid inputs:\n  - a: bad\n  - b: worse',
    );
    expect(new InputError(['a: bad']).problems).toEqual(['a: bad']);
  });
});
