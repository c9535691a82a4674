import { describe, expect, it } from '@jest/globals';
import {
  exportSet,
  jobSettings,
  MARKER,
  replacedPatterns,
  withUserSettings,
} from '../../../src/config/job-env.js';

describe('jobSettings and exportSet', () => {
  it('takes the job environment as the user settings on the first call', () => {
    const job = jobSettings({ GOPRIVATE: 'corp.example/*', GOPROXY: ' ' });
    expect(job.user).toEqual({ GOPRIVATE: 'corp.example/*' });
    expect(job.before).toEqual(job.user);
  });

  it('exports every managed variable, resetting what this call does not set', () => {
    const job = jobSettings({ GONOPROXY: 'corp.example/*' });
    const out = exportSet(job, { GOPROXY: 'https://a.example' });
    expect(out).toMatchObject({
      GOPROXY: 'https://a.example',
      GOSUMDB: '',
      GOPRIVATE: '',
      GONOPROXY: 'corp.example/*',
    });
    expect(JSON.parse(out[MARKER])).toEqual({
      before: { GONOPROXY: 'corp.example/*' },
      exported: {
        GOPROXY: 'https://a.example',
        GOSUMDB: '',
        GOPRIVATE: '',
        GONOPROXY: 'corp.example/*',
      },
    });
  });

  it('sees through its own earlier exports on a second call', () => {
    const first = exportSet(jobSettings({}), { GOPROXY: 'https://a.example', GONOPROXY: 'none' });
    const env = { ...first };
    const again = jobSettings(env);
    expect(again.user).toEqual({});
    expect(exportSet(again, { GOPROXY: 'https://b.example' }).GONOPROXY).toBe('');
  });

  it('treats a value changed since the last export as the job’s own', () => {
    const first = exportSet(jobSettings({}), { GOPROXY: 'https://a.example' });
    const again = jobSettings({ ...first, GOPRIVATE: 'corp.example/*' });
    expect(again.user).toEqual({ GOPRIVATE: 'corp.example/*' });
  });

  it('ignores a marker it cannot read', () => {
    expect(jobSettings({ [MARKER]: '{oops', GOPROXY: 'off' }).user).toEqual({ GOPROXY: 'off' });
  });

  it('gives the action’s go commands the job’s settings only', () => {
    const env = withUserSettings({ GONOPROXY: 'none', PATH: '/bin' }, { user: {}, before: {} });
    expect(env).toEqual({ PATH: '/bin' });
  });
});

describe('replacedPatterns', () => {
  it('names each pattern setting exported differently from the job’s', () => {
    expect(
      replacedPatterns(
        { GONOPROXY: 'corp.example/*', GOPRIVATE: 'a.example' },
        { GONOPROXY: 'none', GOPRIVATE: 'a.example' },
      ),
    ).toEqual([
      "GONOPROXY=corp.example/* from the job's environment is exported as GONOPROXY=none.",
    ]);
    expect(replacedPatterns({}, { GONOPROXY: 'none' })).toEqual([]);
  });
});
