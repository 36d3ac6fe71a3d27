import { describeUnknown, makeError, type YantraError } from '@yantra/shared';

/**
 * Everything a check can fail with, as plain serializable objects. A page with console errors
 * is not an error: it is a `CheckResult` with `ok: false`. These are failures to check at all.
 */
export type BrowserError =
  | (YantraError<'invalid_input'> & { readonly retryable: false; readonly field: string })
  | (YantraError<'launch_failed'> & { readonly retryable: boolean; readonly chromePath: string; readonly stderrTail?: string })
  | (YantraError<'browser_crashed'> & { readonly retryable: true })
  | (YantraError<'navigation_failed'> & { readonly retryable: boolean; readonly url: string; readonly errorText: string })
  | (YantraError<'timeout'> & { readonly retryable: true; readonly operation: string; readonly timeoutMs: number })
  | (YantraError<'protocol'> & { readonly retryable: false; readonly method: string })
  | (YantraError<'io'> & { readonly retryable: false; readonly path: string })
  | (YantraError<'closed'> & { readonly retryable: false });

export type BrowserErrorKind = BrowserError['kind'];

export function invalidInput(field: string, message: string): BrowserError {
  return makeError('invalid_input', message, { retryable: false as const, field });
}

export function ioError(path: string, cause: unknown): BrowserError {
  return makeError('io', `${path}: ${describeUnknown(cause)}`, { retryable: false as const, path });
}

/** Thrown inside a check's async body and turned back into a value at the boundary. */
export class BrowserFailure extends Error {
  constructor(readonly error: BrowserError) {
    super(error.message);
  }
}

/** The one place an unknown thrown value becomes a `BrowserError`. */
export function toBrowserError(cause: unknown, fallbackMethod = 'unknown'): BrowserError {
  if (cause instanceof BrowserFailure) return cause.error;
  return makeError('protocol', describeUnknown(cause), { retryable: false as const, method: fallbackMethod });
}
