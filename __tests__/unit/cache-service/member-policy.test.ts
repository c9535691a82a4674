// A Windows runner checks the repository out on D: (D:\a\repo\repo) while Go keeps its module
// cache on C: (C:\Users\runneradmin\go\pkg\mod). No relative path leads from the workspace to
// the cache, so @actions/cache writes the cache's members under its absolute path, with `/`.
// The restore must expect exactly that prefix, and refuse anything that climbs out of it.
import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { memberPrefix, placeMember } from '../../../src/cache-service/member-policy.js';
import { expandHome } from '../../../src/cache-service/paths.js';
import { buildCacheRoots } from '../../../src/buildcache/roots.js';
import { snapshotPath } from '../../../src/modcache/layout.js';

const HOME = 'C:\\Users\\runneradmin';
const WORKSPACE = 'D:\\a\\repo\\repo';
const GOMODCACHE = 'C:\\Users\\runneradmin\\go\\pkg\\mod';
const PREFIX = 'C:/Users/runneradmin/go/pkg/mod/cache/download';

/** The member prefix the restore expects for a path handed to the toolkit. */
const prefixFor = (cachePath: string, workspace = WORKSPACE) =>
  memberPrefix(workspace, expandHome(cachePath, HOME, path.win32), path.win32);

describe('a module cache on another drive than the workspace', () => {
  it('is saved as ~/… and its members carry the absolute C:/… prefix', () => {
    const handed = snapshotPath(GOMODCACHE, HOME, path.win32);
    expect(handed).toBe('~/go/pkg/mod/cache/download');
    expect(prefixFor(handed)).toBe(PREFIX);
  });

  it('places members under that prefix into the snapshot', () => {
    expect(placeMember(`${PREFIX}/`, [PREFIX])).toEqual({ index: 0, rel: '' });
    expect(placeMember(`${PREFIX}/golang.org/x/mod/@v/v0.20.0.zip`, [PREFIX])).toEqual({
      index: 0,
      rel: 'golang.org/x/mod/@v/v0.20.0.zip',
    });
  });

  it.each([
    [`${PREFIX}/../../../../.ssh/id_ed25519`, /"\.\."/],
    [`${PREFIX}/golang.org/../../../../../x`, /"\.\."/],
    [`${PREFIX}/./x`, /"\."/],
    [`${PREFIX}//x`, /empty/],
    ['C:/Users/runneradmin/.ssh/id_ed25519', /absolute name outside/],
    ['C:/Users/runneradmin/go/pkg/mod/cache/downloads/x', /absolute name outside/],
    ['D:/a/repo/repo/.git/config', /absolute name outside/],
    ['/Users/runneradmin/go/pkg/mod/cache/download/x', /absolute name outside/],
    // The same directory spelled relative to D:, or with another case, is not what was saved.
    ['../../../Users/runneradmin/go/pkg/mod/cache/download/x', /outside/],
    ['c:/users/runneradmin/go/pkg/mod/cache/download/x', /absolute name outside/],
    ['C:\\Users\\runneradmin\\go\\pkg\\mod\\cache\\download\\x', /backslash/],
    [`${PREFIX}/x\\..\\..\\y`, /backslash/],
  ])('refuses %s', (name, why) => {
    const placed = placeMember(name, [PREFIX]);
    expect(placed).toHaveProperty('refused');
    expect((placed as { refused: string }).refused).toMatch(why);
  });
});

describe('the build cache on a Windows runner', () => {
  it("gets C:/… prefixes for GOCACHE and golangci-lint's cache, and members land under each", () => {
    const local = `${HOME}\\AppData\\Local`;
    const roots = buildCacheRoots(
      `${local}\\go-build`,
      true,
      { LOCALAPPDATA: local },
      'win32',
      HOME,
    );
    const prefixes = roots.map((r) => prefixFor(r.archivePath));
    expect(prefixes).toEqual([
      'C:/Users/runneradmin/AppData/Local/go-build',
      'C:/Users/runneradmin/AppData/Local/golangci-lint',
    ]);
    expect(placeMember(`${prefixes[1]}/ab/abcdef-a`, prefixes)).toEqual({
      index: 1,
      rel: 'ab/abcdef-a',
    });
    expect(placeMember(`${prefixes[0]}/../golangci-lint/x`, prefixes)).toHaveProperty('refused');
  });
});

describe('a workspace on the same drive as the cache', () => {
  it('gets a relative prefix, as on Linux and macOS', () => {
    const workspace = 'C:\\actions-runner\\_work\\repo\\repo';
    expect(prefixFor('~/go/pkg/mod/cache/download', workspace)).toBe(
      '../../../../Users/runneradmin/go/pkg/mod/cache/download',
    );
    expect(
      placeMember(`${PREFIX}/x`, ['../../../../Users/runneradmin/go/pkg/mod/cache/download']),
    ).toHaveProperty('refused');
  });
});
