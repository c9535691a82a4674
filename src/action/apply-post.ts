import * as core from '@actions/core';
import { SERVICE_FAILURE_STATE, seedServiceFailure } from '../cache-service/breaker.js';
import type { CleanupReport } from '../buildcache/delete-superseded.js';
import type { BuildCacheSaveReport } from '../buildcache/save-build-cache.js';
import type { SaveReport } from '../modcache/save-snapshot.js';
import {
  cleanupText,
  renderBuildCacheSaveSummary,
  renderCleanupSummary,
  renderSaveSummary,
} from './render-save-summary.js';

/**
 * The post step's one input of its own: the token that may delete superseded cache entries.
 * Registered as a secret before the post step logs anything.
 */
export function readPostToken(): string {
  const token = core.getInput('token');
  if (token) core.setSecret(token);
  return token;
}

/** Learns whether the main step already gave up on the cache service. */
export function readServiceFailure(): void {
  seedServiceFailure(core.getState(SERVICE_FAILURE_STATE));
}

/** What the main step saved under `name`, or undefined when it saved nothing there. */
export function readPostState<T>(name: string): T | undefined {
  const raw = core.getState(name);
  return raw ? (JSON.parse(raw) as T) : undefined;
}

export function applyLeftovers(stopped: readonly { command: string }[]): void {
  if (stopped.length === 0) return;
  core.info(
    `Stopped ${stopped.length} go process group(s) left behind by the main step: ${stopped.map((c) => c.command).join('; ')}`,
  );
}

export function applyNothingToSave(what: 'snapshot' | 'build cache'): void {
  core.info(
    what === 'snapshot'
      ? 'No module cache snapshot to save (caching was off or skipped).'
      : 'No build cache to save (build-cache was off or skipped).',
  );
}

/** A save that threw: a warning, never a red job. */
export function applySaveFailed(what: string, err: unknown): void {
  core.warning(`${what} save failed: ${err instanceof Error ? err.message : String(err)}`);
}

export async function applySnapshotSave(report: SaveReport): Promise<void> {
  if (report.putBack !== undefined) core.debug(`put back ${report.putBack} trimmed file(s)`);
  note(`Module cache snapshot ${report.key}`, report);
  await core.summary.addRaw(renderSaveSummary(report)).write();
}

export async function applyBuildCacheSave(report: BuildCacheSaveReport): Promise<void> {
  note(`Build cache ${report.key ?? ''}`.trim(), report);
  await core.summary.addRaw(renderBuildCacheSaveSummary(report)).write();
}

/** Nothing when nothing was saved: then no entry was superseded, and nothing was asked. */
export async function applyCleanup(report: CleanupReport): Promise<void> {
  if (report.outcome === 'skipped') return;
  const line = `Build cache cleanup: ${cleanupText(report)}`;
  if (report.problem) core.warning(line);
  else core.info(line);
  await core.summary.addRaw(renderCleanupSummary(report)).write();
}

function note(what: string, r: { outcome: string; reason: string }): void {
  const line = `${what}: ${r.outcome}${r.reason ? ` (${r.reason})` : ''}`;
  if (r.outcome === 'failed') core.warning(line);
  else core.info(line);
}
