import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ChromaClient } from 'chromadb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLearningStore, type LearningStore, type MistakeInput } from './index.js';
import { alive, MODEL_DIR, tempProject } from './test-support.js';

const mistake = (word: string): MistakeInput => ({
  source: 'manual',
  model: 'gpt-x',
  category: 'async',
  severity: 'major',
  description: `Called the ${word} coroutine without awaiting it`,
});

async function chromaCount(store: LearningStore): Promise<number> {
  const url = new URL(store.status().chromaUrl!);
  const client = new ChromaClient({ host: url.hostname, port: Number(url.port) });
  return (await client.getCollection({ name: 'llm_mistakes' })).count();
}

describe('recovery (real Chroma server, real SQLite)', () => {
  let project: Awaited<ReturnType<typeof tempProject>>;
  const open = async () => (await createLearningStore({ projectRoot: project.dir, modelDir: MODEL_DIR }))._unsafeUnwrap();

  beforeAll(async () => {
    project = await tempProject();
  });
  afterAll(async () => {
    await project?.cleanup();
  });

  it('survives the Chroma server crashing mid-session without losing a record', async () => {
    const store = await open();
    let pid: number | null = null;
    try {
      for (const w of ['alpha', 'bravo', 'charlie']) expect((await store.record(mistake(w)))._unsafeUnwrap().status).toBe('recorded');
      const before = store.status();
      expect(before.chromaPid).not.toBeNull();
      process.kill(-before.chromaPid!, 'SIGKILL');
      for (let i = 0; i < 50 && (await alive(before.chromaPid!)); i++) await new Promise((r) => setTimeout(r, 20));
      expect(await alive(before.chromaPid!)).toBe(false);

      // Records made right after the crash land in SQLite and reach the restarted server.
      const during = await Promise.all(['delta', 'echo'].map((w) => store.record(mistake(w))));
      for (const r of during) expect(r._unsafeUnwrap()).toMatchObject({ status: 'recorded', vectorSynced: true });
      const after = store.status();
      expect(after.recoveries).toBeGreaterThanOrEqual(1);
      expect(after.chromaPid).not.toBe(before.chromaPid);
      expect(after.patterns).toBe(5);
      expect(await chromaCount(store)).toBe(5);
      const hits = (await store.retrieve('Called the charlie coroutine without awaiting it', 'gpt-x', { minSimilarity: 0.9 }))._unsafeUnwrap();
      expect(hits[0]?.pattern.description).toBe('Called the charlie coroutine without awaiting it');
      pid = after.chromaPid;
    } finally {
      await store.close();
    }
    // close() stops the restarted server too.
    expect(await alive(pid!)).toBe(false);
  });

  it('rebuilds a corrupt Chroma store from SQLite', async () => {
    const chromaDir = path.join(project.dir, '.yantra', 'chroma');
    for (const f of await readdir(chromaDir, { recursive: true })) {
      if (f.endsWith('.sqlite3')) await writeFile(path.join(chromaDir, f), Buffer.alloc(64 * 1024, 0x5a));
    }
    const store = await open();
    try {
      expect(store.status().patterns).toBe(5);
      expect(await chromaCount(store)).toBe(5);
      const hits = (await store.retrieve('Called the echo coroutine without awaiting it', 'gpt-x', { minSimilarity: 0.9 }))._unsafeUnwrap();
      expect(hits[0]?.pattern.description).toBe('Called the echo coroutine without awaiting it');
    } finally {
      await store.close();
    }
  });

  it('moves a corrupt learning.db aside and restores the patterns Chroma still holds', async () => {
    const dbFile = path.join(project.dir, '.yantra', 'learning.db');
    await writeFile(dbFile, Buffer.alloc(32 * 1024, 0x42));
    const store = await open();
    try {
      const status = store.status();
      expect(status.quarantinedDb).toMatch(/learning\.db\.corrupt-\d+$/);
      expect(status.patterns).toBe(5);
      const listed = (await store.list())._unsafeUnwrap();
      expect(listed.map((p) => p.description).sort()).toEqual(
        ['alpha', 'bravo', 'charlie', 'delta', 'echo'].map((w) => `Called the ${w} coroutine without awaiting it`),
      );
      expect(listed.every((p) => p.category === 'async' && p.modelName === 'gpt-x')).toBe(true);
      // And it is a working store again.
      expect((await store.record(mistake('alpha')))._unsafeUnwrap()).toMatchObject({ status: 'incremented', pattern: { frequency: 2 } });
    } finally {
      await store.close();
    }
  });

  it('shares one server between two stores on the same project, and takes over when its owner closes', async () => {
    const owner = await open();
    const guest = await open();
    try {
      expect(owner.status().chromaPid).not.toBeNull();
      expect(guest.status()).toMatchObject({ chromaPid: null, chromaUrl: owner.status().chromaUrl });
      (await guest.record(mistake('foxtrot')))._unsafeUnwrap();
      (await owner.close())._unsafeUnwrap();
      // The guest's next call finds the server gone, starts its own and re-syncs from SQLite.
      expect((await guest.record(mistake('golf')))._unsafeUnwrap()).toMatchObject({ status: 'recorded', vectorSynced: true });
      expect(guest.status().chromaPid).not.toBeNull();
      expect(await chromaCount(guest)).toBe(guest.status().patterns);
    } finally {
      await owner.close();
      await guest.close();
    }
  });
});
