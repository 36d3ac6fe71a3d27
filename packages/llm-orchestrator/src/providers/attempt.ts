import { ResultAsync } from 'neverthrow';
import { classifyError, type AbortCause } from '../classify.js';
import type { ProviderFailure, ProviderId } from '../errors.js';

/**
 * Runs one provider attempt under the caller's signal and a wall-clock timeout that covers the
 * whole body stream (the SDKs' own timeout stops at the response headers). Whatever is thrown is
 * classified once, here. SDK streams end quietly on abort, so an abort is checked after success too.
 */
export function runAttempt<T>(
  provider: ProviderId,
  options: { readonly signal?: AbortSignal; readonly timeoutMs: number },
  work: (signal: AbortSignal) => Promise<T>,
): ResultAsync<T, ProviderFailure> {
  const controller = new AbortController();
  let cause: AbortCause;
  const onAbort = () => {
    cause ??= 'cancelled';
    controller.abort();
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    cause ??= 'timeout';
    controller.abort();
  }, options.timeoutMs);
  const run = async (): Promise<T> => {
    try {
      if (controller.signal.aborted) throw new Error('aborted before start');
      const value = await work(controller.signal);
      if (controller.signal.aborted) throw new Error('aborted');
      return value;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  };
  return ResultAsync.fromPromise(run(), (e) => {
    const { unclassified: _u, ...failure } = classifyError(provider, e, cause);
    return failure;
  });
}
