import type { ProviderFailure } from './errors.js';

export interface RetryPolicy {
  /** Retries after the first attempt, per provider. Default 3. */
  readonly maxRetries: number;
  /** First backoff; doubles each retry (100, 200, 400 ms). Default 100. */
  readonly baseDelayMs: number;
  /** Upper bound of any single wait. Default 10 000. */
  readonly maxDelayMs: number;
  /** Fraction of the delay randomised either way (0.2 = ±20 %). Default 0.2. */
  readonly jitter: number;
  /** A `retry-after` longer than this is not waited for: fail over instead. Default 30 000. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 100,
  maxDelayMs: 10_000,
  jitter: 0.2,
  maxRetryAfterMs: 30_000,
};

/**
 * The one retry decision: how long to wait before retry number `retry` (1-based) after `failure`,
 * or undefined when not to retry (non-retryable kind, budget spent, or `retry-after` too long).
 */
export function retryDelay(
  policy: RetryPolicy,
  failure: ProviderFailure,
  retry: number,
  random: () => number = Math.random,
): number | undefined {
  if (!failure.retryable || retry > policy.maxRetries) return undefined;
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const jittered = Math.round(backoff * (1 + policy.jitter * (2 * random() - 1)));
  if (failure.retryAfterMs !== undefined) {
    if (failure.retryAfterMs > policy.maxRetryAfterMs) return undefined;
    return Math.max(jittered, failure.retryAfterMs);
  }
  return jittered;
}
