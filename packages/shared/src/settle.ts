import type { Result, ResultAsync } from 'neverthrow';

/** A Result as a plain tagged object, for imperative code that branches on it. */
export type Settled<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

/**
 * Consumes a Result (or ResultAsync) into a plain `{ ok, value | error }` object. The Result is
 * handled here, once, so step-by-step orchestration code can branch without nesting callbacks.
 */
export async function settle<T, E>(result: Result<T, E> | ResultAsync<T, E>): Promise<Settled<T, E>> {
  const resolved = await result;
  return resolved.match(
    (value): Settled<T, E> => ({ ok: true, value }),
    (error): Settled<T, E> => ({ ok: false, error }),
  );
}
