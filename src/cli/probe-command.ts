import { findProject } from '../gomod/find-project.js';
import { consoleLog } from '../host/console-log.js';
import { downloadDir } from '../modcache/layout.js';
import { probeMirrors } from '../proxy/probe-mirrors.js';
import { parseFlags, type FlagSpec } from './flags.js';
import { probeSetup, PROBE_INPUT_FLAGS, type ProbeInputFlag } from './probe-config.js';
import { probeJson, probeText } from './probe-report.js';

export const PROBE_USAGE = `Usage: go-resilient-setup probe [flags]

Probes the GOPROXY mirrors for the Go project in --dir, as the action does in a job, and
prints each mirror's verdict, the GOPROXY chain and the GOSUMDB the action would export.
Nothing is downloaded into the module cache and nothing is exported.

Flags (lists take commas or newlines):
  --mirrors LIST          mirrors to probe, in order; default: go env GOPROXY
  --private-mirrors LIST  proxies that serve private modules
  --private PATTERNS      GOPRIVATE patterns, added to go env GOPRIVATE/GONOPROXY/GONOSUMDB
  --sumdb VALUE           auto (default) or a GOSUMDB value; default: go env GOSUMDB if set
  --probe-timeout SECONDS seconds each mirror has to answer (default 5)
  --dir DIR               the Go project (default: the current directory)
  --json                  print one JSON object instead of the table
  --verbose               log each step on stderr

Exit status: 0 when a usable GOPROXY chain exists, 1 when none does, 2 for a usage error.
HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured.`;

const SPEC: FlagSpec = {
  ...(Object.fromEntries(
    Object.keys(PROBE_INPUT_FLAGS).map((f) => [f, { type: 'string' }]),
  ) as FlagSpec),
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
};

/**
 * `probe`: the action's probe phases and nothing after them: no prefetch, no cache, no tools,
 * no exports. Returns the exit status.
 */
export async function probeCommand(argv: string[], print: (text: string) => Promise<void>) {
  const flags = parseFlags(argv, SPEC);
  const log = consoleLog(flags.verbose === true);
  const { config, goEnv } = probeSetup(
    flags as Partial<Record<ProbeInputFlag, string>>,
    process.env,
    process.cwd(),
  );
  if (config.noPublic)
    log.info(`Private paths (never sent to a public mirror): ${config.noPublic}`);
  const project = await findProject(config, log);
  const { probed, outcome, probeTarget } = await probeMirrors(
    config,
    project,
    downloadDir(goEnv.GOMODCACHE),
    log,
  );
  if (outcome.sumdb.warning && project.modules.length > 0) log.warning(outcome.sumdb.warning);
  const mirrorsFrom =
    config.mirrorsFrom === 'GOPROXY'
      ? 'go env GOPROXY'
      : flags.mirrors === undefined
        ? "Go's default GOPROXY"
        : '--mirrors';
  const result = { config, mirrorsFrom, probeTarget, probed, outcome };
  await print(flags.json ? probeJson(result) : probeText(result));
  return outcome.chain ? 0 : 1;
}
