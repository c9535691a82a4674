// Jest's global set-up: finds Go once, before any test file loads, and stops the run with one
// line saying how to get Go when there is none, instead of a failure deep inside a test. The
// path it settles on reaches every test through GO_BIN, so the whole run uses one Go.
// Jest loads this file through require, without the test projects' .js-to-.ts mapping.
import { findGo, goVersion } from './go-bin';

function stop(line: string): never {
  process.stderr.write(`\n${line}\n`);
  process.exit(1);
}

export default function setUpGo(): void {
  const found = findGo();
  if (!found.ok) stop(found.problem);
  const version = goVersion(found.path);
  if (!version.ok) stop(version.problem);
  process.env.GO_BIN = found.path;
  process.stderr.write(`\nGo: ${version.version} at ${found.path} (from ${found.source})\n`);
}
