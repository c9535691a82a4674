import { describe, expect, it } from '@jest/globals';
import { redirectTarget } from '../../../src/proxy/redirect.js';

describe('redirectTarget', () => {
  const from = new URL('https://mirror.example/goproxy/x.info');
  it.each([
    ['/other/y.info', 'https://mirror.example/other/y.info'],
    ['z.info', 'https://mirror.example/goproxy/z.info'],
    ['https://cdn.example/blob', 'https://cdn.example/blob'],
  ])('follows %s to %s', (location, href) => {
    expect(redirectTarget(location, from, from)).toEqual({ url: new URL(href) });
  });

  it.each([
    ['file:///etc/passwd', 'redirected to file:///etc/passwd, which is not http or https'],
    [
      'http://mirror.example/x',
      'redirected from https to http://mirror.example/x, which Go refuses',
    ],
    ['https://u:pw@[bad', 'redirected to "https://***:***@[bad", which is not a URL'],
  ])('refuses %s', (location, problem) => {
    expect(redirectTarget(location, from, from)).toEqual({ problem });
  });

  it('lets an http mirror redirect to http, and up to https', () => {
    const http1 = new URL('http://mirror.example/x');
    expect(redirectTarget('http://other.example/y', http1, http1)).toHaveProperty('url');
    expect(redirectTarget('https://other.example/y', http1, http1)).toHaveProperty('url');
  });
});
