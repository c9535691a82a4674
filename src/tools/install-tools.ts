import { pathToFileURL } from 'node:url';
import type { JobConfig } from '../config/types.js';
import type { OfflineBundle } from '../bundle/offline-bundle.js';
import type { Log } from '../host/log.js';
import { installGolangciLint } from './golangci-lint.js';
import { installGovulncheck } from './govulncheck.js';
import type { ToolReport } from './tool-report.js';

/** A tool on disk and verified: its directory goes on PATH. */
export interface InstalledTool {
  tool: string;
  dir: string;
  report: ToolReport;
}

/** Every requested tool's report, in order, and the first failure, which fails the step. */
export interface ToolsResult {
  tools: ToolReport[];
  installed: InstalledTool[];
  /** What the job took from the offline bundle, for its summary. */
  bundleUsed: string[];
  failure?: unknown;
}

/** What installing needs besides the config. */
export interface ToolsContext {
  /** `go version` of the job's toolchain: govulncheck is built with it. */
  goversion: string;
  /** The environment govulncheck is built in: the exported chain and the job's module cache. */
  env: NodeJS.ProcessEnv;
  log: Log;
  bundle?: OfflineBundle;
}

interface Request {
  tool: string;
  version: string;
  integrity: string;
  versionFrom?: string;
  run: () => Promise<{ dir: string; report: ToolReport }>;
}

/**
 * Installs the requested tools after the chain is exported (govulncheck is built through it).
 * Each lands on PATH only once verified; a failure is recorded for the summary and ends the
 * installs: it is returned, for the step to fail once what was done is applied.
 */
export async function installTools(config: JobConfig, ctx: ToolsContext): Promise<ToolsResult> {
  const result: ToolsResult = { tools: [], installed: [], bundleUsed: [] };
  for (const want of requests(config, ctx, result)) {
    try {
      const done = await ctx.log.group(`Installing ${want.tool} ${want.version}`, want.run);
      result.installed.push({ tool: want.tool, ...done });
      result.tools.push(done.report);
    } catch (err) {
      result.tools.push({
        tool: want.tool,
        version: want.version,
        ...(want.versionFrom && { versionFrom: want.versionFrom }),
        integrity: want.integrity,
        source: `not installed: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`,
        cached: 'no',
        failed: true,
      });
      return { ...result, failure: err };
    }
  }
  return result;
}

function requests(config: JobConfig, ctx: ToolsContext, result: ToolsResult): Request[] {
  const out: Request[] = [];
  if (config.golangciLint) {
    const want = config.golangciLint;
    const { bundle } = ctx;
    out.push({
      tool: 'golangci-lint',
      version: `v${want.version}`,
      integrity: `sha256 ${want.sha256} (${want.sha256From})`,
      versionFrom: want.versionFrom?.file,
      run: async () => {
        // The bundle's copy goes first: it is checked against the same sha256 as a download.
        const local = bundle?.golangciLintArchive(want.version);
        const installed = await installGolangciLint(want, config.toolMirrors, ctx.log.info, {
          first: local && [
            {
              url: pathToFileURL(local.path).href,
              display: `offline bundle ${bundle!.report.display}`,
            },
          ],
        });
        if (local && installed.report.source.startsWith('offline bundle')) {
          result.bundleUsed.push(`golangci-lint v${want.version}`);
        }
        return installed;
      },
    });
  }
  if (config.govulncheck) {
    const want = config.govulncheck;
    const fromGoMod = 'fromGoMod' in want ? want.fromGoMod : undefined;
    out.push({
      tool: 'govulncheck',
      version: want.version,
      integrity: fromGoMod ? "the project's go.sum" : 'go.sum pin',
      versionFrom: fromGoMod?.file,
      run: () =>
        installGovulncheck(want, {
          goversion: ctx.goversion,
          env: ctx.env,
          log: ctx.log.info,
          warn: ctx.log.warning,
        }),
    });
  }
  return out;
}
