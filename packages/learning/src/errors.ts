import { describeUnknown, type YantraError } from '@yantra/shared';

/**
 * Every failure `@yantra/learning` reports at its boundary. Plain objects, so they survive JSON,
 * IPC and MCP intact.
 * - `invalid_input`: the caller passed something malformed (bad JSON, unknown category...).
 * - `embedder_unavailable`: the model files are missing or cannot be loaded.
 * - `embedding_failed`: the model ran but failed on this input.
 * - `storage_failed`: SQLite could not be opened, migrated or written.
 * - `vector_store_unavailable`: Chroma cannot be started or reached (retryable).
 * - `io_failed`: reading or writing a settings/export file failed.
 * - `closed`: the store was used after `close()`.
 */
export type LearningErrorKind =
  | 'invalid_input'
  | 'embedder_unavailable'
  | 'embedding_failed'
  | 'storage_failed'
  | 'vector_store_unavailable'
  | 'io_failed'
  | 'closed';

export type LearningError = YantraError<LearningErrorKind> & { readonly retryable: boolean; readonly path?: string };

export function learningError(kind: LearningErrorKind, message: string, extra: { path?: string; retryable?: boolean } = {}): LearningError {
  const retryable = extra.retryable ?? kind === 'vector_store_unavailable';
  return extra.path === undefined ? { kind, message, retryable } : { kind, message, retryable, path: extra.path };
}

/** Maps a thrown value to a typed error at one boundary, keeping the cause's text. */
export function toLearningError(kind: LearningErrorKind, context: string): (cause: unknown) => LearningError {
  return (cause) => learningError(kind, `${context}: ${describeUnknown(cause)}`);
}
