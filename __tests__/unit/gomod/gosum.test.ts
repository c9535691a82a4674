import { describe, it, expect } from '@jest/globals';
import { collectModuleVersions, parseGoSum, type GoSumLine } from '../../../src/gomod/gosum.js';

describe('parseGoSum', () => {
  it('parses zip and go.mod lines and skips blank lines', () => {
    const text = [
      'github.com/pkg/errors v0.9.1 h1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=',
      'github.com/pkg/errors v0.9.1/go.mod h1:bwawxfHBFNV+L2hUp1rHADufV3IMtnDRdf1r5NINEl0=',
      '',
      '   ',
      '\tgolang.org/x/mod  v0.20.0/go.mod\th1:abc=  \r',
    ].join('\n');
    const expected: GoSumLine[] = [
      {
        module: 'github.com/pkg/errors',
        version: 'v0.9.1',
        kind: 'zip',
        hash: 'h1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=',
      },
      {
        module: 'github.com/pkg/errors',
        version: 'v0.9.1',
        kind: 'mod',
        hash: 'h1:bwawxfHBFNV+L2hUp1rHADufV3IMtnDRdf1r5NINEl0=',
      },
      { module: 'golang.org/x/mod', version: 'v0.20.0', kind: 'mod', hash: 'h1:abc=' },
    ];
    expect(parseGoSum(text)).toEqual(expected);
  });

  it('keeps hashes of other algorithms', () => {
    expect(parseGoSum('example.com/m v1.0.0 h2:xyz=\n')).toEqual([
      { module: 'example.com/m', version: 'v1.0.0', kind: 'zip', hash: 'h2:xyz=' },
    ]);
  });

  it('drops the bogus empty go.mod hash old go commands wrote, as cmd/go does', () => {
    const text = 'example.com/m v1.0.0/go.mod h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=\n';
    expect(parseGoSum(text)).toEqual([]);
  });

  it('handles an empty file', () => {
    expect(parseGoSum('')).toEqual([]);
  });

  it.each([
    ['example.com/m v1.0.0', 2],
    ['example.com/m v1.0.0 h1:a= extra', 4],
    ['example.com/m', 1],
  ])('rejects %j naming the file and line', (line, fields) => {
    const text = `example.com/ok v1.0.0 h1:a=\n\n${line}\n`;
    expect(() => parseGoSum(text, 'tools/go.sum')).toThrow(
      `malformed go.sum: tools/go.sum:3: wrong number of fields ${fields}`,
    );
  });

  it('names go.sum when no file name is given', () => {
    expect(() => parseGoSum('bad')).toThrow('go.sum:1:');
  });
});

describe('collectModuleVersions', () => {
  const line = (module: string, version: string, kind: 'zip' | 'mod', hash: string): GoSumLine => ({
    module,
    version,
    kind,
    hash,
  });

  it('merges lines into sorted unique module versions', () => {
    const lines = [
      line('golang.org/x/text', 'v0.3.0', 'mod', 'h1:text-mod='),
      line('example.com/b', 'v1.0.0', 'zip', 'h1:b-zip='),
      line('example.com/a', 'v1.1.0', 'mod', 'h1:a11-mod='),
      line('example.com/a', 'v1.0.0', 'zip', 'h1:a10-zip='),
      line('example.com/a', 'v1.0.0', 'mod', 'h1:a10-mod='),
      line('example.com/b', 'v1.0.0', 'mod', 'h1:b-mod='),
    ];
    expect(collectModuleVersions(lines)).toEqual([
      {
        module: 'example.com/a',
        version: 'v1.0.0',
        zipHash: 'h1:a10-zip=',
        modHash: 'h1:a10-mod=',
      },
      { module: 'example.com/a', version: 'v1.1.0', modHash: 'h1:a11-mod=' },
      { module: 'example.com/b', version: 'v1.0.0', zipHash: 'h1:b-zip=', modHash: 'h1:b-mod=' },
      { module: 'golang.org/x/text', version: 'v0.3.0', modHash: 'h1:text-mod=' },
    ]);
  });

  it('keeps the first hash when go.sum files disagree', () => {
    const first = parseGoSum('example.com/m v1.0.0 h1:first=\n', 'a/go.sum');
    const second = parseGoSum('example.com/m v1.0.0 h1:second=\n', 'b/go.sum');
    expect(collectModuleVersions([...first, ...second])).toEqual([
      { module: 'example.com/m', version: 'v1.0.0', zipHash: 'h1:first=' },
    ]);
  });

  it('prefers an h1 hash over another algorithm, since only h1 can be verified', () => {
    const lines = parseGoSum('example.com/m v1.0.0 h9:future=\nexample.com/m v1.0.0 h1:known=\n');
    expect(collectModuleVersions(lines)).toEqual([
      { module: 'example.com/m', version: 'v1.0.0', zipHash: 'h1:known=' },
    ]);
  });

  it('returns nothing for no lines', () => {
    expect(collectModuleVersions([])).toEqual([]);
  });
});
