import type { ResultAsync } from 'neverthrow';
import type { LearningError } from '../errors.js';

/**
 * Turns texts into unit-length vectors. The store keeps `id` with every vector, so a change of
 * embedder (model or version) is detected and the store re-embeds.
 */
export interface Embedder {
  /** Names the model and its version, for example `all-MiniLM-L6-v2/int8@1`. */
  readonly id: string;
  /** Length of every vector. */
  readonly dims: number;
  /** One L2-normalized vector per text, in order. */
  embed(texts: readonly string[]): ResultAsync<Float32Array[], LearningError>;
}

/** Cosine similarity of two unit vectors (their dot product). */
export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}
