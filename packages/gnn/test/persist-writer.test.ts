import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '@yantra/shared';
import { createGraphEngine, type GraphEngine, type GraphEngineOptions } from '../src/index.js';
import { openGraphStore, type FileRecord } from '../src/store/db.js';
import type { GraphEdge, GraphNode } from '../src/types.js';
import { snapshot, tempCopy, tempDir } from './helpers.js';

const engines: GraphEngine[] = [];
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const e of engines.splice(0)) e.close();
  for (const c of cleanups.splice(0)) c();
});

// The shop fixture plus generated modules with classes, decorators, docstrings, imports and calls:
// enough rows that the writer's multi-row statements and their remainders both run.
function project(): string {
  const t = tempCopy();
  cleanups.push(t.dispose);
  for (let m = 0; m < 12; m++) {
    const lines = [`"""Module ${m}."""`, m > 0 ? `from gen${m - 1} import Box${m - 1}, f${m - 1}_0` : '', ''];
    lines.push(`class Box${m}${m > 0 ? `(Box${m - 1})` : ''}:`, `    """Box ${m}."""`, '    @staticmethod', `    def make(x: int) -> "Box${m}":`, `        return Box${m}()`, '');
    for (let k = 0; k < 12; k++) {
      lines.push(`def f${m}_${k}(a, b=${k}):`, `    """f ${m} ${k}"""`, `    Box${m}.make(a)`, k > 0 ? `    return f${m}_${k - 1}(a, b)` : m > 0 ? `    return f${m - 1}_0(a, b)` : '    return a', '');
    }
    writeFileSync(path.join(t.dir, `gen${m}.py`), lines.join('\n'));
  }
  return t.dir;
}

function engine(root: string, extra: Partial<GraphEngineOptions> = {}): GraphEngine {
  // parallelThreshold 1 turns the writer thread on for this small project; no parse workers.
  const e = createGraphEngine({ root, parallelThreshold: 1, parseWorkers: 0, ...extra });
  engines.push(e);
  return e;
}

/** Every row of the three tables, sorted, plus the schema: what two builds must agree on. */
function dbContent(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    return {
      files: db.prepare('SELECT * FROM files ORDER BY path').raw().all(),
      nodes: db.prepare('SELECT * FROM nodes ORDER BY id').raw().all(),
      edges: db.prepare('SELECT * FROM edges ORDER BY source, kind, target').raw().all(),
      schema: db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name').raw().all(),
      version: [db.pragma('user_version', { simple: true })],
    };
  } finally {
    db.close();
  }
}

function warnings(onWarn: (message: string) => void = () => undefined): { logger: Logger; warned: string[] } {
  const warned: string[] = [];
  const noop = () => undefined;
  return {
    warned,
    logger: {
      debug: noop,
      info: noop,
      error: noop,
      warn: (message: string) => {
        warned.push(message);
        onWarn(message);
      },
    } as Logger,
  };
}

describe('the cold build written on the writer thread', () => {
  it('stores the forms parse workers sent as JSON text exactly as a serial build stores them', async () => {
    const root = project();
    const dbSerial = path.join(root, '.yantra', 'serial.db');
    const dbParallel = path.join(root, '.yantra', 'parallel.db');
    const serial = (await engine(root, { dbPath: dbSerial, persistWorker: false }).build())._unsafeUnwrap();
    const parallel = (await engine(root, { dbPath: dbParallel, parseWorkers: 1 }).build())._unsafeUnwrap();
    expect(serial.parseWorkers).toBe(0);
    expect(parallel.parseWorkers).toBe(1);
    expect(parallel.persistMode).toBe('worker');
    const got = dbContent(dbParallel);
    expect(got).toEqual(dbContent(dbSerial));
    expect(got.files?.length).toBeGreaterThan(12);
  });

  it('stores exactly the rows the main-thread write stores, and open() loads the cold-build graph from them', async () => {
    const root = project();
    const dbMain = path.join(root, '.yantra', 'main.db');
    const dbWorker = path.join(root, '.yantra', 'worker.db');
    const viaMain = (await engine(root, { dbPath: dbMain, persistWorker: false }).build())._unsafeUnwrap();
    const w = engine(root, { dbPath: dbWorker });
    const viaWorker = (await w.build())._unsafeUnwrap();
    expect(viaMain.persistMode).toBe('main');
    expect(viaWorker.persistMode).toBe('worker');
    expect(viaWorker.persistWriterMs).toBeGreaterThan(0);
    expect(viaWorker.nodes).toBeGreaterThan(200);
    expect(viaWorker.edges).toBeGreaterThan(200);
    expect(viaWorker.parseMs + viaWorker.resolveMs + viaWorker.persistMs).toBeCloseTo(viaWorker.totalMs, 3);
    const expected = dbContent(dbMain);
    expect(dbContent(dbWorker)).toEqual(expected);

    // A second build over the existing database replaces it entirely, same rows again.
    writeFileSync(path.join(root, 'gen0.py'), 'def only():\n    return 1\n');
    const rebuilt = (await w.build())._unsafeUnwrap();
    expect(rebuilt.persistMode).toBe('worker');
    const again = engine(root, { dbPath: dbMain, persistWorker: false });
    (await again.build())._unsafeUnwrap();
    expect(dbContent(dbWorker)).toEqual(dbContent(dbMain));

    const loaded = engine(root, { dbPath: dbWorker });
    expect((await loaded.open({ refresh: false }))._unsafeUnwrap().mode).toBe('loaded');
    const cold = engine(root, { dbPath: false });
    (await cold.build())._unsafeUnwrap();
    expect(snapshot(loaded)).toEqual(snapshot(cold));
    // Updates after a writer-thread build go through the main connection as before.
    writeFileSync(path.join(root, 'gen1.py'), 'def g():\n    return only()\n');
    (await w.update([path.join(root, 'gen1.py')]))._unsafeUnwrap();
    w.close();
    const reopened = engine(root, { dbPath: dbWorker });
    (await reopened.open({ refresh: false }))._unsafeUnwrap();
    expect(reopened.node('gen1.g')?.kind).toBe('function');
    const coldAfter = engine(root, { dbPath: false });
    (await coldAfter.build())._unsafeUnwrap();
    expect(snapshot(reopened)).toEqual(snapshot(coldAfter));
  }, 60_000);

  it('runs an update() queued behind a writer-thread build after its COMMIT, so both writes land', async () => {
    const root = project();
    const e = engine(root);
    // The file changes once the build has read every file, before its writer commits; the update
    // is queued while the build is in flight.
    const building = e.build({
      onProgress: (done, total) => {
        if (done === total) writeFileSync(path.join(root, 'gen5.py'), 'def queued():\n    return 5\n');
      },
    });
    const updating = e.update([path.join(root, 'gen5.py')]);
    const built = (await building)._unsafeUnwrap();
    expect(built.persistMode).toBe('worker');
    expect((await updating)._unsafeUnwrap().changed).toEqual(['gen5.py']);
    e.close();
    const reopened = engine(root);
    expect((await reopened.open({ refresh: false }))._unsafeUnwrap().mode).toBe('loaded');
    expect(reopened.node('gen5.queued')?.kind).toBe('function');
    const cold = engine(root, { dbPath: false });
    (await cold.build())._unsafeUnwrap();
    expect(snapshot(reopened)).toEqual(snapshot(cold));
  }, 60_000);

  it('fails with a retryable db_failed error while another connection holds the write lock, leaving the previous graph loadable', async () => {
    const root = project();
    const first = engine(root);
    (await first.build())._unsafeUnwrap();
    const before = snapshot(first);
    first.close();
    const dbFile = path.join(root, '.yantra', 'graph.db');
    const stored = dbContent(dbFile);
    writeFileSync(path.join(root, 'gen3.py'), 'def changed():\n    return 3\n');

    const holder = new Database(dbFile);
    holder.exec('BEGIN IMMEDIATE');
    const { logger, warned } = warnings();
    try {
      const r = await engine(root, { logger }).build();
      expect(r.isErr()).toBe(true);
      const error = r._unsafeUnwrapErr();
      expect(error.kind).toBe('db_failed');
      expect(error).toMatchObject({ retryable: true });
      // The writer thread failed first (busy), then the main-thread fallback did.
      expect(warned).toContain('graph database writer failed; writing on the main thread');
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(dbContent(dbFile)).toEqual(stored);
    const loaded = engine(root);
    expect((await loaded.open({ refresh: false }))._unsafeUnwrap().mode).toBe('loaded');
    expect(snapshot(loaded)).toEqual(before);
  }, 60_000);

  it('falls back to the main thread when the writer fails, and stores the same rows', async () => {
    const root = project();
    const dbFile = path.join(root, '.yantra', 'graph.db');
    const reference = path.join(root, '.yantra', 'reference.db');
    (await engine(root, { dbPath: reference, persistWorker: false }).build())._unsafeUnwrap();
    // Another connection holds the write lock until the writer thread gave up; the warning is
    // logged just before the main thread writes, so releasing it there lets the fallback succeed.
    // The database must exist (with its schema) before another connection locks it.
    openGraphStore(dbFile).store.close();
    const lock = new Database(dbFile);
    lock.exec('BEGIN IMMEDIATE');
    const { logger, warned } = warnings(() => {
      if (lock.inTransaction) lock.exec('ROLLBACK');
    });
    try {
      const r = (await engine(root, { logger }).build())._unsafeUnwrap();
      expect(r.persistMode).toBe('main');
      expect(r.persistWriterMs).toBe(0);
      expect(warned).toEqual(['graph database writer failed; writing on the main thread']);
    } finally {
      if (lock.inTransaction) lock.exec('ROLLBACK');
      lock.close();
    }
    expect(dbContent(dbFile)).toEqual(dbContent(reference));
  }, 60_000);
});

describe('the writer thread of a store', () => {
  const files = (n: number, tag: string): FileRecord[] =>
    Array.from({ length: n }, (_, i) => ({ path: `m${i}.py`, hash: `${tag}${i}`, mtime: i, size: i, loc: i, diagnostics: [], ir: null }));
  const nodes = (n: number, tag: string): GraphNode[] =>
    Array.from({ length: n }, (_, i) => ({ id: `${tag}.f${i}`, kind: 'function', name: `f${i}`, file: `m${i % 7}.py`, lineStart: i, lineEnd: i + 1, docstring: `doc ${i}` }));
  const edges = (n: number, tag: string): GraphEdge[] => Array.from({ length: n - 1 }, (_, i) => ({ source: `${tag}.f${i}`, target: `${tag}.f${i + 1}`, kind: 'calls', confidence: 'certain' }));

  function seeded(): { file: string; store: ReturnType<typeof openGraphStore>['store'] } {
    const t = tempDir();
    cleanups.push(t.dispose);
    const file = path.join(t.dir, 'graph.db');
    const { store } = openGraphStore(file);
    cleanups.unshift(() => store.close());
    store.replaceAll(files(30, 'old'), nodes(300, 'old'), edges(300, 'old'));
    return { file, store };
  }

  it('rolls back when aborted after the files rows: the previous content stays and the main connection can write again', async () => {
    const { file, store } = seeded();
    const before = dbContent(file);
    const bulk = store.startReplace();
    expect(bulk).not.toBeNull();
    bulk?.files(files(50, 'new'));
    // Let the writer begin its transaction and insert the files before aborting.
    await new Promise((r) => setTimeout(r, 300));
    await bulk?.abort();
    await expect(bulk?.done()).rejects.toThrow(/aborted/);
    expect(dbContent(file)).toEqual(before);
    store.replaceAll(files(2, 'after'), nodes(3, 'after'), edges(3, 'after'));
    expect(store.loadFiles(false).map((f) => f.hash)).toEqual(['after0', 'after1']);
  });

  it('reports a writer that cannot load SQLite as a rejected write, leaving the previous content', async () => {
    const { file } = seeded();
    const before = dbContent(file);
    const { startBulkReplace } = await import('../src/store/bulk-writer.js');
    const bulk = startBulkReplace(file, { autocheckpoint: true, module: path.join(path.dirname(file), 'no-such-module.js') });
    expect(bulk).not.toBeNull();
    bulk?.files(files(5, 'new'));
    bulk?.graph(nodes(5, 'new'), edges(5, 'new'));
    await expect(bulk?.done()).rejects.toThrow(/no-such-module/);
    expect(dbContent(file)).toEqual(before);
  });

  it('commits files, nodes and edges in one transaction, replacing everything', async () => {
    const { file, store } = seeded();
    const bulk = store.startReplace();
    bulk?.files(files(3, 'new'));
    bulk?.graph(nodes(257, 'new'), edges(257, 'new'));
    const r = await bulk?.done();
    expect(r?.writerMs).toBeGreaterThan(0);
    expect(bulk?.sendMs).toBeGreaterThan(0);
    const got = store.loadGraph();
    expect(got.nodes.map((n) => n.id).sort()).toEqual(nodes(257, 'new').map((n) => n.id).sort());
    expect(got.nodes.find((n) => n.id === 'new.f9')).toEqual(nodes(257, 'new')[9]);
    expect(got.edges).toHaveLength(256);
    expect(store.loadFiles(false).map((f) => f.hash)).toEqual(['new0', 'new1', 'new2']);
    // The indexes dropped for the bulk insert are back, with the same definitions.
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`).pluck().all()).toEqual(['edges_target', 'nodes_file', 'nodes_name']);
    } finally {
      db.close();
    }
  });

  it('stores the JSON text it is given for a form, and takes nodes sent ahead of the graph', async () => {
    const { file, store } = seeded();
    const bulk = store.startReplace();
    const recs = files(3, 'new');
    const first = recs[0] as FileRecord;
    // A text the main thread would never produce from the form: it must be the one stored.
    const given = new Map([[first.path, '{ "given" : true }']]);
    bulk?.files(recs, given);
    const all = nodes(120, 'new');
    bulk?.nodes(all.slice(0, 100));
    bulk?.graph(all.slice(100), edges(120, 'new'));
    await bulk?.done();
    const db = new Database(file, { readonly: true });
    try {
      const irs = db.prepare('SELECT path, ir FROM files ORDER BY path').raw().all() as [string, string | null][];
      expect(irs[0]).toEqual([first.path, '{ "given" : true }']);
      // Without a given text, the form is serialized as the main-thread write does.
      const second = recs[1] as FileRecord;
      expect(irs[1]?.[1]).toBe(second.ir ? JSON.stringify(second.ir) : null);
      expect(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`).pluck().all()).toEqual(['edges_target', 'nodes_file', 'nodes_name']);
    } finally {
      db.close();
    }
    const got = store.loadGraph();
    expect(got.nodes.map((n) => n.id).sort()).toEqual(all.map((n) => n.id).sort());
    expect(got.nodes.find((n) => n.id === 'new.f110')).toEqual(all[110]);
    expect(got.edges).toHaveLength(119);
  });
});
