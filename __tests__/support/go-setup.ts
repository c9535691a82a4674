// Jest's global set-up: settles on one Go before any test file loads, unpacking the newest
// supported release when there is none, and stops the run with one line saying how to get Go
// when that fails, instead of a failure deep inside a test. The path it settles on reaches
// every test through GO_BIN, so the whole run uses one Go.
// Jest loads this file through require, without the test projects' .js-to-.ts mapping.
import { settleGo } from './go-install';

function stop(line: string): never {
  process.stderr.write(`\n${line}\n`);
  process.exit(1);
}

export default function setUpGo(_global: unknown, project: { rootDir: string }): void {
  const go = settleGo({
    repoRoot: project.rootDir,
    say: (line) => process.stderr.write(`\n${line}\n`),
  });
  if (!go.ok) stop(go.problem);
  process.env.GO_BIN = go.path;
  process.stderr.write(`\nGo: ${go.version} at ${go.path} (from ${go.source})\n`);
}
