import * as core from '@actions/core';
import type { JobConfig } from '../config.js';
import type { GoEnv } from '../go/env.js';
import { cacheMode, cacheServiceAvailable } from '../cache-service/service.js';
import { installGolangciLint } from './golangci-lint.js';
import { installGovulncheck } from './govulncheck.js';
import type { ToolReport } from './tool-report.js';

/**
 * Installs the requested tools after the chain is exported (govulncheck is built through it).
 * Each lands on PATH only once verified; a failure is recorded for the summary and fails the step.
 */
export async function installTools(
  config: JobConfig,
  goEnv: GoEnv,
  tools: ToolReport[],
): Promise<void> {
  const install = async (
    tool: string,
    version: string,
    integrity: string,
    run: () => Promise<{ dir: string; report: ToolReport }>,
    versionFrom?: string,
  ): Promise<void> => {
    try {
      const done = await core.group(`Installing ${tool} ${version}`, run);
      core.addPath(done.dir);
      core.setOutput(`${tool}-path`, done.report.path);
      core.setOutput(`${tool}-version`, done.report.version);
      tools.push(done.report);
    } catch (err) {
      tools.push({
        tool,
        version,
        ...(versionFrom && { versionFrom }),
        integrity,
        source: `not installed: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`,
        cached: 'no',
        failed: true,
      });
      throw err;
    }
  };
  if (config.golangciLint) {
    const want = config.golangciLint;
    await install(
      'golangci-lint',
      `v${want.version}`,
      `sha256 ${want.sha256} (${want.sha256From})`,
      () => installGolangciLint(want, config.toolMirrors, core.info),
      want.versionFrom?.file,
    );
  }
  if (config.govulncheck) {
    const want = config.govulncheck;
    const service = config.cache && cacheServiceAvailable();
    const mode = cacheMode();
    const fromGoMod = 'fromGoMod' in want ? want.fromGoMod : undefined;
    const integrity = fromGoMod ? "the project's go.sum" : 'go.sum pin';
    await install(
      'govulncheck',
      want.version,
      integrity,
      () =>
        installGovulncheck(want, {
          goversion: goEnv.GOVERSION,
          env: process.env,
          actionsCache: {
            restore: service && mode.readable,
            save: service && config.saveCache && mode.writable,
          },
          log: core.info,
          warn: core.warning,
        }),
      fromGoMod?.file,
    );
  }
}
