// Makes a govulncheck pin from golang/vuln's go.mod and go.sum at a tag and x/vuln's own go.sum
// lines. Why those lines and no others:
//
// The build module (buildModuleFiles) requires golang.org/x/vuln and every requirement of
// golang/vuln's go.mod at the same versions. x/vuln's go.mod lists exactly those requirements,
// so loading it adds no edge the build module does not already have: the build's module graph
// is golang/vuln's own graph, plus x/vuln. golang/vuln's go.sum is tidy, so it holds what that
// graph needs. From it the pin keeps
//   - the zip and /go.mod lines of every selected version (each requirement),
//   - the /go.mod lines of other versions: graph nodes whose go.mod Go reads (go-cmdtest, whose
//     go line predates graph pruning, requires go-cmp v0.3.1, so go-cmp v0.3.1/go.mod is one),
// and drops zip lines of versions that are not selected: Go never downloads those. x/vuln's
// own two lines come from x-vuln.sum. Nested modules (golang.org/x/tools/go/expect) are
// modules like any other here: each has its own requirement and lines.
import { hashGoMod } from '../gomod/dirhash.js';
import { parseGoSum, type GoSumLine } from '../gomod/gosum.js';
import { parseGoMod, type GoModFile } from '../gomod/modfile.js';
import { compareModuleVersions } from '../gomod/semver.js';
import { VULN_MODULE, type GovulncheckPin, type PinTable } from './govulncheck-pins.js';
import { compareReleases, normaliseRelease } from '../util/release-version.js';

export interface ReleaseFiles {
  /** The govulncheck release, e.g. `v1.6.0`. */
  version: string;
  /** golang/vuln's go.mod at that tag. */
  goMod: string;
  /** golang/vuln's go.sum at that tag. */
  goSum: string;
  /** golang.org/x/vuln's own zip and /go.mod lines at that version. */
  vulnSum: string;
  /** Where vulnSum's lines come from (published, computed, ...), recorded in the pin. */
  vulnSumSource?: string;
}

export interface PinFromRelease {
  pin: GovulncheckPin;
  /** go.sum lines left out: zip lines of versions the build does not select. */
  dropped: string[];
}

/** Builds the pin; throws one error listing every problem found. */
export function pinFromRelease(files: ReleaseFiles): PinFromRelease {
  const problems: string[] = [];
  const { version } = files;
  if (!normaliseRelease(version) || !version.startsWith('v')) {
    throw new Error(`"${version}" is not a govulncheck release tag such as v1.6.0`);
  }
  const goMod = parseGoMod(files.goMod);
  const require = requirementsOf(goMod, problems);
  const sums = parseGoSum(files.goSum);
  const vuln = vulnLinesOf(files, problems);
  const { kept, dropped } = keptSums(sums, require, problems);
  if (problems.length > 0) {
    throw new Error(
      `cannot pin govulncheck ${version}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }

  require.set(VULN_MODULE, version);
  const lines = [...kept.values(), vuln.zip, vuln.mod]
    .map((l) => ({
      path: l.module,
      version: l.kind === 'mod' ? `${l.version}/go.mod` : l.version,
      hash: l.hash,
    }))
    .sort(compareModuleVersions);
  return {
    pin: {
      go: goMod.go!,
      source: sourceNote(version, files.vulnSumSource),
      require: Object.fromEntries([...require].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      sum: lines.map((l) => `${l.path} ${l.version} ${l.hash}`),
    },
    dropped,
  };
}

/** golang/vuln's requirements, path to version; what the build module cannot copy is a problem. */
function requirementsOf(goMod: GoModFile, problems: string[]): Map<string, string> {
  if (goMod.module !== VULN_MODULE) {
    problems.push(`go.mod is the go.mod of ${goMod.module ?? 'no module'}, not of ${VULN_MODULE}`);
  }
  if (!goMod.go) problems.push('go.mod has no go directive, so the Go it needs is unknown');
  // Only the main module's replace and exclude lines count, and the build module is not this one.
  for (const line of [...goMod.replace, ...goMod.exclude]) {
    problems.push(`go.mod has "${line}", which the build module cannot reproduce`);
  }
  const require = new Map<string, string>();
  for (const r of goMod.require) {
    const known = require.get(r.path);
    if (r.path === VULN_MODULE) problems.push(`go.mod requires ${VULN_MODULE} itself`);
    else if (known && known !== r.version) {
      problems.push(`go.mod requires ${r.path} twice, at ${known} and ${r.version}`);
    } else require.set(r.path, r.version);
  }
  return require;
}

/**
 * x/vuln's own zip and /go.mod lines from x-vuln.sum (undefined only when a problem says
 * why), checked against golang/vuln's go.mod.
 */
function vulnLinesOf(files: ReleaseFiles, problems: string[]): { zip: GoSumLine; mod: GoSumLine } {
  const { version } = files;
  const vulnLines = parseGoSum(files.vulnSum, 'x-vuln.sum');
  const ours = (l: GoSumLine) => l.module === VULN_MODULE && l.version === version;
  for (const l of vulnLines.filter((l) => !ours(l))) {
    problems.push(
      `x-vuln.sum has a line for ${l.module} ${l.version}${l.kind === 'mod' ? '/go.mod' : ''}; it may only hold ${VULN_MODULE} ${version}`,
    );
  }
  const vulnZip = vulnLines.filter((l) => ours(l) && l.kind === 'zip');
  const vulnMod = vulnLines.filter((l) => ours(l) && l.kind === 'mod');
  if (vulnZip.length !== 1) {
    problems.push(`x-vuln.sum needs one zip line (h1) for ${VULN_MODULE} ${version}`);
  }
  if (vulnMod.length !== 1) {
    problems.push(`x-vuln.sum needs one /go.mod line for ${VULN_MODULE} ${version}`);
  }
  // The /go.mod line hashes golang/vuln's go.mod at the tag: both inputs must be of one release.
  const goModHash = hashGoMod(files.goMod);
  if (vulnMod.length === 1 && vulnMod[0].hash !== goModHash) {
    problems.push(
      `x-vuln.sum's ${VULN_MODULE} ${version}/go.mod hash ${vulnMod[0].hash} is not that of the given go.mod (${goModHash}); is go.mod golang/vuln's at ${version}?`,
    );
  }
  return { zip: vulnZip[0], mod: vulnMod[0] };
}

/** The go.sum lines the pin keeps, by `module version[/go.mod]`, and those it leaves out. */
function keptSums(
  sums: GoSumLine[],
  require: Map<string, string>,
  problems: string[],
): { kept: Map<string, GoSumLine>; dropped: string[] } {
  const kept = new Map<string, GoSumLine>();
  const dropped: string[] = [];
  for (const line of sums) {
    const key = `${line.module} ${line.version}${line.kind === 'mod' ? '/go.mod' : ''}`;
    const before = kept.get(key);
    if (before && before.hash !== line.hash) {
      problems.push(`go.sum has two hashes for ${key}: ${before.hash} and ${line.hash}`);
    }
    const selected = require.get(line.module) === line.version;
    if (selected || line.kind === 'mod') kept.set(key, line);
    else dropped.push(`${key} ${line.hash}`);
  }
  for (const [path, v] of require) {
    if (!kept.has(`${path} ${v}`)) problems.push(`go.sum has no zip line (h1) for ${path} ${v}`);
    if (!kept.has(`${path} ${v}/go.mod`))
      problems.push(`go.sum has no /go.mod line for ${path} ${v}`);
  }
  return { kept, dropped };
}

function sourceNote(version: string, vulnSumSource: string | undefined): string {
  return [
    `go directive and requirements: golang/vuln go.mod at ${version} (its /go.mod h1 matches the golang.org/x/vuln line).`,
    `Sum lines: golang/vuln go.sum at ${version}, keeping the zip and /go.mod lines of every requirement and the /go.mod lines of the other versions in its module graph.`,
    `golang.org/x/vuln lines: ${vulnSumSource?.trim() || 'provenance not recorded'}.`,
  ].join(' ');
}

/**
 * Adds a pin to the table, newest version first. A pin never changes once shipped: a
 * different pin for a version the table has is refused; the same one again changes nothing,
 * and keeps the goMax the table records for it (see setGoMax).
 */
export function addPin(table: PinTable, version: string, pin: GovulncheckPin): PinTable {
  const known = table[version];
  if (known) {
    const field = (['go', 'require', 'sum', 'source'] as const).find(
      (f) => JSON.stringify(known[f]) !== JSON.stringify(pin[f]),
    );
    if (field) {
      throw new Error(
        `govulncheck ${version} is already pinned, with a different ${field}; a shipped pin is never changed. Remove it by hand first if it really is wrong.`,
      );
    }
  }
  const merged = { ...table, [version]: known ?? pin };
  return Object.fromEntries(
    Object.keys(merged)
      .sort((a, b) => compareReleases(b, a))
      .map((v) => [v, merged[v]]),
  );
}

const GO_MINOR = /^1\.(\d+)$/;

/**
 * Records the newest Go minor release that builds a pinned version, `goMax` (`1.24`: Go 1.25
 * is known to fail), with the evidence for it. Unlike the sums, this can be learned after a
 * pin ships, when a new Go release breaks an old build. A goMax the pin already has is
 * refused unless it is the same, with the same evidence.
 */
export function setGoMax(
  table: PinTable,
  version: string,
  goMax: string,
  evidence: string,
): PinTable {
  const pin = table[version];
  if (!pin) throw new Error(`govulncheck ${version} is not pinned; pin it first`);
  if (!GO_MINOR.test(goMax))
    throw new Error(`--go-max "${goMax}" is not a Go minor release such as 1.24`);
  const need = normaliseRelease(pin.go.split('.').length === 2 ? `${pin.go}.0` : pin.go);
  if (need && compareReleases(`${goMax}.0`, need.replace(/\.\d+$/, '.0')) < 0) {
    throw new Error(
      `--go-max ${goMax} is older than the Go govulncheck ${version} needs (go ${pin.go}): no Go would build it`,
    );
  }
  const why = evidence.trim();
  if (!why) {
    throw new Error('--go-max needs --go-max-source: the evidence that the next Go release fails');
  }
  if (pin.goMax !== undefined && (pin.goMax !== goMax || pin.goMaxSource !== why)) {
    throw new Error(
      `govulncheck ${version} already records goMax ${pin.goMax}; remove it by hand first if it really is wrong`,
    );
  }
  const updated: GovulncheckPin = {
    go: pin.go,
    goMax,
    goMaxSource: why,
    ...(pin.source !== undefined && { source: pin.source }),
    require: pin.require,
    sum: pin.sum,
  };
  return { ...table, [version]: updated };
}
