import { describe, expect, it } from 'vitest';
import { createCircuitBreaker } from './breaker.js';
import { createManualClock } from './clock.js';
import { providerFailure } from './errors.js';
import type { BreakerTransition } from './events.js';
import { DEFAULT_RETRY_POLICY, retryDelay } from './retry.js';

describe('retryDelay', () => {
  const mid = () => 0.5;
  it('backs off 100, 200, 400 ms and stops after 3 retries', () => {
    const f = providerFailure('anthropic', 'server', 'x');
    expect([1, 2, 3, 4].map((n) => retryDelay(DEFAULT_RETRY_POLICY, f, n, mid))).toEqual([100, 200, 400, undefined]);
  });
  it('jitters within ±20 %', () => {
    const f = providerFailure('anthropic', 'network', 'x');
    expect(retryDelay(DEFAULT_RETRY_POLICY, f, 2, () => 0)).toBe(160);
    expect(retryDelay(DEFAULT_RETRY_POLICY, f, 2, () => 0.9999)).toBe(240);
  });
  it('honours retry-after, but not beyond the cap', () => {
    expect(retryDelay(DEFAULT_RETRY_POLICY, providerFailure('openai', 'rate_limited', 'x', { retryAfterMs: 5000 }), 1, mid)).toBe(5000);
    expect(retryDelay(DEFAULT_RETRY_POLICY, providerFailure('openai', 'rate_limited', 'x', { retryAfterMs: 50 }), 1, mid)).toBe(100);
    expect(retryDelay(DEFAULT_RETRY_POLICY, providerFailure('openai', 'rate_limited', 'x', { retryAfterMs: 120_000 }), 1, mid)).toBeUndefined();
  });
  it.each(['auth', 'bad_request', 'context_too_long', 'cancelled'] as const)('never retries %s', (kind) => {
    expect(retryDelay(DEFAULT_RETRY_POLICY, providerFailure('openai', kind, 'x'), 1, mid)).toBeUndefined();
  });
});

describe('circuit breaker', () => {
  it('opens after the threshold, half-opens after the cooldown with exactly one trial, and reports transitions', () => {
    const clock = createManualClock(0);
    const seen: BreakerTransition[] = [];
    const b = createCircuitBreaker('openai', { threshold: 2, cooldownMs: 1000 }, clock, (t) => seen.push(t));
    b.onFailure();
    expect(b.snapshot().state).toBe('closed');
    b.onSuccess();
    b.onFailure();
    expect(b.snapshot().state).toBe('closed');
    clock.advance(5);
    b.onFailure();
    expect(b.snapshot()).toEqual({ provider: 'openai', state: 'open', consecutiveFailures: 2, retryAt: 1005 });
    clock.advance(999);
    expect(b.tryAcquire()).toBe(false);
    clock.advance(1);
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    b.onFailure();
    expect(b.snapshot().state).toBe('open');
    clock.advance(1000);
    expect(b.tryAcquire()).toBe(true);
    b.onSuccess();
    expect(b.tryAcquire()).toBe(true);
    expect(seen.map((t) => `${t.at}:${t.from}->${t.to}`)).toEqual([
      '5:closed->open',
      '1005:open->half_open',
      '1005:half_open->open',
      '2005:open->half_open',
      '2005:half_open->closed',
    ]);
  });
});
