import type { Mirror } from '../proxy/mirror.js';
import type { GovulncheckBuild, GovulncheckWanted } from '../tools/govulncheck-pins.js';
import type { ResolvedGolangciLint } from '../tools/resolve-golangci-lint.js';

/** What the inputs say, every one validated and typed, before the job's own Go settings count. */
export interface ParsedInputs {
  /** Private mirrors first, then public ones, each group in the user's order. */
  mirrors: Mirror[];
  /** `direct` ended the `mirrors` list. */
  direct: boolean;
  /**
   * GOPRIVATE to export: the `private` input's patterns, and once the job's settings are
   * folded in (applyJobSettings), the job's own GOPRIVATE too.
   */
  goprivate: string;
  /** `auto`, or a GOSUMDB value to export as is. */
  sumdb: string;
  probeTimeoutMs: number;
  prefetch: boolean;
  /** Absolute path of the Go project. */
  workingDirectory: string;
  /** Globs, relative to the working directory, of the go.sum files that matter. */
  cacheDependencyPath: string[];
  /** Restore and save the module-cache snapshot. */
  cache: boolean;
  /** First part of the snapshot key. */
  cacheKeyPrefix: string;
  /** Save the snapshot in the post step (false = restore only). */
  saveCache: boolean;
  /** Restore and save GOCACHE (and golangci-lint's cache) as its own entry. Off with `cache`. */
  buildCache: boolean;
  /** Keeps build-cache entries of matrix legs apart; cache-key-safe (hashed when it is not). */
  buildCacheKeySuffix: string;
  /** golangci-lint to install, when `golangci-lint-version` is set. */
  golangciLint?: GolangciLintConfig;
  /** govulncheck to build, when `govulncheck-version` is set; `latest` until the job's Go is known. */
  govulncheck?: GovulncheckWanted;
  /** Base URLs for release archives, tried in order. */
  toolMirrors: Mirror[];
  /** A bundle made by `go-resilient-setup bundle`, when `offline-bundle` is set. */
  offlineBundle?: OfflineBundleConfig;
  /** Values to register with the runner as secrets before anything is logged. */
  secrets: string[];
}

/** Every input, validated and typed, with the job's own Go settings folded in. */
export interface Config extends ParsedInputs {
  /**
   * Paths no public mirror is ever asked for: GOPRIVATE, GONOPROXY and GONOSUMDB as the job
   * set them, with the `private` input. Comma-joined; empty when none.
   */
  noPublic: string;
  /** Where the mirrors came from: the input, or the job's GOPROXY when the input was left at its default. */
  mirrorsFrom: 'mirrors' | 'GOPROXY';
}

export interface OfflineBundleConfig {
  /** A file on the runner (absolute), or a URL to download it from (http(s) or file). */
  location: { file: string } | { url: Mirror };
  /** The input as written, credentials masked: the only form logs and the summary show. */
  display: string;
  /** Its mirror leads the chain (air-gapped) or follows every other mirror (last resort). */
  position: 'first' | 'last';
  /** The most bytes it may have, downloaded or local, and the most it may unpack to. */
  maxBytes: number;
}

export type GolangciLintConfig = ResolvedGolangciLint;

export type GovulncheckConfig = GovulncheckBuild;

/** The config once job setup knows the installed Go: `govulncheck-version: latest` is a release. */
export type JobConfig = Config & { govulncheck?: GovulncheckConfig };
