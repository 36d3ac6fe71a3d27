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
      const filters = where ? Object.entries(where) : [];
      // Keep only the best k while scanning (sorted descending), instead of sorting everything.
      const top: VectorHit[] = [];
      for (const it of col(name).values()) {
        if (filters.some(([key, value]) => it.metadata[key] !== value)) continue;
        const similarity = cosine(embedding, it.embedding);
        if (top.length === k && similarity <= (top[k - 1] as VectorHit).similarity) continue;
        let at = top.length;
        while (at > 0 && (top[at - 1] as VectorHit).similarity < similarity) at--;
        top.splice(at, 0, { id: it.id, similarity });
        if (top.length > k) top.pop();
      }
      return top;
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
