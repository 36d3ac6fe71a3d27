import { cosine } from '../embedder/port.js';
import type { CollectionName, VectorHit, VectorIndex, VectorItem } from './port.js';

/**
 * An exact in-process index: brute-force cosine over all vectors. Used when Chroma is `off` and as
 * the fallback while Chroma is unreachable. 10,000 × 384 dims scan in a few milliseconds.
 */
export function createMemoryIndex(): VectorIndex {
  const collections = new Map<CollectionName, Map<string, VectorItem>>();
  const col = (name: CollectionName) => {
    let c = collections.get(name);
    if (!c) {
      c = new Map();
      collections.set(name, c);
    }
    return c;
  };
  return {
    kind: 'memory',
    async upsert(name, items) {
      const c = col(name);
      for (const it of items) c.set(it.id, it);
    },
    async query(name, embedding, k, where) {
      const hits: VectorHit[] = [];
      for (const it of col(name).values()) {
        if (where && Object.entries(where).some(([key, value]) => it.metadata[key] !== value)) continue;
        hits.push({ id: it.id, similarity: cosine(embedding, it.embedding) });
      }
      hits.sort((a, b) => b.similarity - a.similarity);
      return hits.slice(0, k);
    },
    async delete(name, ids) {
      const c = col(name);
      for (const id of ids) c.delete(id);
    },
    async count(name) {
      return col(name).size;
    },
    async dump(name) {
      return [...col(name).values()];
    },
    async ids(name) {
      return [...col(name).keys()];
    },
    async reset() {
      collections.clear();
    },
    async close() {
      collections.clear();
    },
  };
}
