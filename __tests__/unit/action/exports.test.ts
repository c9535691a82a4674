import { describe, expect, it } from '@jest/globals';
import {
  exportChain,
  exportEnv,
  finalExports,
  healthyMirrors,
  type Exports,
} from '../../../src/action/exports.js';
import { jobSettings, MARKER } from '../../../src/config/job-env.js';
import { buildChain } from '../../../src/proxy/chain.js';
import { probed } from '../helpers.js';

function exportsFor(env: NodeJS.ProcessEnv): Exports {
  return { job: jobSettings(env), wanted: {} };
}

describe('exportEnv', () => {
  it("exports the job's own value for a setting this call leaves alone", () => {
    const e = exportsFor({ GOPRIVATE: 'corp.example' });
    expect(exportEnv(e, 'GOPRIVATE', undefined)).toEqual({
      name: 'GOPRIVATE',
      value: 'corp.example',
    });
    expect(e.wanted).toEqual({});
  });

  it('sets the gosumdb output with GOSUMDB', () => {
    const e = exportsFor({});
    expect(exportEnv(e, 'GOSUMDB', 'sum.golang.org')).toEqual({
      name: 'GOSUMDB',
      value: 'sum.golang.org',
      output: { name: 'gosumdb', value: 'sum.golang.org' },
    });
    expect(e.wanted).toEqual({ GOSUMDB: 'sum.golang.org' });
  });
});

describe('exportChain', () => {
  it('exports GOPROXY=off without a chain, and GONOPROXY back to the job', () => {
    const e = exportsFor({ GONOPROXY: 'corp.example' });
    expect(exportChain(e, undefined)).toEqual([
      { name: 'GOPROXY', value: 'off' },
      { name: 'GONOPROXY', value: 'corp.example' },
    ]);
  });
});

describe('finalExports', () => {
  it('exports every setting with the marker, and notes replaced patterns', () => {
    const e = exportsFor({ GOPRIVATE: 'a.example' });
    exportEnv(e, 'GOPRIVATE', 'a.example,b.example');
    const { set, notes } = finalExports(e);
    expect(set.GOPRIVATE).toBe('a.example,b.example');
    expect(set.GOPROXY).toBe('');
    expect(JSON.parse(set[MARKER]).before).toEqual({ GOPRIVATE: 'a.example' });
    expect(notes).toEqual([
      "GOPRIVATE=a.example from the job's environment is exported as GOPRIVATE=a.example,b.example.",
    ]);
  });
});

describe('healthyMirrors', () => {
  it('lists healthy and slow members that answered in time', () => {
    const chain = buildChain(
      [
        probed('https://a.example', 'healthy'),
        probed('https://b.example', 'slow'),
        probed('https://c.example', 'not-found'),
        probed('https://d.example', 'timeout', { pending: true }),
      ],
      true,
    );
    expect(healthyMirrors(chain)).toBe('https://a.example,https://b.example');
    expect(healthyMirrors(undefined)).toBe('');
  });
});
