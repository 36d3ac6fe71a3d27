import { describe, expect, it } from 'vitest';
import { createMemoryIndex } from './memory-index.js';

const unit = (...xs: number[]) => {
  const v = Float32Array.from(xs);
  const n = Math.hypot(...xs);
  return v.map((x) => x / n);
};

describe('memory index', () => {
  it('returns the k most similar items, best first, honouring the filter', async () => {
    const index = createMemoryIndex();
    const items = Array.from({ length: 50 }, (_, i) => ({
      id: `p${i}`,
      embedding: unit(Math.cos(i / 10), Math.sin(i / 10)),
      document: `d${i}`,
      metadata: { model_name: i % 2 === 0 ? 'even' : 'odd' },
    }));
    await index.upsert('llm_mistakes', items);
    const q = unit(1, 0);
    expect((await index.query('llm_mistakes', q, 3)).map((h) => h.id)).toEqual(['p0', 'p1', 'p2']);
    const odd = await index.query('llm_mistakes', q, 3, { model_name: 'odd' });
    expect(odd.map((h) => h.id)).toEqual(['p1', 'p3', 'p5']);
    expect(odd[0]!.similarity).toBeGreaterThan(odd[1]!.similarity);
    await index.delete('llm_mistakes', ['p0']);
    expect((await index.query('llm_mistakes', q, 1))[0]!.id).toBe('p1');
    expect(await index.count('llm_mistakes')).toBe(49);
  });
});
