// Which govulncheck to build, from what the user wrote and then from the Go the job has: the
// action's inputs and the command line's flags are judged by these same rules.
import { govulncheckFromGoMod } from './govulncheck-gomod.js';
import {
  buildableGo,
  GOVULNCHECK_PINS,
  goOutOfRange,
  goOutside,
  newestBuildable,
  pinnedVersions,
  type GovulncheckBuild,
  type GovulncheckWanted,
  type PinnedGovulncheck,
  type PinTable,
  type ProjectGovulncheck,
} from './govulncheck-pins.js';
import { normaliseRelease } from '../util/release-version.js';

/** What `govulncheck-version` takes besides a pinned release, as its problem lists them. */
const INPUT_CHOICES = ['latest', "or go.mod to build the version the project's go.mod requires"];

/**
 * A pinned release, written as `v1.1.4` or `1.1.4`. The problem names the pinned releases,
 * then `choices`: what else the caller takes.
 */
export function pinnedGovulncheck(
  raw: string,
  choices: string[] = INPUT_CHOICES,
  table: PinTable = GOVULNCHECK_PINS,
): PinnedGovulncheck | { problem: string } {
  const written = raw.trim();
  const release = normaliseRelease(written);
  const version = release && `v${release}`;
  const pin = version ? table[version] : undefined;
  if (!version || !pin) {
    return {
      problem: `govulncheck-version: "${written}" has no pinned go.mod and go.sum in this action, so it cannot be built verifiably; use one of ${[...pinnedVersions(table), ...choices].join(', ')}`,
    };
  }
  return { version, pin };
}

/** `govulncheck-version` other than `go.mod`: a pinned release, or `latest`. */
export function requestedGovulncheck(raw: string): GovulncheckWanted | { problem: string } {
  // Which release that is depends on the installed Go, so job setup resolves it.
  if (raw.trim().toLowerCase() === 'latest') return { latest: true };
  return pinnedGovulncheck(raw);
}

/**
 * `govulncheck-version: go.mod`: the version `goMod` (undefined: there is no such file) pins,
 * built in `dir`, the module directory.
 */
export function projectGovulncheck(
  goMod: string | undefined,
  file: string,
  dir: string,
): ProjectGovulncheck | { problem: string } {
  const pinned = govulncheckFromGoMod(goMod, file);
  if ('problem' in pinned) return pinned;
  return {
    version: pinned.version,
    fromGoMod: {
      dir,
      file,
      line: pinned.from,
      ...(pinned.replacedBy && { replacedBy: pinned.replacedBy }),
    },
  };
}

/**
 * The release to build for what the input asked, once the job's Go is known, or the problem
 * to fail with before anything is downloaded. `latest` comes with a note for the log and summary.
 */
export function resolveGovulncheck(
  wanted: GovulncheckWanted,
  goversion: string,
  table: PinTable = GOVULNCHECK_PINS,
): { resolved: GovulncheckBuild; note?: string } | { problem: string } {
  // The project's go directive decides what Go its build needs; Go itself says so.
  if ('fromGoMod' in wanted) return { resolved: wanted };
  if ('version' in wanted) {
    const problem = goOutOfRange(wanted.version, wanted.pin, goversion, table);
    return problem ? { problem } : { resolved: wanted };
  }
  const version = newestBuildable(goversion, table);
  if (!version) return { problem: noneBuildable(goversion, table) };
  return {
    resolved: { version, pin: table[version] },
    note: `govulncheck-version: latest is ${version}, the newest pinned release ${goversion} can build.`,
  };
}

/** Why `latest` finds no pinned release the job's Go can build. */
function noneBuildable(goversion: string, table: PinTable): string {
  const versions = pinnedVersions(table);
  const oldest = versions.at(-1)!;
  if (versions.every((v) => goOutside(table[v], goversion) === 'older')) {
    return `govulncheck-version: latest: no pinned release builds with this job's Go, ${goversion}; the oldest, ${oldest}, needs Go ${table[oldest].go} or newer. Install a newer Go before this step.`;
  }
  const ranges = versions.map((v) => `${v} with ${buildableGo(table[v])}`).join('; ');
  return `govulncheck-version: latest: no pinned release builds with this job's Go, ${goversion}. The pinned releases build: ${ranges}. Install a Go one of them builds with before this step.`;
}
