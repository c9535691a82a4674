// The inputs about tools: where release archives come from, and which golangci-lint and
// govulncheck to install. What each version resolves to is the tools' own rules.
import { FROM_GO_MOD } from '../tools/golangci-lint-gomod.js';
import { UPSTREAM_RELEASES } from '../tools/golangci-lint-release.js';
import type { Mirror } from '../proxy/mirror.js';
import type { GovulncheckWanted } from '../tools/govulncheck-pins.js';
import {
  lintChecksum,
  lintRelease,
  lintReleaseFromGoMod,
  resolveGolangciLint,
} from '../tools/resolve-golangci-lint.js';
import { projectGovulncheck, requestedGovulncheck } from '../tools/resolve-govulncheck.js';
import { splitUrlList } from '../util/list.js';
import type { InputName, RawInputs } from './inputs.js';
import { parseMirrorUrl } from './parse-mirror-list.js';
import type { ProjectGoMod } from './read-files.js';
import type { GolangciLintConfig } from './types.js';

/** The project's go.mod, read once when first asked; undefined when there is no project directory. */
export type GoModReader = () => ProjectGoMod | undefined;

export function parseToolMirrors(raw: string, problems: string[]): Mirror[] {
  const mirrors: Mirror[] = [];
  for (const entry of splitUrlList(raw)) {
    const mirror = parseMirrorUrl('tool-mirrors', entry, false, problems, UPSTREAM_RELEASES);
    if (mirror) mirrors.push(mirror);
  }
  if (mirrors.length === 0 && splitUrlList(raw).length === 0) {
    problems.push(
      `tool-mirrors: at least one base URL is required (default: ${UPSTREAM_RELEASES})`,
    );
  }
  return mirrors;
}

export function parseGolangciLint(
  raw: RawInputs,
  problems: string[],
  goMod: GoModReader,
): GolangciLintConfig | undefined {
  const rawVersion = raw['golangci-lint-version'].trim();
  const checksum = lintChecksum(raw['golangci-lint-checksum']);
  if ('problem' in checksum) problems.push(checksum.problem);
  if (!rawVersion) {
    if (raw['golangci-lint-checksum'].trim()) {
      problems.push(
        'golangci-lint-checksum: set without golangci-lint-version; say which version it is the checksum of',
      );
    }
    return undefined;
  }
  const release =
    rawVersion === FROM_GO_MOD
      ? fromGoMod('golangci-lint-version', goMod, (p) => lintReleaseFromGoMod(p.text, p.file))
      : lintRelease(rawVersion);
  if (!kept(release, problems) || 'problem' in checksum) return undefined;
  const resolved = resolveGolangciLint(release, checksum.sha256);
  return kept(resolved, problems) ? resolved : undefined;
}

export function parseGovulncheck(
  raw: string,
  problems: string[],
  goMod: GoModReader,
): GovulncheckWanted | undefined {
  const rawVersion = raw.trim();
  if (!rawVersion) return undefined;
  const wanted =
    rawVersion === FROM_GO_MOD
      ? fromGoMod('govulncheck-version', goMod, (p) => projectGovulncheck(p.text, p.file, p.dir))
      : requestedGovulncheck(rawVersion);
  return kept(wanted, problems) ? wanted : undefined;
}

/**
 * `<input>: go.mod`: what `pinned` reads from the project's go.mod. Undefined when there is no
 * project directory: that is reported with working-directory.
 */
function fromGoMod<T>(
  input: InputName,
  goMod: GoModReader,
  pinned: (project: ProjectGoMod) => T | { problem: string },
): T | { problem: string } | undefined {
  const project = goMod();
  if (!project) return undefined;
  if (project.unreadable) {
    return { problem: `${input}: go.mod: cannot read ${project.file}: ${project.unreadable}` };
  }
  return pinned(project);
}

/** Whether `result` is a value, recording its problem when it is one. */
function kept<T extends object>(
  result: T | { problem: string } | undefined,
  problems: string[],
): result is T {
  if (result === undefined) return false;
  if ('problem' in result) {
    problems.push(result.problem);
    return false;
  }
  return true;
}
