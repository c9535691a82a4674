import { describe, expect, it } from '@jest/globals';
import { credentialForms, goEscaped, serialised } from '../../../src/util/userinfo.js';

describe('credential forms', () => {
  it("escapes as Go's net/url does: only letters, digits and $&+,-.;=_~ stay", () => {
    expect(goEscaped("a b!'*()é%:@/?")).toBe('a%20b%21%27%2A%28%29%C3%A9%25%3A%40%2F%3F');
    expect(goEscaped('$&+,-.;=_~Az09')).toBe('$&+,-.;=_~Az09');
  });

  it('serialises as new URL() does', () => {
    const url = new URL('https://u:a=b;c d"e@h.example');
    expect(serialised('a=b;c d"e')).toBe(url.password);
  });

  it('leaves out the decoded form when a "%" starts no escape', () => {
    expect(credentialForms('50%off')).toEqual(['50%off']);
  });
});
