import path from 'node:path';
import { silentLogger } from '@yantra/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLearningStore } from '../index.js';
import { alive, MODEL_DIR, tempProject } from '../test-support.js';
import { heartbeat, startChromaServer, type ChromaServer } from './chroma-server.js';

describe('a remote Chroma server (real server started separately)', () => {
  let project: Awaited<ReturnType<typeof tempProject>>;
  let server: ChromaServer;

  beforeAll(async () => {
    project = await tempProject();
    server = await startChromaServer({ dataDir: path.join(project.dir, 'remote-chroma'), logger: silentLogger });
  });
  afterAll(async () => {
    await server?.stop();
    await project?.cleanup();
  });

  it('stores vectors there, starts no server of its own and leaves the remote one running', async () => {
    const store = (await createLearningStore({ projectRoot: project.dir, modelDir: MODEL_DIR, chroma: { url: server.url } }))._unsafeUnwrap();
    try {
      expect(store.status()).toMatchObject({ vectorIndex: 'chroma', chromaUrl: server.url, chromaPid: null });
      (await store.record({ source: 'manual', model: 'm', category: 'import', severity: 'critical', description: 'Imported slugify from a module that does not define it' }))._unsafeUnwrap();
      const hits = (await store.retrieve('Imported slugify from a module that does not define it', 'm', { minSimilarity: 0.9 }))._unsafeUnwrap();
      expect(hits).toHaveLength(1);
    } finally {
      (await store.close())._unsafeUnwrap();
    }
    expect(await alive(server.pid)).toBe(true);
    expect(await heartbeat(server.url)).toBe(true);
  });

  it('reports an unreachable remote as a retryable vector_store_unavailable error', async () => {
    const r = await createLearningStore({ projectRoot: project.dir, modelDir: MODEL_DIR, chroma: { url: 'http://127.0.0.1:9' } });
    expect(r._unsafeUnwrapErr()).toMatchObject({ kind: 'vector_store_unavailable', retryable: true });
  });
});
