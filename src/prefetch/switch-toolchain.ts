import type { Project } from '../gomod/discover.js';
import type { GoEnv } from '../go/env.js';
import {
  allowsDownload,
  explicitToolchain,
  fetchToolchain,
  installedGoTooOld,
  newerToolchainNeeded,
  readGoModFiles,
} from '../go/toolchain.js';
import type { Log } from '../host/log.js';
import type { Chain } from '../proxy/chain.js';
import type { PrefetchLimits } from './limits.js';

/** Go toolchains are about 70 MB; a stall is caught much sooner by the watchdog. */
const TOOLCHAIN_DEADLINE_MS = 10 * 60_000;

/** A toolchain fetched into the module cache: the action's own go commands run with it from now. */
export interface SwitchedToolchain {
  /** `go version` of the fetched toolchain. */
  goversion: string;
  /** The job's GOTOOLCHAIN, for the action's own later go commands. */
  gotoolchain: string;
  note: string;
}

/** What fetching a toolchain goes through. */
export interface ToolchainRoute {
  chain: Chain;
  gosumdb: string;
  limits: PrefetchLimits;
  /** The environment the action's own go commands run in. */
  env: NodeJS.ProcessEnv;
  log: Log;
}

/**
 * When go.mod (or GOTOOLCHAIN) asks for a newer Go and GOTOOLCHAIN lets Go download it, Go
 * would fetch it from its default proxy on the next go command. Fetch it here instead, through
 * the probed chain and under the watchdog; from then on the action's own go commands run with
 * the job's GOTOOLCHAIN, since the toolchain is in the module cache. Under GOTOOLCHAIN=local a
 * go line above the installed Go fails here, with the line named, before any download.
 */
export async function switchToolchain(
  project: Project,
  goEnv: GoEnv,
  gotoolchain: string,
  route: ToolchainRoute,
): Promise<SwitchedToolchain | undefined> {
  if (!allowsDownload(gotoolchain)) {
    // GOTOOLCHAIN=path may still find a newer go on PATH; `local` never can.
    if (gotoolchain !== 'local') return undefined;
    const tooNew = newerToolchainNeeded(
      readGoModFiles(project.moduleDirs, project.workspaceDir),
      goEnv.GOVERSION,
      process.cwd(),
      'go',
    );
    if (tooNew) throw new Error(installedGoTooOld(tooNew, goEnv.GOVERSION, gotoolchain));
    return undefined;
  }
  const need =
    explicitToolchain(
      gotoolchain,
      goEnv.GOVERSION,
      project.moduleDirs[0] ?? project.workspaceDir,
    ) ??
    newerToolchainNeeded(
      readGoModFiles(project.moduleDirs, project.workspaceDir),
      goEnv.GOVERSION,
      // The runner starts actions in the workspace; GITHUB_WORKSPACE may be staged by a restore.
      process.cwd(),
    );
  if (!need) return undefined;
  const { chain } = route;
  const fetched = await route.log.group(`Fetching Go ${need.release} (${need.where})`, () =>
    fetchToolchain(
      need,
      { ...route.env, GOTOOLCHAIN: gotoolchain, GOPROXY: chain.goproxy, GOSUMDB: route.gosumdb },
      { stallMs: route.limits.stallMs, deadlineMs: TOOLCHAIN_DEADLINE_MS },
      chain.display,
    ),
  );
  const note = `${need.where}: Go ${fetched.goversion} fetched through GOPROXY (the installed Go is older).`;
  return { goversion: fetched.goversion, gotoolchain, note };
}
