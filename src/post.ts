import * as core from '@actions/core';
import { readGoEnv } from './go/env.js';
import { measureDownloadCache } from './modcache/measure.js';

/** Post step: reports what the job left in the module download cache. */
async function run(): Promise<void> {
  const gomodcache = readGoEnv(process.env.GITHUB_WORKSPACE || process.cwd()).GOMODCACHE;
  const size = await measureDownloadCache(gomodcache);
  core.info(
    `Module download cache: ${size.zips} module zip(s), ${(size.bytes / 1024 / 1024).toFixed(1)} MiB in ${size.dir}`,
  );
}

run().catch((err: unknown) => {
  // A post step must never turn a green job red over a report.
  core.warning(`go-resilient-setup post step: ${err instanceof Error ? err.message : String(err)}`);
});
