// `govulncheck-version: go.mod`: the golang.org/x/vuln version the project's go.mod pins. The
// binary is then built inside the project's module, so Go selects every dependency as the
// project's own build would and checks each download against the project's go.sum.
import { GOVULNCHECK_TOOL, toolVersionFromGoMod } from '../gomod/tool-versions.js';

export interface GoModGovulncheck {
  /** As go.mod has it: a release, pre-release or pseudo-version of golang.org/x/vuln. */
  version: string;
  /** Where it was read, for the log: `app/go.mod:12: require golang.org/x/vuln v1.1.4`. */
  from: string;
  /** A `replace` by another module the build will use instead, as `path@version`. */
  replacedBy?: string;
}

const INPUT = 'govulncheck-version: go.mod';
const { module: VULN, command } = GOVULNCHECK_TOOL.modules[0];
const ADD_IT = `add it with \`go get -tool ${command}@v1.1.4\` (Go 1.24+; \`go get ${VULN}@v1.1.4\` before), or set govulncheck-version to a pinned release such as v1.1.4`;

/**
 * The govulncheck version that `goMod` (its text, or undefined when the file does not exist)
 * pins, or the problem to report. `file` is the go.mod as the user should read its name.
 */
export function govulncheckFromGoMod(
  goMod: string | undefined,
  file: string,
): GoModGovulncheck | { problem: string } {
  if (goMod === undefined) {
    return {
      problem: `${INPUT}: there is no ${file}; set working-directory to the module whose go.mod requires ${VULN}, or set govulncheck-version to a pinned release such as v1.1.4`,
    };
  }
  const found = toolVersionFromGoMod(goMod, file, GOVULNCHECK_TOOL);
  if ('problem' in found) {
    const hint = found.problem === 'not-found' ? `; ${ADD_IT}` : '';
    return { problem: `${INPUT}: ${found.message}${hint}` };
  }
  const decided = found.replaceLine ?? found.requireLine;
  const from = `${file}:${decided.line}: ${decided.text}`;
  if (found.replacedBy && found.replacedBy.version === undefined) {
    // A directory's contents are not in go.sum: nothing would check what gets built.
    return {
      problem: `${INPUT}: ${file}:${found.replacedBy.line}: ${found.replacedBy.text}: the project builds ${VULN} from the directory ${found.replacedBy.path}, which no go.sum line verifies; set govulncheck-version to a pinned release, or replace it by a module version`,
    };
  }
  return {
    version: found.version,
    from,
    ...(found.replacedBy && {
      replacedBy: `${found.replacedBy.path}@${found.replacedBy.version}`,
    }),
  };
}
