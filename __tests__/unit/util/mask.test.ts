import { describe, expect, it } from '@jest/globals';
import { findUrlSecrets, maskUrl } from '../../../src/util/mask.js';

describe('maskUrl', () => {
  it.each([
    ['https://user:pass@host.example/p', 'https://***:***@host.example/p'],
    ['https://token@host.example', 'https://***@host.example'],
    ['https://host.example', 'https://host.example'],
    ['not a url', 'not a url'],
    ['ftp://u:p@x', 'ftp://***:***@x'],
    // No parser takes these: the host would end at the "/", "?" or "#".
    ['https://u:pa/ss@host.example', 'https://***:***@host.example'],
    ['https://to/ken@host.example/p', 'https://***@host.example/p'],
    ['https://u:pa?s#s@host.example', 'https://***:***@host.example'],
    // The last "@" ends the credentials, as for URL parsers.
    ['https://u:p@ss@host.example', 'https://***:***@host.example'],
    // A path holding "@" cannot be told from credentials holding "/": masked too.
    ['https://host.example/a@b', 'https://***@b'],
    // An empty authority has no credentials.
    ['file:///srv/mirror@2024', 'file:///srv/mirror@2024'],
  ])('%s -> %s', (input, masked) => {
    expect(maskUrl(input)).toBe(masked);
  });

  it('masks every URL of a list, and a "," inside a password never ends the masking', () => {
    expect(maskUrl('https://a:x@h1.example,https://h2.example|https://b:y,z@h3.example')).toBe(
      'https://***:***@h1.example,https://h2.example|https://***:***@h3.example',
    );
    expect(maskUrl('https://a:x@h1.example\nhttps://tok@h2.example')).toBe(
      'https://***:***@h1.example\nhttps://***@h2.example',
    );
  });
});

describe('findUrlSecrets', () => {
  it('finds userinfo and passwords, decoded too, in multi-line list inputs', () => {
    const secrets = findUrlSecrets(
      'https://bot:p%40ss@a.example,\nhttps://tok3n@b.example\ndirect',
    );
    expect(secrets).toEqual(expect.arrayContaining(['bot:p%40ss', 'p%40ss', 'p@ss', 'tok3n']));
  });

  it('finds nothing in URLs without credentials', () => {
    expect(findUrlSecrets('https://proxy.golang.org\ndirect\nfile:///srv/m@x')).toEqual([]);
  });

  it.each([
    // [as written, serialised for GOPROXY, decoded]
    ['ab+cd=Ef9', 'ab+cd%3DEf9', 'ab+cd=Ef9'],
    ['p!ss;w', 'p!ss%3Bw', 'p!ss;w'],
    ['50%25off', '50%25off', '50%off'],
    ['p%41ss', 'p%41ss', 'pAss'],
    ['pa%20ss', 'pa%20ss', 'pa ss'],
    ['p%40ss', 'p%40ss', 'p@ss'],
    ['p@ss', 'p%40ss', 'p@ss'],
    ['a,b|c', 'a%2Cb%7Cc', 'a,b|c'],
    ['pa%2Fss', 'pa%2Fss', 'pa/ss'],
  ])('a password written %s: every form is registered', (written, exported, decoded) => {
    const secrets = findUrlSecrets(`https://ci-bot:${written}@goproxy.corp.example`);
    expect(secrets).toEqual(expect.arrayContaining([written, exported, decoded]));
    expect(secrets).toContain(`ci-bot:${exported}`);
    expect(secrets).toContain(Buffer.from(`ci-bot:${decoded}`).toString('base64'));
    // The user name is no secret when a password follows it.
    expect(secrets).not.toContain('ci-bot');
  });

  it("registers a user name standing alone, in Go's escaping too: Go prints such a URL in full", () => {
    const secrets = findUrlSecrets("https://tok!en'(x)*=y+z@goproxy.corp.example");
    expect(secrets).toEqual(
      expect.arrayContaining(["tok!en'(x)*=y+z", 'tok%21en%27%28x%29%2A=y+z']),
    );
    // An empty password is no password: the user name is the token.
    expect(findUrlSecrets('https://t0ken:@goproxy.corp.example')).toContain('t0ken');
  });

  it('registers the whole of credentials holding a "/" (no parser takes them) and their password', () => {
    const secrets = findUrlSecrets('https://ci-bot:Qz7Kx/Wv3Rt@goproxy.corp.example');
    expect(secrets).toEqual(expect.arrayContaining(['ci-bot:Qz7Kx/Wv3Rt', 'Qz7Kx/Wv3Rt']));
  });

  it('registers a password that decodes to several lines line by line, as the runner masks', () => {
    const secrets = findUrlSecrets('https://u:first%0Asecond@h.example');
    expect(secrets).toEqual(expect.arrayContaining(['first\nsecond', 'first', 'second']));
  });

  it('registers no blank value, which would mask nothing but warn', () => {
    for (const s of findUrlSecrets('https://:@h.example https://u:%20@h2.example')) {
      expect(s.trim()).not.toBe('');
    }
  });
});
