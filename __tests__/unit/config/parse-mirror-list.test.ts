import { describe, expect, it } from '@jest/globals';
import type { RawInputs } from '../../../src/config/inputs.js';
import { parse, problemsOf } from './parse-helpers.js';

describe('parseInputs: mirror lists and URLs', () => {
  it('keeps credentials for Go, masks them for people, and sends them as Basic auth', () => {
    const c = parse({ mirrors: 'https://bot:s3cr%40t@goproxy.corp.example/api' });
    const [m] = c.mirrors;
    expect(m.url).toBe('https://bot:s3cr%40t@goproxy.corp.example/api');
    expect(m.display).toBe('https://***:***@goproxy.corp.example/api');
    expect(m.requestUrl).toBe('https://goproxy.corp.example/api');
    expect(m.authorization).toBe(`Basic ${Buffer.from('bot:s3cr@t').toString('base64')}`);
    expect(c.secrets).toEqual(expect.arrayContaining(['bot:s3cr%40t', 's3cr%40t', 's3cr@t']));
  });

  describe('credentials a URL parser re-encodes', () => {
    it.each([
      // [as written, as exported in GOPROXY, as sent]
      ['ab+cd=Ef9', 'ab+cd%3DEf9', 'ab+cd=Ef9'],
      ['p@ss;1', 'p%40ss%3B1', 'p@ss;1'],
      ['50%25off', '50%25off', '50%off'],
      ['p%41ss', 'p%41ss', 'pAss'],
      ['pa%20ss', 'pa%20ss', 'pa ss'],
      // Go splits GOPROXY at "," and "|" before it parses a URL.
      ['a,b|c', 'a%2Cb%7Cc', 'a,b|c'],
    ])(
      '%s is exported as %s, sent as %s, and registered in every form',
      (written, exported, sent) => {
        const c = parse({ mirrors: `https://ci-bot:${written}@goproxy.corp.example\ndirect` });
        const [m] = c.mirrors;
        expect(c.mirrors).toHaveLength(1);
        expect(m.url).toBe(`https://ci-bot:${exported}@goproxy.corp.example`);
        expect(m.display).toBe('https://***:***@goproxy.corp.example');
        expect(m.authorization).toBe(`Basic ${Buffer.from(`ci-bot:${sent}`).toString('base64')}`);
        expect(c.secrets).toEqual(expect.arrayContaining([written, exported, sent]));
      },
    );

    it('registers a token standing as the user name, in every form', () => {
      const c = parse({ 'tool-mirrors': "https://t0k!'n=@artifacts.corp.example/golangci" });
      expect(c.toolMirrors[0].url).toBe("https://t0k!'n%3D@artifacts.corp.example/golangci");
      expect(c.secrets).toEqual(
        expect.arrayContaining(["t0k!'n=", "t0k!'n%3D", 't0k%21%27n='] /* Go's escaping */),
      );
    });

    it.each([
      [
        'a raw "/" in the password',
        'https://ci-bot:Qz7Kx/Wv3Rt@goproxy.corp.example',
        ['Qz7Kx', 'Wv3Rt'],
      ],
      ['a raw "/" in a token', 'https://Qz7Kx/Wv3Rt@goproxy.corp.example', ['Qz7Kx', 'Wv3Rt']],
      [
        'a raw "?" in the password',
        'https://ci-bot:Qz7Kx?Wv3Rt@goproxy.corp.example',
        ['Qz7Kx', 'Wv3Rt'],
      ],
    ])('refuses %s, naming the input and the value masked', (_what, url, parts) => {
      const problems = problemsOf({ 'private-mirrors': url });
      expect(problems).toEqual([
        expect.stringMatching(
          /^private-mirrors: "https:\/\/\*\*\*(:\*\*\*)?@goproxy\.corp\.example" has "\/", "\\", "\?" or "#" before its last "@": in credentials, percent-encode them/,
        ),
      ]);
      for (const part of parts) expect(problems.join('\n')).not.toContain(part);
    });

    it('refuses a "%" that starts no percent-escape, which Go cannot parse', () => {
      expect(problemsOf({ mirrors: 'https://ci-bot:50%off@goproxy.corp.example' })).toEqual([
        'mirrors: "https://***:***@goproxy.corp.example" has a "%" in its credentials that starts no percent-escape; write a literal "%" as %25',
      ]);
    });

    it('masks the whole of a URL that no parser takes, never part of its password', () => {
      const problems = problemsOf({ 'offline-bundle': 'https://u:Qz7Kx:Wv3Rt@[bad/b.tar.zst' });
      expect(problems.join('\n')).toContain('https://***:***@[bad/b.tar.zst');
      expect(problems.join('\n')).not.toMatch(/Qz7Kx|Wv3Rt/);
    });
  });

  it('accepts a file:// mirror (an offline bundle)', () => {
    expect(parse({ mirrors: 'file:///srv/goproxy' }).mirrors[0].requestUrl).toBe(
      'file:///srv/goproxy',
    );
  });

  const bad: [string, Partial<RawInputs>, string][] = [
    [
      'malformed URL',
      { mirrors: 'not a url' },
      'mirrors: "not a url" is not a valid URL; expected e.g. https://proxy.golang.org',
    ],
    [
      'unsupported scheme',
      { mirrors: 'ftp://mirror.example' },
      'mirrors: "ftp://mirror.example" uses the unsupported scheme "ftp:"; use https://, http:// or file://',
    ],
    [
      'direct not last',
      { mirrors: 'direct, https://a.example' },
      'mirrors: "direct" must be the last entry (Go ignores everything after it), but "https://a.example" follows it',
    ],
    [
      'off in the list',
      { mirrors: 'https://a.example, off' },
      'mirrors: "off" disables module downloads and cannot be part of a fallback chain; remove it',
    ],
    [
      'query string',
      { mirrors: 'https://a.example/?token=x' },
      'mirrors: "https://a.example/?token=x" must not contain a query string or fragment, because paths are appended to it',
    ],
    [
      'credentials over http',
      { mirrors: 'http://bot:pass@athens.corp.example' },
      'mirrors: "http://***:***@athens.corp.example" carries credentials over http, which would send them in clear; use https://',
    ],
    [
      'a private mirror with credentials over http',
      { 'private-mirrors': 'http://token@athens.corp.example' },
      'private-mirrors: "http://***@athens.corp.example" carries credentials over http, which would send them in clear; use https://',
    ],
    [
      'tool mirror credentials over http',
      { 'tool-mirrors': 'http://bot:pass@releases.corp.example' },
      'tool-mirrors: "http://***:***@releases.corp.example" carries credentials over http, which would send them in clear; use https://',
    ],
    [
      'a file URL without an absolute path',
      { mirrors: 'file:qproxy' },
      'mirrors: "file:qproxy" is not a file URL Go accepts; write file:// followed by an absolute path, e.g. file:///srv/goproxy',
    ],
  ];
  it.each(bad)('rejects %s with an actionable message', (_name, inputs, message) => {
    expect(problemsOf(inputs)).toEqual([message]);
  });

  it('masks credentials in error messages about the URL that carries them', () => {
    const problems = problemsOf({ mirrors: 'ftp://bot:hunter2@mirror.example' });
    expect(problems.join('\n')).not.toContain('hunter2');
    expect(problems[0]).toContain('ftp://***:***@mirror.example');
  });
});
