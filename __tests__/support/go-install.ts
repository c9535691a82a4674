// What the tests and the demo do when there is no Go at all: unpack the newest supported
// release with `.ci/install-go.sh`, as a newcomer would by hand, so that a fresh clone needs
// only `npm ci` and `npm test`. Jest's global set-up loads this through require, without the
// test projects' .js-to-.ts mapping, so its imports name no extension.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findGo, goInstallRoot, goVersion, type GoLookup, type GoSource } from './go-lookup';

/** The supported range, as `.ci/go-versions.sh` states it for CI and install-go.sh. */
export interface GoRange {
  oldest: string;
  newest: string;
}

/** Reads GO_OLDEST and GO_NEWEST from the text of `.ci/go-versions.sh`. */
export function goRange(script: string): GoRange {
  const value = (name: string): string => {
    const m = new RegExp(`^${name}=(["']?)(1\\.\\d+)\\1[ \\t]*$`, 'm').exec(script);
    if (!m) throw new Error(`.ci/go-versions.sh sets no ${name}=1.<minor>`);
    return m[2];
  };
  return { oldest: value('GO_OLDEST'), newest: value('GO_NEWEST') };
}

export type GoPlan =
  | { do: 'use'; path: string; source: GoSource }
  | { do: 'install'; minor: string }
  | { do: 'give-up'; problem: string };

/**
 * What to do about Go, given where it was looked for: use the one found; with none anywhere,
 * unpack the newest supported release, once; otherwise stop with how to get Go. A GO_BIN
 * that names no go is never papered over with an install: it says which Go the user wants.
 */
export function planGo(lookup: GoLookup, newest: string, installTried: boolean): GoPlan {
  if (lookup.ok) return { do: 'use', path: lookup.path, source: lookup.source };
  if (lookup.cause === 'none' && !installTried) return { do: 'install', minor: newest };
  return { do: 'give-up', problem: lookup.problem };
}

export type SettledGo =
  { ok: true; path: string; version: string; source: GoSource } | { ok: false; problem: string };

export interface SettleOptions {
  repoRoot: string;
  /** Where the one line saying that Go is being unpacked goes. */
  say: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** The installer, `.ci/install-go.sh` unless a test hands a stand-in. */
  installer?: string;
}

/**
 * Finds Go, unpacking the newest supported release when there is none, and checks that it
 * runs. The installer's progress goes straight to stderr; whether it worked is decided by
 * looking again, so the lookup is the only judge of where Go is.
 */
export function settleGo(opts: SettleOptions): SettledGo {
  const env = opts.env ?? process.env;
  const { newest } = goRange(readFileSync(join(opts.repoRoot, '.ci', 'go-versions.sh'), 'utf8'));
  const installer = opts.installer ?? join(opts.repoRoot, '.ci', 'install-go.sh');
  let tried = false;
  for (;;) {
    const plan = planGo(findGo(env), newest, tried);
    if (plan.do === 'give-up') return { ok: false, problem: plan.problem };
    if (plan.do === 'use') {
      const version = goVersion(plan.path);
      if (!version.ok) return version;
      return { ok: true, path: plan.path, source: plan.source, version: version.version };
    }
    opts.say(
      `Go not found: unpacking Go ${plan.minor}, the newest supported, into ${goInstallRoot(env)} with .ci/install-go.sh (once; later runs find it there).`,
    );
    // install-go.sh explains its own failures on stderr; only a shell that never started is
    // left for this side to report.
    const run = spawnSync('bash', [installer, plan.minor], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (run.error) opts.say(`${installer} did not run: ${run.error.message}`);
    tried = true;
  }
}
