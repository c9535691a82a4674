import * as core from '@actions/core';
import type { JobConfig } from '../config/types.js';
import type { GoEnv } from '../go/env.js';
import { installGolangciLint } from './golangci-lint.js';
import { installGovulncheck } from './govulncheck.js';
import type { ToolReport } from './tool-report.js';
import type { OfflineBundle } from '../offline/bundle-phase.js';
import { pathToFileURL } from 'node:url';

/**
 * Installs the requested tools after the chain is exported (govulncheck is built through it).
 * Each lands on PATH only once verified; a failure is recorded for the summary and fails the step.
 */
export async function installTools(
  config: JobConfig,
  goEnv: GoEnv,
  tools: ToolReport[],
  bundle?: OfflineBundle,
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
      async () => {
        // The bundle's copy goes first: it is checked against the same sha256 as a download.
        const local = bundle?.golangciLintArchive(want.version);
        const installed = await installGolangciLint(want, config.toolMirrors, core.info, {
          first: local && [
            {
              url: pathToFileURL(local.path).href,
              display: `offline bundle ${bundle!.report.display}`,
            },
          ],
        });
        if (local && installed.report.source.startsWith('offline bundle')) {
          bundle!.report.used.push(`golangci-lint v${want.version}`);
        }
        return installed;
      },
      want.versionFrom?.file,
    );
  }
  if (config.govulncheck) {
    const want = config.govulncheck;
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
          log: core.info,
          warn: core.warning,
        }),
      fromGoMod?.file,
    );
  }
}
