import { describe, expect, it } from '@jest/globals';
import { planTrim } from '../../../src/modcache/trim.js';

describe('planTrim', () => {
  const files = [
    'example.com/a/@v/list',
    'example.com/a/@v/v1.0.0.info',
    'example.com/a/@v/v1.0.0.mod',
    'example.com/a/@v/v1.0.0.zip',
    'example.com/a/@v/v1.0.0.ziphash',
    'example.com/a/@v/v0.9.0.mod',
    'example.com/a/@v/v0.9.0.zip',
    'example.com/gone/@v/list',
    'example.com/gone/@v/v1.0.0.zip',
    'example.com/modonly/@v/v1.0.0.mod',
    'golang.org/toolchain/@v/v0.0.1-go1.23.5.linux-amd64.zip',
    'golang.org/toolchain/@v/list',
    'sumdb/sum.golang.org/latest',
  ];
  const keep = [
    { module: 'example.com/a', version: 'v1.0.0', zipHash: 'h1:a', modHash: 'h1:b' },
    { module: 'example.com/modonly', version: 'v1.0.0', modHash: 'h1:c' },
    // Even if go.sum named a toolchain, it stays out of the snapshot.
    { module: 'golang.org/toolchain', version: 'v0.0.1-go1.23.5.linux-amd64', zipHash: 'h1:d' },
  ];

  it('moves out versions no go.sum names, emptied modules, toolchains and sumdb files, and keeps the rest', () => {
    const plan = planTrim(files, keep);
    expect(plan.moves).toEqual([
      'example.com/a/@v/v0.9.0.mod',
      'example.com/a/@v/v0.9.0.zip',
      'example.com/gone/@v/list',
      'example.com/gone/@v/v1.0.0.zip',
      'golang.org/toolchain/@v/list',
      'golang.org/toolchain/@v/v0.0.1-go1.23.5.linux-amd64.zip',
      'sumdb/sum.golang.org/latest',
    ]);
    expect(plan.versions).toBe(3);
  });
});
