import { makeError, type YantraError } from '@yantra/shared';

/**
 * Every error `@yantra/test-engine` returns: a closed union of plain, serializable objects.
 * Failing tests and runner-level problems (collection errors, timeouts) are NOT errors; they are
 * part of a successful {@link TestReport}. Errors mean the engine could not do its job at all.
 */
export type TestEngineError =
  | (YantraError<'invalid_input'> & { readonly field: string })
  | (YantraError<'python_not_found'> & { readonly tried: readonly string[] })
  | (YantraError<'spawn_failed'> & { readonly program: string })
  | YantraError<'junit_invalid'>
  | YantraError<'coverage_invalid'>
  | (YantraError<'analysis_failed'> & { readonly file: string })
  | (YantraError<'llm_failed'> & { readonly retryable: boolean })
  | (YantraError<'io_failed'> & { readonly path: string })
  | YantraError<'cancelled'>;

export type TestEngineErrorKind = TestEngineError['kind'];

export function invalidInput(field: string, message: string): TestEngineError {
  return makeError('invalid_input', message, { field });
}

export function ioFailed(path: string, message: string): TestEngineError {
  return makeError('io_failed', message, { path });
}
