import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalEmbedder } from './embedder/minilm.js';
import { createLearningStore, type MistakeInput } from './index.js';
import { MODEL_DIR, tempProject } from './test-support.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 1);

const manual = (description: string, timestamp: number, category: 'async' | 'type' = 'async'): MistakeInput => ({
  source: 'manual',
  model: 'gpt-x',
  category,
  severity: 'major',
  description,
  timestamp,
});

describe('maintenance (real embedder, in-process vectors)', () => {
  let project: Awaited<ReturnType<typeof tempProject>>;
  const embedder = createLocalEmbedder({ modelDir: MODEL_DIR });

  beforeAll(async () => {
    project = await tempProject();
  });
  afterAll(async () => {
    await project?.cleanup();
  });

  it('archives old rare patterns, merges near-duplicates and keeps the rest', async () => {
    const store = (await createLearningStore({ projectRoot: project.dir, embedder, chroma: 'off', clock: () => NOW }))._unsafeUnwrap();
    try {
      const old = NOW - 200 * DAY;
      (await store.record(manual('Opened a file without closing it', old, 'type')))._unsafeUnwrap();
      for (let i = 0; i < 3; i++) (await store.record(manual('Compared a string with an integer', old, 'type')))._unsafeUnwrap();
      (await store.record(manual('Forgot to await the fetch_user coroutine in the request handler', NOW)))._unsafeUnwrap();
      (await store.record(manual('Forgot to await the fetch_user coroutine in the request handler!', NOW)))._unsafeUnwrap();
      (await store.record(manual('Used time.sleep inside an async function', NOW)))._unsafeUnwrap();
      expect((await store.list())._unsafeUnwrap()).toHaveLength(5);

      const report = (await store.maintain())._unsafeUnwrap();
      expect(report.archived).toBe(1);
      expect(report.merged).toHaveLength(1);
      expect(report.reembedded).toBe(0);

      const active = (await store.list())._unsafeUnwrap();
      expect(active.map((p) => [p.description, p.frequency])).toEqual([
        ['Compared a string with an integer', 3],
        ['Forgot to await the fetch_user coroutine in the request handler', 2],
        ['Used time.sleep inside an async function', 1],
      ]);
      const all = (await store.list({ includeArchived: true }))._unsafeUnwrap();
      expect(all.find((p) => p.archived)?.description).toBe('Opened a file without closing it');
      // Archived patterns are no longer retrieved.
      expect((await store.retrieve('Opened a file without closing it', 'gpt-x', { minSimilarity: 0.9 }))._unsafeUnwrap()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('archives one pattern by hand, which then is listed only with includeArchived and never retrieved', async () => {
    const other = await tempProject();
    const store = (await createLearningStore({ projectRoot: other.dir, embedder, chroma: 'off', clock: () => NOW }))._unsafeUnwrap();
    try {
      (await store.record(manual('Used time.sleep inside an async function', NOW)))._unsafeUnwrap();
      const [pattern] = (await store.list())._unsafeUnwrap();
      expect((await store.archive(pattern?.id ?? ''))._unsafeUnwrap()).toEqual({ archived: true });
      expect((await store.archive(pattern?.id ?? ''))._unsafeUnwrap()).toEqual({ archived: false });
      expect((await store.archive('no-such-id'))._unsafeUnwrap()).toEqual({ archived: false });
      expect((await store.list())._unsafeUnwrap()).toEqual([]);
      expect((await store.list({ includeArchived: true }))._unsafeUnwrap().map((p) => p.archived)).toEqual([true]);
      expect((await store.retrieve('Used time.sleep inside an async function', 'gpt-x', { minSimilarity: 0.5 }))._unsafeUnwrap()).toEqual([]);
    } finally {
      await store.close();
      await other.cleanup();
    }
  });

  it('re-embeds every pattern when the embedder changes', async () => {
    const next = { id: 'all-MiniLM-L6-v2/next@2', dims: embedder.dims, embed: embedder.embed.bind(embedder) };
    const store = (await createLearningStore({ projectRoot: project.dir, embedder: next, chroma: 'off', clock: () => NOW }))._unsafeUnwrap();
    try {
      const all = (await store.list({ includeArchived: true }))._unsafeUnwrap();
      expect(all).toHaveLength(4);
      expect(all.every((p) => p.embedderId === 'all-MiniLM-L6-v2/next@2')).toBe(true);
      const hits = (await store.retrieve('Used time.sleep inside an async function', 'gpt-x', { minSimilarity: 0.9 }))._unsafeUnwrap();
      expect(hits.map((h) => h.pattern.description)).toEqual(['Used time.sleep inside an async function']);
    } finally {
      await store.close();
    }
  });
});
