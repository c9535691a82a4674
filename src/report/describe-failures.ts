import type { GoError } from '../prefetch/types.js';
import type { ProbedMirror } from '../proxy/chain.js';

/** One line per mirror for the failure message: every mirror and why it was rejected. */
export function describeMirrors(probed: readonly ProbedMirror[]): string {
  return probed
    .map(
      (p) =>
        `  - ${p.mirror.display}: ${p.health.verdict}${p.health.reason ? ` (${p.health.reason})` : ''}`,
    )
    .join('\n');
}

/** Go's own words for each directory where `go mod download` failed, for the failure message. */
export function describeGoErrors(errors: readonly GoError[]): string {
  return errors
    .map((e) => {
      const newer = e.lines.map((l) => /requires go >= (\S+)/.exec(l)?.[1]).find(Boolean);
      const hint = newer
        ? `\n  Install Go ${newer} or later before this step (for example actions/setup-go with go-version-file: go.mod).`
        : '';
      return `go in ${e.dir} said:\n${e.lines.map((l) => `    ${l}`).join('\n')}${hint}`;
    })
    .join('\n');
}
