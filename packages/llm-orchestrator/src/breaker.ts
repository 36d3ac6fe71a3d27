import type { Clock } from './clock.js';
import type { ProviderId } from './errors.js';
import type { BreakerState, BreakerTransition } from './events.js';

export interface BreakerOptions {
  /** Consecutive failures that open the breaker. Default 3. */
  readonly threshold: number;
  /** Time Open before one trial request is let through (HalfOpen). Default 60 000. */
  readonly cooldownMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { threshold: 3, cooldownMs: 60_000 };

export interface BreakerSnapshot {
  readonly provider: ProviderId;
  readonly state: BreakerState;
  readonly consecutiveFailures: number;
  /** When an Open breaker lets a trial through, in clock ms. */
  readonly retryAt?: number;
}

/** Closed → Open after `threshold` consecutive failures → HalfOpen after `cooldownMs` → one trial. */
export interface CircuitBreaker {
  /** True if a request may be sent now. In HalfOpen, only the first caller gets true until it reports. */
  tryAcquire(): boolean;
  onSuccess(): void;
  onFailure(): void;
  /** The request ended without saying anything about the provider (cancelled): free the HalfOpen trial. */
  release(): void;
  snapshot(): BreakerSnapshot;
}

export function createCircuitBreaker(
  provider: ProviderId,
  options: BreakerOptions,
  clock: Clock,
  onTransition: (t: BreakerTransition) => void,
  /** State saved by an earlier process; a saved HalfOpen resumes as Open with its trial due now. */
  initial?: BreakerSnapshot,
): CircuitBreaker {
  let state: BreakerState = initial?.state === 'half_open' ? 'open' : (initial?.state ?? 'closed');
  let failures = initial?.consecutiveFailures ?? 0;
  let openedAt = state === 'open' ? (initial?.retryAt ?? clock.now()) - options.cooldownMs : 0;
  if (initial?.state === 'half_open') openedAt = clock.now() - options.cooldownMs;
  let trialInFlight = false;
  const move = (to: BreakerState) => {
    if (to === state) return;
    const from = state;
    state = to;
    onTransition({ provider, from, to, at: clock.now() });
  };
  return {
    tryAcquire() {
      if (state === 'open' && clock.now() - openedAt >= options.cooldownMs) {
        move('half_open');
        trialInFlight = false;
      }
      if (state === 'closed') return true;
      if (state === 'half_open' && !trialInFlight) {
        trialInFlight = true;
        return true;
      }
      return false;
    },
    onSuccess() {
      failures = 0;
      trialInFlight = false;
      move('closed');
    },
    onFailure() {
      failures++;
      trialInFlight = false;
      if (state === 'half_open' || (state === 'closed' && failures >= options.threshold)) {
        openedAt = clock.now();
        move('open');
      }
    },
    release() {
      trialInFlight = false;
    },
    snapshot() {
      return {
        provider,
        state,
        consecutiveFailures: failures,
        ...(state === 'open' ? { retryAt: openedAt + options.cooldownMs } : {}),
      };
    },
  };
}
