// `golangci-lint-version: go.mod`: the release the project pins in its go.mod, turned into a
// version whose archive can be verified like any other.
import { GOLANGCI_LINT_TOOL, toolVersionFromGoMod } from '../gomod/tool-versions.js';
import { normaliseRelease } from '../util/release-version.js';

/** The value of `golangci-lint-version` that reads the version from go.mod. */
export const FROM_GO_MOD = 'go.mod';

export interface GoModRelease {
  /** `2.4.0`, as archive names have it. */
  version: string;
  /** Where it was read, for the log: `app/go.mod:12: require github.com/… v2.4.0`. */
  from: string;
}

const INPUT = `golangci-lint-version: ${FROM_GO_MOD}`;
const V2 = GOLANGCI_LINT_TOOL.modules[0];
const ADD_IT = `add it with \`go get -tool ${V2.command}@v2.4.0\` (Go 1.24+; \`go get ${V2.module}@v2.4.0\` before), or set golangci-lint-version to a release such as v2.4.0`;

/**
 * The golangci-lint release that `goMod` (its text, or undefined when the file does not exist)
 * pins, or the problem to report. `file` is the go.mod as the user should read its name.
 */
export function golangciLintFromGoMod(
  goMod: string | undefined,
  file: string,
): GoModRelease | { problem: string } {
  if (goMod === undefined) {
    return {
      problem: `${INPUT}: there is no ${file}; set working-directory to the module whose go.mod requires golangci-lint, or set golangci-lint-version to a release such as v2.4.0`,
    };
  }
  const found = toolVersionFromGoMod(goMod, file, GOLANGCI_LINT_TOOL);
  if ('problem' in found) {
    const hint = found.problem === 'not-found' ? `; ${ADD_IT}` : '';
    return { problem: `${INPUT}: ${found.message}${hint}` };
  }
  const decided = found.replaceLine ?? found.requireLine;
  const from = `${file}:${decided.line}: ${decided.text}`;
  if (found.replacedBy) {
    const by = found.replacedBy.version
      ? `${found.replacedBy.path}@${found.replacedBy.version}`
      : found.replacedBy.path;
    return {
      problem: `${INPUT}: ${file}:${found.replacedBy.line}: ${found.replacedBy.text}: the project builds golangci-lint from ${by}, not from the ${found.module} release whose archive would be installed; set golangci-lint-version to the release to install`,
    };
  }
  const version = normaliseRelease(found.version);
  if (!version) {
    return {
      problem: `${INPUT}: ${from}: ${found.version} is not a release, and only releases publish the archives this action installs; require a release such as v2.4.0, or set golangci-lint-version to one`,
    };
  }
  return { version, from };
}
