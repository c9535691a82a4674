import { describe, expect, it } from '@jest/globals';
import {
  markServiceFailed,
  seedServiceFailure,
  serviceFailure,
} from '../../../src/cache-service/breaker.js';

// One job's breaker: the module's state lives as long as the step, so the cases run in order.
describe('the cache service breaker', () => {
  it('starts closed, and an empty recorded state keeps it closed', () => {
    expect(serviceFailure()).toBeUndefined();
    seedServiceFailure('');
    seedServiceFailure(undefined);
    expect(serviceFailure()).toBeUndefined();
  });

  it('opens on the first failure, whose reason stands', () => {
    markServiceFailed('the lookup timed out');
    markServiceFailed('a later failure');
    seedServiceFailure('what the main step recorded');
    expect(serviceFailure()).toBe('the lookup timed out');
  });
});
