import * as core from '@actions/core';
/** Saved by whichever step first gives up on the cache service: why it did. */
export const SERVICE_FAILURE_STATE = 'cache-service-failure';

let failure: string | undefined;
let loaded = false;

/**
 * Why the cache service was given up on in this job, if it was. The main step records it in
 * its saved state, so the post step starts out knowing it too.
 */
export function serviceFailure(): string | undefined {
  if (!loaded) {
    loaded = true;
    failure = core.getState(SERVICE_FAILURE_STATE) || undefined;
  }
  return failure;
}

/** Gives up on the cache service for the rest of the job: no restore or save waits on it again. */
export function markServiceFailed(reason: string): void {
  if (serviceFailure() !== undefined) return;
  failure = reason;
  core.saveState(SERVICE_FAILURE_STATE, reason);
}
