/** The two collections Yantra keeps vectors in. */
export type CollectionName = 'llm_mistakes' | 'successful_fixes';

export interface VectorItem {
  readonly id: string;
  readonly embedding: Float32Array;
  readonly document: string;
  readonly metadata: Readonly<Record<string, string | number | boolean>>;
}

export interface VectorHit {
  readonly id: string;
  /** Cosine similarity in [-1, 1]. */
  readonly similarity: number;
}

/**
 * Where vectors live. SQLite stays the source of truth; an index can always be rebuilt from it, so
 * implementations may lose data (a crash, a corrupt store) as long as they say so through `count`.
 */
export interface VectorIndex {
  readonly kind: 'chroma' | 'memory';
  upsert(collection: CollectionName, items: readonly VectorItem[]): Promise<void>;
  query(collection: CollectionName, embedding: Float32Array, k: number, where?: Readonly<Record<string, string>>): Promise<VectorHit[]>;
  delete(collection: CollectionName, ids: readonly string[]): Promise<void>;
  count(collection: CollectionName): Promise<number>;
  /** Every item with its vector, document and metadata (for restoring a lost SQLite file). */
  dump(collection: CollectionName): Promise<VectorItem[]>;
  /** Every id in a collection (for reconciling with SQLite). */
  ids(collection: CollectionName): Promise<string[]>;
  /** Drops everything in both collections. */
  reset(): Promise<void>;
  close(): Promise<void>;
}
