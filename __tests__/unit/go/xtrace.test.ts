import { describe, expect, it } from '@jest/globals';
import { goErrorTail, parseModuleFailures, stripUserinfo, XTrace } from '../../../src/go/xtrace.js';

describe('XTrace', () => {
  it('tracks requests without answers, answered ones and failures', () => {
    const t = new XTrace();
    t.feed('# get http://127.0.0.1:1/example.com/a/@v/v1.0.0.info');
    t.feed('# get http://127.0.0.1:1/example.com/a/@v/v1.0.0.info: 200 OK (0.001s)');
    t.feed('# get http://127.0.0.1:1/example.com/a/@v/v1.0.0.zip');
    t.feed('# get http://127.0.0.1:1/example.com/a/@v/v1.0.0.zip: 200 OK (0.002s)');
    t.feed('# get http://127.0.0.1:2/example.com/b/@v/v1.0.0.mod');
    t.feed('# get http://127.0.0.1:3/example.com/c/@v/v1.0.0.mod');
    t.feed('# get http://127.0.0.1:3/example.com/c/@v/v1.0.0.mod: 502 Bad Gateway (0.001s)');
    t.feed('# get http://127.0.0.1:4/example.com/d/@v/v1.0.0.mod');
    t.feed('# get http://127.0.0.1:4/example.com/d/@v/v1.0.0.mod: 404 Not Found (0.001s)');
    expect(t.feed('go: downloading example.com/a v1.0.0')).toBe(false);
    expect(t.unanswered()).toEqual(['http://127.0.0.1:2/example.com/b/@v/v1.0.0.mod']);
    expect(t.answeredOk()).toEqual([
      'http://127.0.0.1:1/example.com/a/@v/v1.0.0.info',
      'http://127.0.0.1:1/example.com/a/@v/v1.0.0.zip',
    ]);
    expect(t.failures()).toEqual([
      { url: 'http://127.0.0.1:3/example.com/c/@v/v1.0.0.mod', outcome: '502 Bad Gateway' },
    ]);
  });

  it('records transport errors as failures', () => {
    const t = new XTrace();
    t.feed('# get http://127.0.0.1:9/x/@v/list');
    t.feed('# get http://127.0.0.1:9/x/@v/list: dial tcp 127.0.0.1:9: connect: connection refused');
    expect(t.failures()[0].outcome).toContain('connection refused');
  });

  it('compares URLs without the credentials Go redacts', () => {
    expect(stripUserinfo('https://bot:xxxxx@host/p')).toBe('https://host/p');
  });
});

describe('parseModuleFailures', () => {
  it('finds checksum mismatches and failed fetches', () => {
    const stderr = [
      'verifying example.com/a@v1.0.0: checksum mismatch',
      '\tdownloaded: h1:AAA=',
      '\tgo.sum:     h1:BBB=',
      '',
      'SECURITY ERROR',
      'go: example.com/b@v1.2.0: reading http://127.0.0.1:5/example.com/b/@v/v1.2.0.zip: 502 Bad Gateway',
      'go: example.com/!upper/c@v0.1.0/go.mod: zip: not a valid zip file',
    ].join('\n');
    expect(parseModuleFailures(stderr)).toEqual([
      {
        module: 'example.com/a',
        version: 'v1.0.0',
        checksumMismatch: true,
        message: 'checksum mismatch',
      },
      {
        module: 'example.com/b',
        version: 'v1.2.0',
        checksumMismatch: false,
        message: 'reading http://127.0.0.1:5/example.com/b/@v/v1.2.0.zip: 502 Bad Gateway',
      },
      {
        module: 'example.com/!upper/c',
        version: 'v0.1.0',
        checksumMismatch: false,
        message: 'zip: not a valid zip file',
      },
    ]);
  });
});

describe('goErrorTail and Go errors no mirror caused', () => {
  it('keeps the end of what Go said, without the request trace', () => {
    const stderr = [
      '# get http://127.0.0.1:1/example.com/a/@v/v1.0.0.mod',
      '# get http://127.0.0.1:1/example.com/a/@v/v1.0.0.mod: 200 OK (0.001s)',
      'go: errors parsing go.mod:',
      'go.mod:6: syntax error (unterminated block started at go.mod:4:1)',
      '',
    ].join('\n');
    expect(goErrorTail(stderr)).toEqual([
      'go: errors parsing go.mod:',
      'go.mod:6: syntax error (unterminated block started at go.mod:4:1)',
    ]);
    expect(goErrorTail('a\nb\nc\n', 2)).toEqual(['b', 'c']);
  });

  it('a too-new go line or a replace to a missing directory is no module download failure', () => {
    expect(
      parseModuleFailures(
        'go: go.mod requires go >= 1.25 (running go 1.23.5; GOTOOLCHAIN=local)\n' +
          'go: example.com/x@v1.0.0 (replaced by ../missing): reading ../missing/go.mod: open /w/missing/go.mod: no such file or directory\n',
      ),
    ).toEqual([]);
  });
});
