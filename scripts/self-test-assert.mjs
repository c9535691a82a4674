// Checks, in a step after the action, what the self-test workflow relies on: the outputs the
// action set and the environment it exported (GOPROXY, GOSUMDB, PATH). Plain Node with no
// dependencies, so that it runs with the runner's own node on Linux, macOS and Windows; the
// end-to-end tests run it after the action on the runner harness too.
//
// Environment:
//   SELF_TEST_OUTPUTS        the action step's outputs as JSON (`toJSON(steps.<id>.outputs)`)
//   SELF_TEST_DEAD_MIRROR    the mirror listed first that refuses connections
//   SELF_TEST_MIRROR         the healthy mirror listed after it
//   SELF_TEST_GOLANGCI_LINT  the golangci-lint version asked for, e.g. v2.14.0
//   SELF_TEST_PHASE          `cold` (the first job of a run) or `warm` (the job after it)
//   GITHUB_RUN_ATTEMPT       set by the runner: a re-run's cold job may find its first
//                            attempt's caches, so only the first attempt must start cold
// Exits 1 after listing every failed check.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { delimiter, dirname, resolve } from 'node:path';

const env = process.env;
const failures = [];
let passed = 0;

/** Records one check; `detail` says what was seen when it fails. */
function check(ok, what, detail = '') {
  if (ok) {
    passed++;
    console.log(`ok    ${what}`);
  } else {
    failures.push(what);
    console.log(`FAIL  ${what}${detail ? `\n      ${detail}` : ''}`);
  }
}

function required(name) {
  const value = env[name];
  if (!value) {
    console.error(`self-test-assert: ${name} is not set`);
    process.exit(2);
  }
  return value;
}

const outputs = JSON.parse(required('SELF_TEST_OUTPUTS'));
const deadMirror = required('SELF_TEST_DEAD_MIRROR');
const mirror = required('SELF_TEST_MIRROR');
const lintVersion = required('SELF_TEST_GOLANGCI_LINT');
const phase = required('SELF_TEST_PHASE');
if (phase !== 'cold' && phase !== 'warm') {
  console.error(`self-test-assert: SELF_TEST_PHASE must be cold or warm, not ${phase}`);
  process.exit(2);
}
const out = (name) => outputs[name] ?? '';
const shown = (value) => JSON.stringify(value);

// GOPROXY: Go reads the exported variable, so the output alone proves nothing.
const goproxy = out('goproxy');
const chain = goproxy.split(/[,|]/);
check(
  env.GOPROXY === goproxy,
  'GOPROXY exported as the goproxy output',
  `GOPROXY=${shown(env.GOPROXY)}, output ${shown(goproxy)}`,
);
check(chain[0] === mirror, `GOPROXY starts with ${mirror}`, `GOPROXY=${shown(goproxy)}`);
check(
  !chain.includes(deadMirror),
  `GOPROXY leaves out the dead ${deadMirror}`,
  `GOPROXY=${shown(goproxy)}`,
);
check(chain.at(-1) === 'direct', 'GOPROXY ends with direct', `GOPROXY=${shown(goproxy)}`);

const healthy = out('healthy-mirrors').split(',');
check(
  healthy.includes(mirror),
  `healthy-mirrors holds ${mirror}`,
  `healthy-mirrors=${shown(out('healthy-mirrors'))}`,
);
check(
  !healthy.includes(deadMirror),
  `healthy-mirrors leaves out ${deadMirror}`,
  `healthy-mirrors=${shown(out('healthy-mirrors'))}`,
);

const gosumdb = out('gosumdb');
check(
  gosumdb !== '' && gosumdb !== 'off',
  'a checksum database is in use',
  `gosumdb=${shown(gosumdb)}`,
);
check(
  env.GOSUMDB === gosumdb,
  'GOSUMDB exported as the gosumdb output',
  `GOSUMDB=${shown(env.GOSUMDB)}, output ${shown(gosumdb)}`,
);

// Tools: installed where the outputs say, on PATH for later steps, and really runnable.
function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Whether a later step finds `binary` by its name: its directory is on PATH. */
function onPath(binary) {
  const fold = (p) => (process.platform === 'win32' ? resolve(p).toLowerCase() : resolve(p));
  const dir = fold(dirname(binary));
  return (env.PATH ?? env.Path ?? '')
    .split(delimiter)
    .some((entry) => entry && fold(entry) === dir);
}

function run(command, args) {
  const res = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  const text = `${res.stdout ?? ''}${res.stderr ?? ''}`;
  return {
    ok: res.status === 0,
    text,
    why: res.error?.message ?? `exit ${res.status}: ${text.trim().slice(0, 400)}`,
  };
}

const lint = out('golangci-lint-path');
check(
  out('golangci-lint-version') === lintVersion,
  `golangci-lint-version is ${lintVersion}`,
  `golangci-lint-version=${shown(out('golangci-lint-version'))}`,
);
check(isFile(lint), 'golangci-lint-path is a file', `golangci-lint-path=${shown(lint)}`);
check(onPath(lint), "golangci-lint's directory is on PATH", `golangci-lint-path=${shown(lint)}`);
if (isFile(lint)) {
  const version = run(lint, ['version']);
  const says = new RegExp(
    `has version v?${lintVersion.replace(/^v/, '').replace(/\./g, '\\.')}\\b`,
  );
  check(
    version.ok && says.test(version.text),
    `golangci-lint version runs and says ${lintVersion}`,
    version.why,
  );
}

const vuln = out('govulncheck-path');
const vulnVersion = out('govulncheck-version');
check(
  /^v\d+\.\d+\.\d+$/.test(vulnVersion),
  'govulncheck-version names a release',
  `govulncheck-version=${shown(vulnVersion)}`,
);
check(isFile(vuln), 'govulncheck-path is a file', `govulncheck-path=${shown(vuln)}`);
check(onPath(vuln), "govulncheck's directory is on PATH", `govulncheck-path=${shown(vuln)}`);
if (isFile(vuln)) {
  // The build information says what was built; `-h` runs it without a scan or the network.
  const info = run('go', ['version', '-m', vuln]);
  const release = vulnVersion.replace(/\./g, '\\.');
  check(
    info.ok &&
      /^\s*path\s+golang\.org\/x\/vuln\/cmd\/govulncheck\s*$/m.test(info.text) &&
      new RegExp(`^\\s*(mod|dep)\\s+golang\\.org/x/vuln\\s+${release}(\\s|$)`, 'm').test(info.text),
    `govulncheck-path is golang.org/x/vuln/cmd/govulncheck built from golang.org/x/vuln ${vulnVersion}`,
    info.why,
  );
  const help = run(vuln, ['-h']);
  check(help.ok, 'govulncheck -h runs', help.why);
}

// Caches: the cold job of a run's first attempt starts empty; the warm job restores what the
// cold job saved.
const cacheKey = out('cache-key');
check(cacheKey !== '', 'cache-key is set');
if (phase === 'warm') {
  check(
    out('cache-hit') === 'true',
    'cache-hit is true',
    `cache-hit=${shown(out('cache-hit'))}, cache-matched-key=${shown(out('cache-matched-key'))}`,
  );
  check(
    out('cache-matched-key') === cacheKey,
    'cache-matched-key is cache-key',
    `cache-matched-key=${shown(out('cache-matched-key'))}, cache-key=${shown(cacheKey)}`,
  );
  check(
    out('build-cache-hit') === 'true',
    'build-cache-hit is true',
    `build-cache-hit=${shown(out('build-cache-hit'))}, build-cache-matched-key=${shown(out('build-cache-matched-key'))}`,
  );
} else if ((env.GITHUB_RUN_ATTEMPT ?? '1') === '1') {
  check(
    out('cache-hit') === 'false',
    'cache-hit is false in a cold job',
    `cache-hit=${shown(out('cache-hit'))}`,
  );
  check(
    out('build-cache-hit') === 'false',
    'build-cache-hit is false in a cold job',
    `build-cache-hit=${shown(out('build-cache-hit'))}`,
  );
  check(
    out('build-cache-matched-key') === '',
    'no build cache is restored in a cold job',
    `build-cache-matched-key=${shown(out('build-cache-matched-key'))}`,
  );
} else {
  console.log(
    `skip  cold caches: run attempt ${env.GITHUB_RUN_ATTEMPT} may restore an earlier attempt's`,
  );
}

console.log(`self-test-assert: ${passed} checks passed, ${failures.length} failed`);
if (failures.length > 0) process.exit(1);
