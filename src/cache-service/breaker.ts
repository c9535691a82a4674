/**
 * Why the cache service was given up on in this job, if it was: once one restore or save gives
 * up, no other waits on it again. The main step's applier records it in the step's state, and
 * the post step's seeds it from there, so the post step starts out knowing it too.
 */
export const SERVICE_FAILURE_STATE = 'cache-service-failure';

let failure: string | undefined;

/** What an earlier step of the job recorded; an empty value records nothing. */
export function seedServiceFailure(reason: string | undefined): void {
  failure ??= reason || undefined;
}

export function serviceFailure(): string | undefined {
  return failure;
}

/** Gives up on the cache service for the rest of the job; the first reason stands. */
export function markServiceFailed(reason: string): void {
  failure ??= reason;
}
