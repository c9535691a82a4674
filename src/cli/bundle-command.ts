import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectModuleVersions, parseGoSum } from '../gomod/gosum.js';
import { coveredLines, stageModules } from '../bundle/collect.js';
import {
  toolFilePath,
  type BundleModule,
  type BundleTool,
  type Manifest,
} from '../bundle/manifest.js';
import { writeBundle } from '../bundle/write.js';
import { compressionFor } from '../tar/compression.js';
import { consoleLog } from '../host/console-log.js';
import { findProject } from '../gomod/find-project.js';
import type { Project } from '../gomod/discover.js';
import { downloadDir } from '../modcache/layout.js';
import { downloadGoflags, type GoEnv } from '../go/env.js';
import { runWatched } from '../go/watch.js';
import { prefetch } from '../prefetch/prefetch.js';
import { prefetchPlan } from '../prefetch/plan.js';
import type { PrefetchPlan } from '../prefetch/types.js';
import type { Chain } from '../proxy/chain.js';
import { probeMirrors, type MirrorsProbed } from '../proxy/probe-mirrors.js';
import { reprober } from '../proxy/reprober.js';
import { describeGoErrors, describeMirrors } from '../report/describe-failures.js';
import { formatBytes } from '../util/bytes.js';
import { downloadVerified } from '../tools/download.js';
import { archiveName, archiveUrl } from '../tools/golangci-lint-release.js';
import { buildModuleFiles, GOVULNCHECK_PINS, type PinTable } from '../tools/govulncheck-pins.js';
import { platformName, toolPlatform, toolPlatformFor } from '../tools/platform.js';
import { lintChecksum, lintRelease, resolveGolangciLint } from '../tools/resolve-golangci-lint.js';
import { pinnedGovulncheck } from '../tools/resolve-govulncheck.js';
import type { Log } from '../host/log.js';
import type { Config } from '../config/types.js';
import { parseFlags, UsageError, type FlagSpec } from './flags.js';
import { probeSetup, PROBE_INPUT_FLAGS, toolFlagValue } from './probe-config.js';
import { probeText } from './probe-report.js';

export const BUNDLE_USAGE = `Usage: go-resilient-setup bundle --out FILE [flags]

Downloads, through the GOPROXY chain the action would use and under its watchdog, everything
the project's go.sum files need, and the tools asked for, and writes them with a manifest of
checksums into one archive for runners that cannot reach a mirror (the action's offline-bundle
input). The archive is written under a temporary name and renamed when complete.

Flags (lists take commas or newlines):
  --out FILE                   the bundle to write: .tar.zst or .tar.gz
  --mirrors LIST               mirrors to probe, in order; default: go env GOPROXY
  --private-mirrors LIST       proxies that serve private modules
  --private PATTERNS           GOPRIVATE patterns
  --sumdb VALUE                auto (default) or a GOSUMDB value
  --probe-timeout SECONDS      seconds each mirror has to answer (default 5)
  --dir DIR                    the Go project (default: the current directory)
  --golangci-lint VERSION      add golangci-lint release archives, verified by sha256
  --golangci-lint-checksum SHA the archive's sha256, for a release the action does not know
                               (only with a single platform)
  --platforms LIST             golangci-lint platforms, e.g. linux/amd64,darwin/arm64
                               (default: this machine's)
  --tool-mirrors LIST          base URLs for golangci-lint archives
  --govulncheck VERSION        add the modules of a pinned govulncheck release
  --verbose                    log each step on stderr

Exit status: 0 when the bundle was written, 1 when it could not be, 2 for a usage error.`;

const SPEC: FlagSpec = {
  ...(Object.fromEntries(
    Object.keys(PROBE_INPUT_FLAGS).map((f) => [f, { type: 'string' }]),
  ) as FlagSpec),
  out: { type: 'string' },
  'golangci-lint': { type: 'string' },
  'golangci-lint-checksum': { type: 'string' },
  platforms: { type: 'string' },
  'tool-mirrors': { type: 'string' },
  govulncheck: { type: 'string' },
  verbose: { type: 'boolean' },
};

/** What a go.sum line needs from a download cache: its zip, or its go.mod. */
interface SumNeed {
  module: string;
  version: string;
  kind: 'zip' | 'mod';
  hash: string;
}

/** The bundle's lines must be the project's: anything else is not what the project built. */
function agreeWithGoSum(modules: BundleModule[], needs: SumNeed[]): void {
  const ours = new Map(
    modules.flatMap((m) =>
      m.goSum.map((l) => [l.slice(0, l.lastIndexOf(' ')), l.slice(l.lastIndexOf(' ') + 1)]),
    ),
  );
  const wrong = needs.flatMap((n) => {
    const key = `${n.module} ${n.version}${n.kind === 'mod' ? '/go.mod' : ''}`;
    const got = ours.get(key);
    return got !== undefined && got !== n.hash
      ? [`  - ${key}: the mirror served ${got}, go.sum says ${n.hash}`]
      : [];
  });
  if (wrong.length > 0) {
    throw new Error(
      `A mirror served modules that differ from go.sum; nothing was written:\n${wrong.join('\n')}`,
    );
  }
}

/** `bundle`: probe → chain → download under the watchdog → tools → write. */
export async function bundleCommand(argv: string[], print: (text: string) => Promise<void>) {
  const flags = parseFlags(argv, SPEC) as Record<string, string | boolean | undefined>;
  const str = (k: string) => (typeof flags[k] === 'string' ? (flags[k] as string) : undefined);
  const out = outFile(str('out'));
  const tools = toolRequests(str);
  const log = progressLog(flags.verbose === true);
  const inputFlags = { ...PROBE_INPUT_FLAGS, 'tool-mirrors': 'tool-mirrors' } as const;
  const { config, goEnv } = probeSetup(
    Object.fromEntries(Object.keys(inputFlags).map((f) => [f, str(f)])),
    process.env,
    process.cwd(),
    inputFlags,
  );
  const project = await findProject(config, log);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'go-resilient-setup-bundle-'));
  try {
    const dirs = {
      work,
      gomodcache: path.join(work, 'modcache'),
      staging: path.join(work, 'staging'),
    };
    fs.mkdirSync(dirs.gomodcache);
    fs.mkdirSync(dirs.staging);
    const mirrors = await probeMirrors(config, project, downloadDir(dirs.gomodcache), log);
    if (!mirrors.outcome.chain) {
      const { probed, outcome } = mirrors;
      await print(probeText({ config, mirrorsFrom: '--mirrors', probed, outcome }));
      console.error('go-resilient-setup bundle: no usable GOPROXY mirror; nothing was written');
      return 1;
    }
    const fetched = await downloadModules(config, project, goEnv, mirrors, dirs, log);
    const manifestTools = await collectTools(tools, config, dirs, fetched, log);
    const modules = stageModules(downloadDir(dirs.gomodcache), dirs.staging);
    agreeWithGoSum(modules, fetched.needs);
    log.info(`${modules.length} module versions staged`);
    const written = await log.group(`Writing ${out}`, () =>
      writeBundle(out, dirs.staging, {
        createdAt: new Date().toISOString(),
        createdBy: 'go-resilient-setup bundle',
        go: `${goEnv.GOVERSION} ${process.platform}/${process.arch}`,
        modules,
        tools: manifestTools,
      }),
    );
    await print(bundleText(out, written, fetched.chain, manifestTools));
    return 0;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The tools asked for: govulncheck's modules into the module cache, golangci-lint archives staged. */
async function collectTools(
  tools: ToolRequests,
  config: Config,
  dirs: { work: string; staging: string },
  fetched: Downloaded,
  log: Log,
): Promise<BundleTool[]> {
  const manifestTools: BundleTool[] = [];
  if (tools.govulncheck) {
    const version = tools.govulncheck;
    manifestTools.push(
      await log.group(`Downloading govulncheck ${version}'s modules`, () =>
        collectGovulncheck(version, GOVULNCHECK_PINS, dirs.work, fetched.env, fetched.plan, log),
      ),
    );
  }
  if (tools.golangciLint) {
    const want = tools.golangciLint;
    manifestTools.push(
      ...(await log.group(`Downloading golangci-lint v${want.version}`, () =>
        collectGolangciLint(want, config, dirs.staging, log),
      )),
    );
  }
  return manifestTools;
}

function outFile(out: string | undefined): string {
  if (!out)
    throw new UsageError('--out is required: the bundle to write, e.g. --out go-bundle.tar.zst');
  if (!compressionFor(out)) {
    throw new UsageError(
      `--out: "${out}" must end in .tar.zst or .tar.gz, which say how to compress it`,
    );
  }
  return out;
}

/** The modules downloaded, through the chain, and what the tools' downloads run with. */
interface Downloaded {
  plan: PrefetchPlan;
  chain: Chain;
  env: NodeJS.ProcessEnv;
  /** Every line of the project's go.sum files. */
  needs: SumNeed[];
}

/**
 * The action's prefetch, into the bundle's own module cache and without hedging, then every
 * go.sum line the prefetch did not need.
 */
async function downloadModules(
  config: Config,
  project: Project,
  goEnv: GoEnv,
  mirrors: MirrorsProbed,
  dirs: { work: string; gomodcache: string },
  log: Log,
): Promise<Downloaded> {
  const { gomodcache } = dirs;
  const goflags = `${downloadGoflags(goEnv.GOFLAGS)} -modcacherw`.trim();
  const plan = prefetchPlan(config, project, {
    gomodcache,
    goflags,
    gosumdb: mirrors.outcome.sumdb.value,
    baseEnv: { ...process.env, GOMODCACHE: gomodcache, GOTOOLCHAIN: 'local', GOFLAGS: goflags },
  });
  const reprobe = reprober(config, mirrors.run, { hedge: false });
  const fetched = await log.group('Downloading modules (go mod download)', () =>
    prefetch(plan, mirrors.probed.result, reprobe, log),
  );
  if (!fetched.ok || !fetched.chain) {
    throw new Error(
      [
        `go mod download failed after ${fetched.attempts.length} attempt(s); nothing was written.`,
        describeGoErrors(fetched.goErrors),
        `Mirrors:\n${describeMirrors(fetched.probed)}`,
      ].join('\n'),
    );
  }
  const env: NodeJS.ProcessEnv = {
    ...plan.baseEnv,
    GOPROXY: fetched.chain.goproxy,
    GOSUMDB: plan.gosumdb,
    ...(config.noPublic && { GOPRIVATE: config.noPublic, GONOPROXY: config.noPublic }),
  };
  // `go mod download` fetches what builds need; go.sum may list more (go.mod files of
  // versions the graph passed over, tests' modules). Every line gets its file.
  const needs = project.goSumFiles.flatMap((f) =>
    parseGoSum(fs.readFileSync(f, 'utf8'), f).map((l): SumNeed => ({
      module: l.module,
      version: l.version,
      kind: l.kind,
      hash: l.hash,
    })),
  );
  await fetchMissing(needs, downloadDir(gomodcache), dirs.work, env, plan, log);
  return { plan, chain: fetched.chain, env, needs };
}

/** What `bundle` prints once the bundle is written. */
function bundleText(
  out: string,
  written: { manifest: Manifest; bytes: number; sha256: string },
  chain: Chain,
  tools: readonly BundleTool[],
): string {
  const moduleFiles = written.manifest.files.filter((f) => f.path.startsWith('modules/')).length;
  return [
    `Wrote ${out}: ${formatBytes(written.bytes)}, sha256 ${written.sha256}`,
    `  ${written.manifest.modules.length} module versions (${moduleFiles} files) through GOPROXY=${chain.display}`,
    ...tools.map(
      (t) =>
        `  ${t.name} ${t.name === 'golangci-lint' ? `v${t.version} ${t.platform}` : t.version}: ${t.checksumFrom}`,
    ),
    `Check it with: go-resilient-setup verify ${out}`,
    '',
  ].join('\n');
}

interface ToolRequests {
  golangciLint?: { version: string; checksum?: string; platforms: string[] };
  govulncheck?: string;
}

function toolRequests(str: (k: string) => string | undefined): ToolRequests {
  const requests: ToolRequests = {};
  const lint = str('golangci-lint');
  const rawChecksum = str('golangci-lint-checksum');
  const platforms = (str('platforms') ?? '')
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (lint) {
    const { version } = toolFlagValue(lintRelease(lint, false));
    const { sha256: checksum } = toolFlagValue(lintChecksum(rawChecksum ?? ''));
    for (const p of platforms) {
      if (!/^[a-z0-9]+\/[a-z0-9]+$/.test(p)) {
        throw new UsageError(`--platforms: "${p}" is not an os/arch pair such as linux/amd64`);
      }
    }
    if (checksum && platforms.length > 1) {
      throw new UsageError(
        '--golangci-lint-checksum is the sha256 of one archive; with it, --platforms may name only one platform',
      );
    }
    requests.golangciLint = {
      version,
      ...(checksum && { checksum }),
      platforms: platforms.length > 0 ? platforms : [platformName(toolPlatform())],
    };
  } else if (rawChecksum || platforms.length > 0) {
    throw new UsageError('--golangci-lint-checksum and --platforms need --golangci-lint');
  }
  const vuln = str('govulncheck');
  if (vuln) requests.govulncheck = toolFlagValue(pinnedGovulncheck(vuln, [])).version;
  return requests;
}

/** Fetches, in one watched `go mod download`, every go.sum line the download cache lacks. */
async function fetchMissing(
  needs: SumNeed[],
  dir: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  plan: PrefetchPlan,
  log: Log,
): Promise<void> {
  const have = new Set(coveredLines(dir, needs).map((n) => `${n.module}@${n.version} ${n.kind}`));
  const missing = needs.filter((n) => !have.has(`${n.module}@${n.version} ${n.kind}`));
  const targets = [...new Set(missing.map((n) => `${n.module}@${n.version}`))];
  if (targets.length === 0) return;
  log.info(`${targets.length} more module version(s) that go.sum lists`);
  // Outside any module, so that no go.mod or go.sum of the project changes; the bytes are
  // checked against the project's go.sum once staged (agreeWithGoSum).
  const scratch = fs.mkdtempSync(path.join(cwd, 'scratch-'));
  const r = await runWatched('go', ['mod', 'download', '-x', ...targets], {
    cwd: scratch,
    env: { ...env, GOWORK: 'off', GOSUMDB: 'off' },
    stallMs: plan.limits.stallMs,
    deadlineMs: plan.limits.budgetMs,
  });
  const still = needs.filter(
    (n) => !coveredLines(dir, [n]).length && targets.includes(`${n.module}@${n.version}`),
  );
  if (r.code !== 0 || still.length > 0) {
    throw new Error(
      `go.sum lists module versions no mirror in the chain serves, so the bundle would be incomplete; nothing was written:\n${[
        ...new Set(
          still.map((n) => `  - ${n.module} ${n.version}${n.kind === 'mod' ? '/go.mod' : ''}`),
        ),
      ].join('\n')}\n${r.stderr
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .slice(-10)
        .join('\n')}`,
    );
  }
}

/** Downloads a pinned govulncheck's modules into the same cache, checked against the pin. */
export async function collectGovulncheck(
  version: string,
  pins: PinTable,
  work: string,
  env: NodeJS.ProcessEnv,
  plan: PrefetchPlan,
  log: Log,
): Promise<BundleTool> {
  const pin = pins[version];
  const dir = fs.mkdtempSync(path.join(work, 'govulncheck-'));
  const { goMod, goSum } = buildModuleFiles(pin);
  fs.writeFileSync(path.join(dir, 'go.mod'), goMod);
  fs.writeFileSync(path.join(dir, 'go.sum'), goSum);
  const r = await runWatched('go', ['mod', 'download', '-x'], {
    cwd: dir,
    // The pin is the whole truth: every download is checked against its go.sum.
    env: {
      ...env,
      GOWORK: 'off',
      GOFLAGS: `${plan.goflags} -mod=readonly`.trim(),
      GONOSUMDB: '*',
      GOSUMDB: 'off',
    },
    stallMs: plan.limits.stallMs,
    deadlineMs: plan.limits.budgetMs,
  });
  const lines = parseGoSum(goSum);
  const missing = lines.filter(
    (l) => coveredLines(path.join(plan.gomodcache, 'cache', 'download'), [l]).length === 0,
  );
  if (r.code !== 0 || missing.length > 0) {
    throw new Error(
      `govulncheck ${version}: its pinned modules could not all be downloaded and verified; nothing was written.\n${r.stderr
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .slice(-10)
        .join('\n')}`,
    );
  }
  log.info(`govulncheck ${version}: ${collectModuleVersions(lines).length} module versions`);
  return {
    name: 'govulncheck',
    version,
    checksumFrom: 'go.sum pin',
    modules: collectModuleVersions(lines).map((m) => `${m.module}@${m.version}`),
  };
}

/** Downloads each platform's golangci-lint archive, verified by the table's sha256 or the given one. */
async function collectGolangciLint(
  want: NonNullable<ToolRequests['golangciLint']>,
  config: Config,
  staging: string,
  log: Log,
): Promise<BundleTool[]> {
  const tools: BundleTool[] = [];
  for (const p of want.platforms) {
    const platform = toolPlatformFor(p);
    const expected = resolveGolangciLint(
      { version: want.version },
      want.checksum,
      platform,
      `--golangci-lint v${want.version}`,
    );
    if ('problem' in expected) {
      throw new UsageError(
        expected.problem.replace('golangci-lint-checksum', '--golangci-lint-checksum'),
      );
    }
    const name = archiveName(want.version, platform);
    const archive = await downloadVerified(
      name,
      config.toolMirrors.map((m) => ({
        url: archiveUrl(m.requestUrl, want.version, platform),
        display: archiveUrl(m.display, want.version, platform),
        authorization: m.authorization,
      })),
      expected.sha256,
      log.info,
    );
    const file = toolFilePath('golangci-lint', want.version, name);
    fs.mkdirSync(path.dirname(path.join(staging, file)), { recursive: true });
    fs.writeFileSync(path.join(staging, file), archive.body);
    log.info(
      `${archive.source.display}: sha256 ${expected.sha256} verified (${expected.sha256From})`,
    );
    tools.push({
      name: 'golangci-lint',
      version: want.version,
      // As the runner names its own platform when it looks the archive up: `linux/arm` is
      // the linux-armv7 archive, and a runner on it asks for `linux/armv7`.
      platform: platformName(platform),
      file,
      sha256: expected.sha256,
      checksumFrom:
        expected.sha256From === 'golangci-lint-checksum'
          ? '--golangci-lint-checksum'
          : expected.sha256From,
    });
  }
  return tools;
}

/** Phases always on stderr; each step's detail too on a terminal or with --verbose. */
function progressLog(verbose: boolean): Log {
  return consoleLog(verbose || process.stderr.isTTY === true);
}
