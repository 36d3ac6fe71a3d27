import { readFileSync, rmSync } from 'node:fs';
import { ChromaClient, type Collection } from 'chromadb';
import { describeUnknown, errnoCode, writeFileAtomic, type Logger } from '@yantra/shared';
import { heartbeat, startChromaServer, type ChromaServer } from './chroma-server.js';
import type { CollectionName, VectorIndex, VectorItem } from './port.js';

/** Where the vectors go: a server we start over `dataDir`, or a server someone else runs. */
export type ChromaTarget = { readonly kind: 'embedded'; readonly dataDir: string } | { readonly kind: 'remote'; readonly url: string };

export interface ChromaIndexOptions {
  readonly target: ChromaTarget;
  /** Stored on the collections; a different embedder means the vectors are dropped and rebuilt. */
  readonly embedderId: string;
  readonly logger: Logger;
  /**
   * Called after the server was restarted or its store rebuilt, before the failed operation is
   * retried: the owner re-syncs vectors from SQLite through `index` (the unguarded operations, so
   * the re-sync does not wait on the recovery it is part of).
   */
  readonly onRecovered: (reason: string, index: Omit<VectorIndex, 'kind' | 'close'>) => Promise<void>;
}

/** The Chroma-backed index, with the server it supervises. */
export interface ChromaIndex extends VectorIndex {
  readonly kind: 'chroma';
  /** The base URL currently in use. */
  url(): string;
  /** How many times the server was restarted or reconnected after a failure. */
  recoveries(): number;
  /** The process id of the embedded server, if one runs. */
  serverPid(): number | undefined;
}

const NAMES: readonly CollectionName[] = ['llm_mistakes', 'successful_fixes'];

/** `.yantra/chroma.server.json`: which server serves `.yantra/chroma`, for other processes. */
const serverFile = (dataDir: string) => `${dataDir.replace(/[\\/]+$/, '')}.server.json`;

function readServerFile(file: string): { pid: number; url: string } | undefined {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown; url?: unknown };
    return typeof v.pid === 'number' && typeof v.url === 'string' && /^http:\/\/127\.0\.0\.1:\d+$/.test(v.url) ? { pid: v.pid, url: v.url } : undefined;
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoCode(e) === 'EPERM';
  }
}

/** The URL of a live server another process started over `dataDir`, if any. */
async function sharedServer(dataDir: string): Promise<string | undefined> {
  const found = readServerFile(serverFile(dataDir));
  if (!found || !pidAlive(found.pid)) return undefined;
  return (await heartbeat(found.url)) ? found.url : undefined;
}

function isConnectionFailure(e: unknown): boolean {
  const text = `${e instanceof Error ? e.name : ''} ${describeUnknown(e)}`;
  return /ChromaConnectionError|fetch failed|ECONNREFUSED|ECONNRESET|socket hang up|other side closed|Failed to connect|UND_ERR|terminated/i.test(text);
}

/**
 * Opens the Chroma index: starts (or connects to) the server, creates the collections with cosine
 * space and no embedding function (Yantra always passes its own vectors). A store that cannot be
 * opened is deleted and recreated; SQLite holds everything needed to refill it.
 */
export async function openChromaIndex(options: ChromaIndexOptions): Promise<ChromaIndex> {
  const { target, logger } = options;
  let server: ChromaServer | undefined;
  let client: ChromaClient;
  let baseUrl = target.kind === 'remote' ? target.url.replace(/\/+$/, '') : '';
  let collections = new Map<CollectionName, Collection>();
  let recoveries = 0;
  let closed = false;
  let reconnecting: Promise<void> | undefined;

  let usingShared = false;

  const connect = async (): Promise<void> => {
    if (target.kind === 'embedded') {
      if (server?.alive()) await server.stop();
      server = undefined;
      const shared = await sharedServer(target.dataDir);
      usingShared = shared !== undefined;
      if (shared) {
        // Another Yantra process serves this store; two servers over one folder would corrupt it.
        baseUrl = shared;
        logger.debug('using the Chroma server another process started', { url: shared });
      } else {
        server = await startChromaServer({ dataDir: target.dataDir, logger });
        baseUrl = server.url;
        await writeFileAtomic(serverFile(target.dataDir), JSON.stringify({ pid: server.pid, url: server.url })).match(
          () => undefined,
          (e) => logger.warn('cannot record the Chroma server for other processes', { message: e.message }),
        );
      }
    }
    const u = new URL(baseUrl);
    client = new ChromaClient({ host: u.hostname, port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)), ssl: u.protocol === 'https:' });
    await openCollections();
  };

  const openCollections = async (): Promise<void> => {
    const next = new Map<CollectionName, Collection>();
    for (const name of NAMES) {
      let c = await client.getOrCreateCollection({
        name,
        embeddingFunction: null,
        configuration: { hnsw: { space: 'cosine' } },
        metadata: { embedder: options.embedderId },
      });
      if (c.metadata?.['embedder'] !== options.embedderId) {
        // Vectors from another embedder are not comparable with ours: drop and rebuild.
        logger.info('chroma collection was built by another embedder; rebuilding it', { name, was: c.metadata?.['embedder'] });
        await client.deleteCollection({ name });
        c = await client.getOrCreateCollection({ name, embeddingFunction: null, configuration: { hnsw: { space: 'cosine' } }, metadata: { embedder: options.embedderId } });
      }
      next.set(name, c);
    }
    collections = next;
  };

  const connectOrRebuild = async (): Promise<void> => {
    try {
      await connect();
    } catch (e) {
      if (target.kind !== 'embedded' || usingShared) throw e;
      logger.warn('the Chroma store cannot be opened; deleting it and rebuilding from SQLite', { cause: describeUnknown(e) });
      await server?.stop();
      rmSync(target.dataDir, { recursive: true, force: true });
      await connect();
    }
  };

  const recover = (reason: string): Promise<void> => {
    reconnecting ??= (async () => {
      recoveries++;
      logger.warn('chroma is unreachable; reconnecting', { reason });
      await connectOrRebuild();
      // `raw` is defined below; recovery only runs after open has returned.
      await options.onRecovered(reason, raw);
    })().finally(() => {
      reconnecting = undefined;
    });
    return reconnecting;
  };

  const col = (name: CollectionName): Collection => {
    const c = collections.get(name);
    if (!c) throw new Error(`collection ${name} is not open`);
    return c;
  };

  /** Runs an operation; when the server has gone away, recovers once and tries again. */
  const guarded = async <T>(op: () => Promise<T>): Promise<T> => {
    if (closed) throw new Error('the Chroma index is closed');
    if (reconnecting) await reconnecting;
    try {
      if (server && !server.alive()) throw new Error('ChromaConnectionError: the embedded server exited');
      return await op();
    } catch (e) {
      if (!isConnectionFailure(e)) throw e;
      await recover(describeUnknown(e));
      return op();
    }
  };

  const raw: Omit<VectorIndex, 'kind' | 'close'> = {
    async upsert(name, items) {
      for (let i = 0; i < items.length; i += 1000) {
        const batch = items.slice(i, i + 1000);
        await col(name).upsert({
          ids: batch.map((x) => x.id),
          embeddings: batch.map((x) => Array.from(x.embedding)),
          documents: batch.map((x) => x.document),
          metadatas: batch.map((x) => ({ ...x.metadata })),
        });
      }
    },
    async query(name, embedding, k, where) {
      const whereClause = where && Object.keys(where).length > 0 ? where : undefined;
      const r = await col(name).query({
        queryEmbeddings: [Array.from(embedding)],
        nResults: Math.max(1, k),
        include: ['distances'],
        ...(whereClause ? { where: whereClause } : {}),
      });
      const ids = r.ids[0] ?? [];
      const distances = r.distances?.[0] ?? [];
      return ids.map((id, i) => ({ id, similarity: 1 - (distances[i] ?? 2) }));
    },
    async delete(name, ids) {
      for (let i = 0; i < ids.length; i += 1000) await col(name).delete({ ids: ids.slice(i, i + 1000) });
    },
    count: (name) => col(name).count(),
    async dump(name) {
      const out: VectorItem[] = [];
      for (let offset = 0; ; offset += 2000) {
        const r = await col(name).get({ include: ['embeddings', 'documents', 'metadatas'], limit: 2000, offset });
        r.ids.forEach((id, i) => {
          const meta: Record<string, string | number | boolean> = {};
          for (const [k, v] of Object.entries(r.metadatas[i] ?? {})) if (v !== null && typeof v !== 'object') meta[k] = v;
          out.push({ id, embedding: Float32Array.from(r.embeddings[i] ?? []), document: r.documents[i] ?? '', metadata: meta });
        });
        if (r.ids.length < 2000) return out;
      }
    },
    async ids(name) {
      const out: string[] = [];
      for (let offset = 0; ; offset += 5000) {
        const r = await col(name).get({ include: [], limit: 5000, offset });
        out.push(...r.ids);
        if (r.ids.length < 5000) return out;
      }
    },
    async reset() {
      for (const name of NAMES) await client.deleteCollection({ name }).catch(() => undefined);
      await openCollections();
    },
  };

  try {
    await connectOrRebuild();
  } catch (e) {
    await server?.stop();
    throw e;
  }

  return {
    kind: 'chroma',
    url: () => baseUrl,
    recoveries: () => recoveries,
    serverPid: () => server?.pid,
    upsert: (name, items) => guarded(() => raw.upsert(name, items)),
    query: (name, embedding, k, where) => guarded(() => raw.query(name, embedding, k, where)),
    delete: (name, ids) => guarded(() => raw.delete(name, ids)),
    count: (name) => guarded(() => raw.count(name)),
    ids: (name) => guarded(() => raw.ids(name)),
    dump: (name) => guarded(() => raw.dump(name)),
    reset: () => guarded(() => raw.reset()),
    close: async () => {
      closed = true;
      if (reconnecting) await reconnecting.catch(() => undefined);
      if (server && target.kind === 'embedded') {
        const file = serverFile(target.dataDir);
        if (readServerFile(file)?.pid === server.pid) rmSync(file, { force: true });
      }
      await server?.stop();
    },
  };
}
