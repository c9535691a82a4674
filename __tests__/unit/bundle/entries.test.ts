// The decisions made on each entry of a bundle as it streams, before anything is written.
import { describe, expect, it } from '@jest/globals';
import {
  entryPlan,
  entryProblem,
  firstEntryProblem,
  MAX_MANIFEST_BYTES,
  planProblem,
} from '../../../src/bundle/entries.js';
import { BUNDLE_FORMAT, type Manifest } from '../../../src/bundle/manifest.js';

const SHA = 'a'.repeat(64);
const manifest: Manifest = {
  format: BUNDLE_FORMAT,
  createdAt: 'now',
  createdBy: 'test',
  files: [
    { path: 'modules/example.com/m/@v/v1.0.0.zip', size: 300, sha256: SHA },
    { path: 'modules/example.com/m/@v/v1.0.0.mod', size: 20, sha256: SHA },
    {
      path: 'tools/golangci-lint/v2.4.0/golangci-lint-2.4.0-linux-amd64.tar.gz',
      size: 1000,
      sha256: SHA,
    },
  ],
  modules: [],
  tools: [],
};
const plan = entryPlan(manifest);

describe('entries of a bundle', () => {
  it('plans the listed files, the directories they are in and their bytes', () => {
    expect([...plan.dirs].sort()).toEqual([
      'modules',
      'modules/example.com',
      'modules/example.com/m',
      'modules/example.com/m/@v',
      'tools',
      'tools/golangci-lint',
      'tools/golangci-lint/v2.4.0',
    ]);
    expect(plan.bytes).toBe(1320);
  });

  it("takes only manifest.json first, and only one of a manifest's size", () => {
    expect(firstEntryProblem({ path: 'manifest.json', size: 500, type: 'file' })).toBeUndefined();
    expect(firstEntryProblem({ path: 'modules', size: 0, type: 'directory' })).toBe(
      "modules: the archive's first entry; manifest.json must come first (go-resilient-setup bundle writes it first), so that every entry is checked against it before it is written",
    );
    expect(firstEntryProblem({ path: 'manifest.json', size: 0, type: 'directory' })).toContain(
      'manifest.json must come first',
    );
    expect(
      firstEntryProblem({ path: 'manifest.json', size: MAX_MANIFEST_BYTES + 1, type: 'file' }),
    ).toBe(
      `manifest.json: ${MAX_MANIFEST_BYTES + 1} bytes, more than a manifest ever is (${MAX_MANIFEST_BYTES})`,
    );
  });

  it('takes a listed file at its listed size, and a directory a listed file is in', () => {
    const zip = manifest.files[0].path;
    expect(entryProblem(plan, { path: zip, size: 300, type: 'file' })).toBeUndefined();
    expect(
      entryProblem(plan, { path: 'modules/example.com', size: 0, type: 'directory' }),
    ).toBeUndefined();
    expect(entryProblem(plan, { path: zip, size: 301, type: 'file' })).toBe(
      `${zip}: 301 bytes, the manifest says 300`,
    );
    expect(
      entryProblem(plan, { path: 'modules/example.com/m/@v/list', size: 5, type: 'file' }),
    ).toBe('modules/example.com/m/@v/list: in the bundle but not listed in manifest.json');
    // A listed file's path as a directory, and a directory beside the listed ones.
    expect(entryProblem(plan, { path: zip, size: 0, type: 'directory' })).toBe(
      `${zip}/: a directory that holds no file listed in manifest.json`,
    );
    expect(entryProblem(plan, { path: 'bin', size: 0, type: 'directory' })).toContain('bin/: ');
    expect(entryProblem(plan, { path: 'modules', size: 0, type: 'file' })).toContain(
      'modules: in the bundle but not listed',
    );
  });

  it('refuses a manifest whose files and itself do not fit under the cap', () => {
    const cap = { bytes: 1999, setting: 'offline-bundle-max-size' };
    expect(planProblem(plan, 679, cap)).toBeUndefined();
    expect(planProblem(plan, 680, cap)).toBe(
      'manifest.json: its files and itself come to 2000 bytes, over the cap of 1999 bytes; raise offline-bundle-max-size if the bundle is meant to be this large',
    );
  });
});
