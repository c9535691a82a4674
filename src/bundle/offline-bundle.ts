import type { Mirror } from '../proxy/mirror.js';

/** A verified offline bundle, ready for the chain and the tool installs. */
export interface OfflineBundle {
  /** The bundle's module tree as a `file://` mirror, at the place the user chose. */
  mirror: Mirror;
  /** The golangci-lint archive for this runner, when the bundle has that version. */
  golangciLintArchive(version: string): { path: string; sha256: string } | undefined;
  report: BundleReport;
}

/** What the summary says about the bundle. */
export interface BundleReport {
  display: string;
  position: 'first' | 'last';
  modules: number;
  bytes: number;
  /** `golangci-lint v2.4.0 linux/amd64`, `govulncheck v1.1.4`. */
  tools: string[];
  downloadMs?: number;
  verifyMs: number;
  /** What the job took from it, filled in by the phases that used it. */
  used: string[];
}
