/** Bounds that make the prefetch's worst case finite; the README quotes them. */
export interface PrefetchLimits {
  /** Kill `go mod download` after this long without output or bytes written. */
  stallMs: number;
  /** Total time all download attempts may take together. */
  budgetMs: number;
  maxAttempts: number;
  /** Wait before retry n is `backoffMs * 2^(n-1)`. */
  backoffMs: number;
}

export const PREFETCH_BUDGET_MS = 15 * 60 * 1000;
export const PREFETCH_MAX_ATTEMPTS = 3;

export function prefetchLimits(probeTimeoutMs: number): PrefetchLimits {
  return {
    stallMs: Math.max(10_000, 3 * probeTimeoutMs),
    budgetMs: PREFETCH_BUDGET_MS,
    maxAttempts: PREFETCH_MAX_ATTEMPTS,
    backoffMs: 2000,
  };
}
