import { describe, expect, it } from '@jest/globals';
import { parseManifest, type BundleFile } from '../../../src/bundle/manifest.js';
import { bundleManifest } from '../../support/bundle-files.js';

describe('parseManifest', () => {
  it('names the manifest field that is wrong', () => {
    expect(() => parseManifest('{"format":"go-resilient-setup-bundle/9"}')).toThrow(
      'manifest.json: format is "go-resilient-setup-bundle/9"; this version reads go-resilient-setup-bundle/1',
    );
    const listing = (files: BundleFile[]) => () => parseManifest(bundleManifest(files).toString());
    expect(listing([{ path: 'a', size: -1, sha256: 'x' }])).toThrow(
      'manifest.json: files[0].size must be a whole number of bytes',
    );
    const file = { path: 'modules/a.zip', size: 1, sha256: 'a'.repeat(64) };
    expect(listing([file, { ...file, size: 2 }])).toThrow(
      'manifest.json: files[1].path "modules/a.zip" is listed before',
    );
  });
});
