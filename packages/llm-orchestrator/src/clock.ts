/** Time as the orchestrator sees it. Injected so tests control backoff and breaker cooldowns. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or early (resolving false) if the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<boolean>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<boolean>((resolve) => {
      if (signal?.aborted) return resolve(false);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** A clock for tests: `sleep` advances time instantly and records each delay. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  readonly sleeps: number[];
}

export function createManualClock(start = 0): ManualClock {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms, signal) => {
      if (signal?.aborted) return false;
      sleeps.push(ms);
      t += ms;
      return true;
    },
    advance: (ms) => {
      t += ms;
    },
    sleeps,
  };
}
