import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { FileRecord } from './db.js';
import type { Confidence, GraphEdge, GraphNode } from '../types.js';

/*
 * The cold build's database write, off the main thread. A worker thread with its own connection
 * replaces the whole content in ONE transaction: it begins when the files rows arrive (right after
 * the per-file phase, so it writes them while the main thread resolves) and commits after the
 * nodes and edges (sent as soon as they exist, written while the main thread fills the in-memory
 * graph). Until COMMIT the database holds the previous build: a failure or a kill rolls back.
 *
 * The bulk insert itself is cheaper than `replaceAll`: the tables are emptied first, so plain
 * INSERTs suffice (files, node ids and edge keys are unique by construction, as the keys of the
 * maps they come from); the secondary indexes are dropped and rebuilt once at the end of the same
 * transaction (sorting once beats inserting into three indexes at random); several rows per
 * statement; a 16 MB page cache (a larger one left more pages for COMMIT to write, no faster overall). Rows go in the order they were built, which already groups them
 * by file and source: sorting the edges by primary key first cost as much as it saved (measured).
 *
 * Messages are flat arrays: structured-cloning them costs a fraction of cloning the objects. The
 * IR goes as its JSON, which the table stores anyway (cloning the objects cost 4× stringifying
 * them). Edges go as the graph's map keys, strings that already exist, plus a byte per edge for
 * the confidence: 40 ms instead of 140 ms on the stdlib's 234k edges.
 */

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
let db = null;
// Time spent writing (the thread idles between the files and the graph).
let busy = 0;
let indexes = [];
const fail = (e) => {
  try { if (db && db.inTransaction) db.exec('ROLLBACK'); } catch {}
  try { db?.close(); } catch {}
  db = null;
  // The owner ends this thread when it reads the message.
  parentPort.postMessage({ t: 'error', message: String((e && e.message) || e), code: e && e.code ? String(e.code) : undefined });
};
// Inserts n rows of width w, k rows per statement; fill(params, offset, i) writes row i's values
// into the parameter array (no intermediate copy of all rows).
const insertRows = (table, w, n, k, fill) => {
  const row = '(' + Array(w).fill('?').join(',') + ')';
  const many = db.prepare('INSERT INTO ' + table + ' VALUES ' + Array(k).fill(row).join(','));
  const one = db.prepare('INSERT INTO ' + table + ' VALUES ' + row);
  const params = new Array(k * w);
  let i = 0;
  for (; i + k <= n; i += k) {
    for (let r = 0; r < k; r++) fill(params, r * w, i + r);
    many.run(params);
  }
  const single = new Array(w);
  for (; i < n; i++) {
    fill(single, 0, i);
    one.run(single);
  }
};
const copyRow = (flat, w) => (p, o, i) => {
  for (let c = 0; c < w; c++) p[o + c] = flat[i * w + c];
};
const begin = () => {
  const Database = require(workerData.module);
  db = new Database(workerData.file);
  db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -16384');
  db.pragma('temp_store = MEMORY');
  if (!workerData.autocheckpoint) db.pragma('wal_autocheckpoint = 0');
  db.exec('BEGIN IMMEDIATE');
  db.exec('DELETE FROM files; DELETE FROM nodes; DELETE FROM edges;');
  indexes = db.prepare("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('files', 'nodes', 'edges')").all();
  for (const ix of indexes) db.exec('DROP INDEX "' + ix.name.replace(/"/g, '""') + '"');
};
const insertNodes = (nf) => {
  // Nodes come as [id, kind, name, file, lineStart, lineEnd, signature, decorators, docstring];
  // \`data\` is built as the main connection's nodeRow builds it.
  insertRows('nodes (id, kind, name, file, line_start, line_end, data)', 7, nf.length / 9, 50, (p, o, i) => {
    const x = i * 9;
    const data = {};
    let any = false;
    if (nf[x + 6]) { data.signature = nf[x + 6]; any = true; }
    if (nf[x + 7]) { data.decorators = nf[x + 7]; any = true; }
    if (nf[x + 8] !== undefined) { data.docstring = nf[x + 8]; any = true; }
    for (let c = 0; c < 6; c++) p[o + c] = nf[x + c];
    p[o + 6] = any ? JSON.stringify(data) : null;
  });
};
parentPort.on('message', (m) => {
  if (m.t === 'abort') {
    try { if (db && db.inTransaction) db.exec('ROLLBACK'); } catch {}
    try { db?.close(); } catch {}
    db = null;
    parentPort.close();
    return;
  }
  const t0 = performance.now();
  try {
    if (m.t === 'files') {
      begin();
      insertRows('files (path, hash, mtime, size, loc, diagnostics, ir)', 7, m.rows.length / 7, 20, copyRow(m.rows, 7));
      busy += performance.now() - t0;
    } else if (m.t === 'nodes') {
      // The nodes known before resolution: inserted, and their table's indexes rebuilt, while the
      // main thread resolves; the nodes resolution adds (external ones) go in with the edges.
      insertNodes(m.nodes);
      indexes = indexes.filter((ix) => {
        if (ix.tbl_name !== 'nodes') return true;
        db.exec(ix.sql);
        return false;
      });
      busy += performance.now() - t0;
    } else if (m.t === 'graph') {
      insertNodes(m.nodes);
      // Edges come flat (source, kind, target, confidence), or as the graph's edge keys
      // ("source\u0001kind\u0001target") with one confidence code each.
      if (m.keys) {
        const { keys, codes, confidences } = m;
        insertRows('edges (source, kind, target, confidence)', 4, keys.length, 100, (p, o, i) => {
          const k = keys[i];
          const a = k.indexOf('\u0001');
          const b = k.indexOf('\u0001', a + 1);
          p[o] = k.slice(0, a);
          p[o + 1] = k.slice(a + 1, b);
          p[o + 2] = k.slice(b + 1);
          p[o + 3] = confidences[codes[i]];
        });
      } else {
        insertRows('edges (source, kind, target, confidence)', 4, m.edges.length / 4, 100, copyRow(m.edges, 4));
      }
      for (const ix of indexes) db.exec(ix.sql);
      db.exec('COMMIT');
      const graphMs = performance.now() - t0;
      db.close();
      db = null;
      parentPort.postMessage({ t: 'done', ms: busy + graphMs, graphMs });
    }
  } catch (e) {
    fail(e);
  }
});
`;

const CONFIDENCES: readonly Confidence[] = ['certain', 'possible'];

/**
 * The edges as their map keys plus confidence codes when the map is keyed by `edgeKey`'s format
 * (checked on every key's length and on the first key), else as flat rows.
 */
function edgeMessage(edges: Iterable<GraphEdge> | ReadonlyMap<string, GraphEdge>): { edges: string[] } | { keys: string[]; codes: Uint8Array; confidences: readonly Confidence[] } {
  const flat = () => {
    const out: string[] = [];
    for (const e of edges instanceof Map ? (edges as ReadonlyMap<string, GraphEdge>).values() : (edges as Iterable<GraphEdge>)) out.push(e.source, e.kind, e.target, e.confidence);
    return { edges: out };
  };
  if (!(edges instanceof Map)) return flat();
  const keys: string[] = new Array<string>(edges.size);
  const codes = new Uint8Array(edges.size);
  let i = 0;
  for (const [k, e] of edges as ReadonlyMap<string, GraphEdge>) {
    const code = CONFIDENCES.indexOf(e.confidence);
    if (code < 0 || k.length !== e.source.length + e.kind.length + e.target.length + 2) return flat();
    if (i === 0 && k !== `${e.source}\u0001${e.kind}\u0001${e.target}`) return flat();
    keys[i] = k;
    codes[i++] = code;
  }
  return { keys, codes, confidences: CONFIDENCES };
}

// Nodes as the writer reads them: [id, kind, name, file, lineStart, lineEnd, signature, decorators, docstring]…
function flatNodes(nodes: Iterable<GraphNode>): unknown[] {
  const flat: unknown[] = [];
  for (const n of nodes) flat.push(n.id, n.kind, n.name, n.file, n.lineStart, n.lineEnd, n.signature, n.decorators, n.docstring);
  return flat;
}

/** A replacement of the whole database in progress on the writer thread. */
export interface BulkReplace {
  /**
   * Sends the files rows; the writer begins the transaction. Serializes on this thread the forms
   * whose JSON text `irJson` does not hold already (by path).
   */
  files(records: Iterable<FileRecord>, irJson?: ReadonlyMap<string, string | null>): void;
  /** Sends nodes ahead of the rest of the graph (after `files`, before `graph`; optional). */
  nodes(nodes: Iterable<GraphNode>): void;
  /** Sends the (remaining) nodes and the edges; the writer inserts them and commits. */
  graph(nodes: Iterable<GraphNode>, edges: Iterable<GraphEdge> | ReadonlyMap<string, GraphEdge>): void;
  /**
   * Resolves after COMMIT with the writer's busy time (`writerMs`, of which `graphMs` after the
   * graph arrived); rejects with the writer's error (the transaction rolled back, the database holds
   * its previous content).
   */
  done(): Promise<{ writerMs: number; graphMs: number }>;
  /** Rolls back and stops the writer; resolves when its connection is closed. */
  abort(): Promise<void>;
  /** Main-thread milliseconds spent serializing and sending rows so far. */
  readonly sendMs: number;
}

/** Options of {@link startBulkReplace}. */
export interface BulkReplaceOptions {
  /** Whether the writer's connection checkpoints by itself (false when a checkpointer runs). */
  readonly autocheckpoint: boolean;
  /** How long the writer waits for another connection's write lock. Default 2000 ms. */
  readonly busyTimeoutMs?: number;
  /** The better-sqlite3 module the worker loads. Default: this package's. */
  readonly module?: string;
  /** Runs after the writer's COMMIT, before `done()` resolves (e.g. to ask for a WAL checkpoint). */
  readonly onCommit?: () => void;
}

/** The writer's failure, as reported by its thread. */
export class BulkWriteError extends Error {
  override readonly name = 'SqliteError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/**
 * Starts the writer thread for a database file, or returns null if no thread can be started. The
 * caller must not write through another connection until `done()` or `abort()` settled.
 */
export function startBulkReplace(file: string, options: BulkReplaceOptions): BulkReplace | null {
  let worker: Worker;
  try {
    const module = options.module ?? createRequire(import.meta.url).resolve('better-sqlite3');
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, module, autocheckpoint: options.autocheckpoint, busyTimeoutMs: options.busyTimeoutMs ?? 2000 },
    });
  } catch {
    return null;
  }
  let sendMs = 0;
  let settled = false;
  let exited = false;
  let resolveDone: (v: { writerMs: number; graphMs: number }) => void = () => undefined;
  let rejectDone: (e: Error) => void = () => undefined;
  const done = new Promise<{ writerMs: number; graphMs: number }>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  // A rejection nobody awaited yet (the build failed first) is not an unhandled one.
  done.catch(() => undefined);
  const exit = new Promise<void>((resolve) => worker.once('exit', () => ((exited = true), resolve())));
  const settle = (fn: () => void) => {
    if (settled) return;
    settled = true;
    fn();
  };
  worker.on('message', (m: { t: 'done'; ms: number; graphMs: number } | { t: 'error'; message: string; code?: string }) => {
    if (m.t === 'done')
      settle(() => {
        options.onCommit?.();
        resolveDone({ writerMs: m.ms, graphMs: m.graphMs });
      });
    else settle(() => rejectDone(new BulkWriteError(m.message, m.code)));
    // Its connection is closed before it reports either way.
    void worker.terminate();
  });
  worker.on('error', (e) => settle(() => rejectDone(e)));
  worker.on('exit', (code) => settle(() => rejectDone(new BulkWriteError(`database writer exited (${code})`, undefined))));
  const timed = (fn: () => void) => {
    const t = performance.now();
    try {
      fn();
    } finally {
      sendMs += performance.now() - t;
    }
  };
  return {
    get sendMs() {
      return sendMs;
    },
    files(records, irJson) {
      timed(() => {
        const rows: unknown[] = [];
        for (const f of records) {
          const json = irJson?.get(f.path);
          rows.push(f.path, f.hash, f.mtime, f.size, f.loc, JSON.stringify(f.diagnostics), json !== undefined ? json : f.ir ? JSON.stringify(f.ir) : null);
        }
        worker.postMessage({ t: 'files', rows });
      });
    },
    nodes(nodes) {
      timed(() => worker.postMessage({ t: 'nodes', nodes: flatNodes(nodes) }));
    },
    graph(nodes, edges) {
      timed(() => worker.postMessage({ t: 'graph', nodes: flatNodes(nodes), ...edgeMessage(edges) }));
    },
    done: () => done,
    async abort() {
      settle(() => rejectDone(new BulkWriteError('database write aborted', undefined)));
      if (exited) return;
      worker.postMessage({ t: 'abort' });
      await exit;
    },
  };
}
