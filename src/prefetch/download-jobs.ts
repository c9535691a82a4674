import fs from 'node:fs';
import path from 'node:path';
import { collectModuleVersions, parseGoSum, type ModuleVersion } from '../gomod/gosum.js';
import { matchesPrefixPatterns } from '../gomod/patterns.js';
import { privateOnlyChain, type Chain } from '../proxy/chain.js';
import type { PrefetchPlan } from './types.js';

export interface DownloadJob {
  key: string;
  cwd: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/**
 * The `go mod download` runs that fetch everything: private modules first,
 * through private mirrors only (ending in `off`, so a 404 never falls through
 * to a public mirror); then each module on its own; then the workspace.
 */
export function downloadJobs(plan: PrefetchPlan, chain: Chain): DownloadJob[] {
  const env = downloadEnv(plan, chain);
  const jobs: DownloadJob[] = [];
  const privateChain = privateOnlyChain(chain);
  if (privateChain && plan.goprivate) {
    for (const dir of plan.project.moduleDirs) {
      const privateModules = readGoSum(dir).filter((m) =>
        matchesPrefixPatterns(plan.goprivate, m.module),
      );
      if (privateModules.length === 0) continue;
      jobs.push({
        key: `private:${dir}`,
        cwd: dir,
        args: ['mod', 'download', '-x', ...privateModules.map((m) => `${m.module}@${m.version}`)],
        env: { ...env, GOWORK: 'off', GOPROXY: privateChain, GONOPROXY: 'none' },
      });
    }
  }
  for (const dir of plan.project.moduleDirs) {
    jobs.push({
      key: `module:${dir}`,
      cwd: dir,
      args: ['mod', 'download', '-x'],
      env: { ...env, GOWORK: 'off' },
    });
  }
  if (plan.project.workspaceDir) {
    jobs.push({
      key: `workspace:${plan.project.workspaceDir}`,
      cwd: plan.project.workspaceDir,
      args: ['mod', 'download', '-x'],
      env,
    });
  }
  return jobs;
}

function downloadEnv(plan: PrefetchPlan, chain: Chain): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...plan.baseEnv,
    GOPROXY: chain.goproxy,
    GOSUMDB: plan.gosumdb,
    GOFLAGS: plan.goflags,
  };
  if (plan.goprivate) {
    env.GOPRIVATE = plan.goprivate;
    // Private paths bypass the public chain entirely; they were fetched above.
    env.GONOPROXY = plan.goprivate;
  } else {
    delete env.GONOPROXY;
  }
  return env;
}

function readGoSum(dir: string): ModuleVersion[] {
  const file = path.join(dir, 'go.sum');
  if (!fs.existsSync(file)) return [];
  return collectModuleVersions(parseGoSum(fs.readFileSync(file, 'utf8'), file));
}
