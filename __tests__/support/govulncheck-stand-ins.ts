// Stand-ins for the newest pinned govulncheck, and for the release `latest` picks when the Go
// under test is too old for it, at exactly their pinned module paths and versions; with pins
// of the stand-ins for a copy of the action to build from (see action-copy.ts).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pinFromRelease } from '../../src/tools/govulncheck-pin-from-release.js';
import {
  GOVULNCHECK_PINS,
  goOutOfRange,
  type GovulncheckPin,
} from '../../src/tools/govulncheck-pins.js';
import { GO_BIN, tidyApp, writeProxyTree, type FixtureModule } from './gomodules.js';
import { rehashPin, standInRelease, sumLines, vulnModule } from './vuln-fixtures.js';

export const NEWEST = 'v1.6.0';
/** The newest pinned release an older Go (1.22 to 1.24) can build. */
export const NEWEST_BEFORE_GO_1_25 = 'v1.1.4';
export const goversion = spawnSync(GO_BIN, ['env', 'GOVERSION'], {
  encoding: 'utf8',
}).stdout.trim();
export const goIsNewEnough =
  goOutOfRange(NEWEST, GOVULNCHECK_PINS[NEWEST], goversion) === undefined;
/** What `latest` must resolve to with the Go under test. */
export const LATEST = goIsNewEnough ? NEWEST : NEWEST_BEFORE_GO_1_25;

export interface GovulncheckStandIns {
  /** Every module a mirror must serve: golang.org/x/vuln and its dependencies. */
  modules: FixtureModule[];
  /** Pins of the stand-ins, by release: NEWEST when this Go can build it, else LATEST. */
  pins: Record<string, GovulncheckPin>;
}

/**
 * With a Go that can build NEWEST, its pin is made the way update-govulncheck-pins makes the
 * real ones: from the go.mod and go.sum that the real `go mod tidy` writes for a stand-in
 * golang/vuln, and x/vuln's own lines. With an older Go, LATEST's pin is the shipped one's
 * lines with the stand-ins' hashes. `workDir` is scratch space.
 */
export function govulncheckStandIns(workDir: string): GovulncheckStandIns {
  const newest = standInRelease(NEWEST, GOVULNCHECK_PINS[NEWEST]);
  const older = LATEST === NEWEST ? undefined : standInRelease(LATEST, GOVULNCHECK_PINS[LATEST]);
  const modules: FixtureModule[] = [...newest.deps, ...(older?.deps ?? [])];
  const pins: Record<string, GovulncheckPin> = {};

  let newestRepo = newest.repo;
  if (goIsNewEnough) {
    // golang/vuln's go.mod and go.sum at the tag, as the real go writes them.
    const proxyDir = join(workDir, 'tidy-proxy');
    writeProxyTree(proxyDir, newest.deps);
    const repoDir = join(workDir, 'golang-vuln');
    for (const [name, text] of Object.entries(newest.repo)) {
      mkdirSync(dirname(join(repoDir, name)), { recursive: true });
      writeFileSync(join(repoDir, name), text);
    }
    tidyApp(repoDir, proxyDir);
    const goMod = readFileSync(join(repoDir, 'go.mod'), 'utf8');
    const goSum = readFileSync(join(repoDir, 'go.sum'), 'utf8');
    newestRepo = { ...newest.repo, 'go.mod': goMod, 'go.sum': goSum };
    const vuln = vulnModule(NEWEST, newestRepo);
    pins[NEWEST] = pinFromRelease({
      version: NEWEST,
      goMod,
      goSum,
      vulnSum: sumLines(vuln).join('\n'),
      vulnSumSource: 'stand-in',
    }).pin;
  }
  modules.push(vulnModule(NEWEST, newestRepo));
  if (older) {
    const olderVuln = vulnModule(LATEST, older.repo);
    modules.push(olderVuln);
    pins[LATEST] = rehashPin(GOVULNCHECK_PINS[LATEST], [olderVuln, ...older.deps]);
  }
  return { modules, pins };
}
