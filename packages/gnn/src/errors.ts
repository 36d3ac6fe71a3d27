import type { YantraError } from '@yantra/shared';

/**
 * Every failure `@yantra/gnn` reports at its boundary. A Python file that does not parse is not
 * an error (it becomes a {@link Diagnostic}); these are failures of the operation itself.
 */
export type GnnError =
  | (YantraError<'invalid_root'> & { readonly path: string })
  | (YantraError<'db_failed'> & { readonly path: string; readonly retryable: boolean })
  | (YantraError<'not_found'> & { readonly id: string })
  | YantraError<'aborted'>
  | YantraError<'closed'>
  | YantraError<'internal'>;

export type GnnErrorKind = GnnError['kind'];
