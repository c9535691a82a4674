import { describe, expect, it } from '@jest/globals';
import {
  applyJobSettings,
  mergePatterns,
  type JobGoSettings,
} from '../../../src/config/apply-job-settings.js';
import { InputError } from '../../../src/config/input-error.js';
import type { RawInputs } from '../../../src/config/inputs.js';
import { parseInputs } from '../../../src/config/parse-inputs.js';
import { DEFAULT_INPUTS } from '../helpers.js';

const raw = DEFAULT_INPUTS;
const goDefaults: JobGoSettings = {
  GOPROXY: 'https://proxy.golang.org,direct',
  GOSUMDB: 'sum.golang.org',
  GOPRIVATE: '',
  GONOPROXY: '',
  GONOSUMDB: '',
  gosumdbSet: false,
};

function apply(inputs: Partial<RawInputs>, job: Partial<JobGoSettings>) {
  const r = { ...raw, ...inputs };
  return applyJobSettings(
    parseInputs(r, '/ws', () => 'directory'),
    r,
    { ...goDefaults, ...job },
  );
}

describe('applyJobSettings', () => {
  it('changes nothing for a job with Go’s defaults', () => {
    const { config, notes } = apply({}, {});
    expect(config.mirrors.map((m) => m.url)).toEqual(['https://proxy.golang.org']);
    expect(config.sumdb).toBe('auto');
    expect(config.noPublic).toBe('');
    expect(notes).toEqual([]);
  });

  it('merges the job’s private patterns with the input', () => {
    const { config } = apply(
      { private: 'a.example/*' },
      { GOPRIVATE: 'b.example', GONOPROXY: 'c.example,none', GONOSUMDB: 'a.example/*' },
    );
    expect(config.goprivate).toBe('a.example/*,b.example');
    expect(config.noPublic).toBe('a.example/*,b.example,c.example');
  });

  it('uses the job’s GOPROXY as the mirrors when the input is at its default', () => {
    const { config, notes } = apply(
      {},
      { GOPROXY: 'https://u:p@a.example|https://b.example,direct' },
    );
    expect(config.mirrors.map((m) => m.url)).toEqual([
      'https://u:p@a.example',
      'https://b.example',
    ]);
    expect(config.direct).toBe(true);
    expect(config.mirrorsFrom).toBe('GOPROXY');
    expect(notes[0]).toContain('GOPROXY=https://***:***@a.example|https://b.example,direct');
  });

  it('takes credentials from the job’s GOPROXY whole, and registers what is exported', () => {
    const { config, notes } = apply(
      {},
      { GOPROXY: 'https://u:Qz7,Kx=9@a.example|https://b.example' },
    );
    expect(config.mirrors.map((m) => m.url)).toEqual([
      'https://u:Qz7%2CKx%3D9@a.example',
      'https://b.example',
    ]);
    expect(notes[0]).toContain('GOPROXY=https://***:***@a.example|https://b.example ');
    expect(notes.join('\n')).not.toMatch(/Qz7|Kx/);
    expect(config.secrets).toEqual(
      expect.arrayContaining(['Qz7,Kx=9', 'Qz7%2CKx%3D9', 'u:Qz7%2CKx%3D9']),
    );
  });

  it('stops at off, as Go does, and refuses a GOPROXY that is only off', () => {
    expect(apply({}, { GOPROXY: 'https://a.example,off' }).config.direct).toBe(false);
    expect(() => apply({}, { GOPROXY: 'off' })).toThrow(InputError);
  });

  it('names GOPROXY in an error about its entries', () => {
    expect(() => apply({}, { GOPROXY: 'ftp://a.example' })).toThrow(
      'GOPROXY: "ftp://a.example" uses the unsupported scheme',
    );
  });

  it('lets an explicit mirrors input win, and says so', () => {
    const { config, notes } = apply(
      { mirrors: 'https://c.example' },
      { GOPROXY: 'https://a.example' },
    );
    expect(config.mirrors.map((m) => m.url)).toEqual(['https://c.example']);
    expect(notes[0]).toContain('is replaced by the probed chain');
  });

  it('keeps a GOSUMDB the job set, unless sumdb says otherwise', () => {
    expect(apply({}, { GOSUMDB: 'off' }).config.sumdb).toBe('off');
    expect(apply({}, { GOSUMDB: 'sum.golang.org', gosumdbSet: true }).config.sumdb).toBe(
      'sum.golang.org',
    );
    const replaced = apply({ sumdb: 'sum.golang.google.cn' }, { GOSUMDB: 'off' });
    expect(replaced.config.sumdb).toBe('sum.golang.google.cn');
    expect(replaced.notes[0]).toContain('GOSUMDB=off from the job');
  });
});

describe('mergePatterns', () => {
  it('joins, dedupes and drops none/off', () => {
    expect(mergePatterns('a,b', 'none', ' b , c ', '')).toBe('a,b,c');
  });
});
