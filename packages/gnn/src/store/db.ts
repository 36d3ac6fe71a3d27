import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startBulkReplace, type BulkReplace } from './bulk-writer.js';
import { startCheckpointer } from './checkpointer.js';
import type { ChunkTable } from '../parse/extract.js';
import type { FileIR } from '../parse/ir.js';
import type { Diagnostic, GraphEdge, GraphNode } from '../types.js';

/** Append-only schema migrations; index i brings the database to user_version i + 1. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE files (
     path TEXT PRIMARY KEY,
     hash TEXT NOT NULL,
     mtime REAL NOT NULL,
     size INTEGER NOT NULL,
     loc INTEGER NOT NULL,
     diagnostics TEXT NOT NULL,
     ir TEXT
   );
   CREATE TABLE nodes (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     name TEXT NOT NULL,
     file TEXT NOT NULL,
     line_start INTEGER NOT NULL,
     line_end INTEGER NOT NULL,
     data TEXT
   );
   CREATE INDEX nodes_name ON nodes(name);
   CREATE INDEX nodes_file ON nodes(file);
   CREATE TABLE edges (
     source TEXT NOT NULL,
     kind TEXT NOT NULL,
     target TEXT NOT NULL,
     confidence TEXT NOT NULL,
     PRIMARY KEY (source, kind, target)
   ) WITHOUT ROWID;
   CREATE INDEX edges_target ON edges(target);`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** One indexed file as stored. `ir` is null for files that are not Python source (binary). */
export interface FileRecord {
  readonly path: string;
  readonly hash: string;
  readonly mtime: number;
  readonly size: number;
  readonly loc: number;
  readonly diagnostics: Diagnostic[];
  ir: FileIR | null;
  /** In memory only: the source and statement table an update can re-extract one statement from. */
  readonly chunks?: ChunkTable;
}

/** One update's writes. */
export interface StoreChange {
  readonly upsertFiles: readonly FileRecord[];
  readonly deleteFiles: readonly string[];
  readonly upsertNodes: readonly GraphNode[];
  /** Nodes whose lines alone changed. */
  readonly moveNodes?: readonly GraphNode[];
  readonly deleteNodes: readonly string[];
  readonly addEdges: readonly GraphEdge[];
  readonly deleteEdges: readonly GraphEdge[];
}

export interface GraphStore {
  readonly path: string;
  loadFiles(withIr: boolean): FileRecord[];
  loadIr(): Map<string, FileIR | null>;
  /** One file's stored intermediate form (null for a binary file), or undefined if the file is not stored. */
  loadOneIr(path: string): FileIR | null | undefined;
  /** Nodes and edges, with each edge's graph key (`edgeKey`) at the same index. */
  loadGraph(): { nodes: GraphNode[]; edges: GraphEdge[]; keys: string[] };
  replaceAll(files: readonly FileRecord[], nodes: Iterable<GraphNode>, edges: Iterable<GraphEdge>): void;
  /**
   * Starts replacing the whole content on a writer thread with its own connection, in one
   * transaction (see bulk-writer.ts), or returns null if no thread can be started. Nothing may be
   * written through this store until it settled.
   */
  startReplace(options?: { busyTimeoutMs?: number }): BulkReplace | null;
  /** Applies the changes in order, all in one transaction. */
  applyChanges(changes: readonly StoreChange[]): void;
  close(): void;
}

/** Why an existing database was thrown away, for the build report. */
export type StoreReset = 'none' | 'created' | 'corrupt' | 'unknown_version';

function removeDbFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
}

function nodeRow(n: GraphNode): unknown[] {
  const data: Record<string, unknown> = {};
  if (n.signature) data['signature'] = n.signature;
  if (n.decorators) data['decorators'] = n.decorators;
  if (n.docstring !== undefined) data['docstring'] = n.docstring;
  return [n.id, n.kind, n.name, n.file, n.lineStart, n.lineEnd, Object.keys(data).length > 0 ? JSON.stringify(data) : null];
}

interface NodeRow {
  id: string;
  kind: GraphNode['kind'];
  name: string;
  file: string;
  line_start: number;
  line_end: number;
  data: string | null;
}

function tryOpen(file: string): { db: Database.Database; reset: StoreReset } | null {
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`quick_check: ${String(check)}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      db.close();
      return { db: undefined as never, reset: 'unknown_version' };
    }
    if (version > 0) {
      // A database claiming our version must have our tables; anything else is not ours.
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type='table'`).pluck().all() as string[];
      for (const t of ['files', 'nodes', 'edges']) if (!tables.includes(t)) throw new Error(`missing table ${t}`);
    } else {
      const tables = db.prepare(`SELECT count(*) FROM sqlite_master`).pluck().get() as number;
      if (tables > 0) throw new Error('foreign database');
    }
    const reset: StoreReset = version === 0 ? 'created' : 'none';
    for (let v = version; v < SCHEMA_VERSION; v++) {
      db.transaction(() => {
        db?.exec(MIGRATIONS[v] as string);
        db?.pragma(`user_version = ${v + 1}`);
      })();
    }
    return { db, reset };
  } catch {
    try {
      db?.close();
    } catch {
      // already unusable
    }
    return null;
  }
}

/**
 * Opens (creating or migrating) the graph database. A corrupt database, or one from an unknown
 * schema version, is deleted and recreated: it is a cache of the sources, never trusted.
 */
export function openGraphStore(file: string): { store: GraphStore; reset: StoreReset } {
  mkdirSync(path.dirname(file), { recursive: true });
  let opened = tryOpen(file);
  let reset: StoreReset = 'none';
  if (!opened || opened.reset === 'unknown_version') {
    reset = opened ? 'unknown_version' : 'corrupt';
    removeDbFiles(file);
    opened = tryOpen(file);
    if (!opened) throw new Error(`cannot create graph database at ${file}`);
  } else {
    reset = opened.reset;
  }
  const db = opened.db;
  const checkpointer = startCheckpointer(file, () => {
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  });
  // With the worker, commits never checkpoint themselves (see checkpointer.ts); without it SQLite's
  // default applies.
  if (checkpointer) db.pragma('wal_autocheckpoint = 0');
  const insFile = db.prepare('INSERT OR REPLACE INTO files (path, hash, mtime, size, loc, diagnostics, ir) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insNode = db.prepare('INSERT OR REPLACE INTO nodes (id, kind, name, file, line_start, line_end, data) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insEdge = db.prepare('INSERT OR REPLACE INTO edges (source, kind, target, confidence) VALUES (?, ?, ?, ?)');
  const delFile = db.prepare('DELETE FROM files WHERE path = ?');
  const delNode = db.prepare('DELETE FROM nodes WHERE id = ?');
  const moveNode = db.prepare('UPDATE nodes SET line_start = ?, line_end = ? WHERE id = ?');
  const delEdge = db.prepare('DELETE FROM edges WHERE source = ? AND kind = ? AND target = ?');
  const selIr = db.prepare('SELECT ir FROM files WHERE path = ?');
  const fileArgs = (f: FileRecord) => [f.path, f.hash, f.mtime, f.size, f.loc, JSON.stringify(f.diagnostics), f.ir ? JSON.stringify(f.ir) : null];

  const store: GraphStore = {
    path: file,
    loadFiles(withIr) {
      const rows = db.prepare(`SELECT path, hash, mtime, size, loc, diagnostics${withIr ? ', ir' : ''} FROM files ORDER BY path`).all() as {
        path: string;
        hash: string;
        mtime: number;
        size: number;
        loc: number;
        diagnostics: string;
        ir?: string | null;
      }[];
      return rows.map((r) => ({
        path: r.path,
        hash: r.hash,
        mtime: r.mtime,
        size: r.size,
        loc: r.loc,
        diagnostics: JSON.parse(r.diagnostics) as Diagnostic[],
        ir: r.ir ? (JSON.parse(r.ir) as FileIR) : null,
      }));
    },
    loadIr() {
      const out = new Map<string, FileIR | null>();
      for (const r of db.prepare('SELECT path, ir FROM files ORDER BY path').iterate() as Iterable<{ path: string; ir: string | null }>) {
        out.set(r.path, r.ir ? (JSON.parse(r.ir) as FileIR) : null);
      }
      return out;
    },
    loadOneIr(p) {
      const r = selIr.get(p) as { ir: string | null } | undefined;
      return r === undefined ? undefined : r.ir ? (JSON.parse(r.ir) as FileIR) : null;
    },
    loadGraph() {
      const nodes: GraphNode[] = [];
      for (const r of db.prepare('SELECT id, kind, name, file, line_start, line_end, data FROM nodes').iterate() as Iterable<NodeRow>) {
        const base: GraphNode = { id: r.id, kind: r.kind, name: r.name, file: r.file, lineStart: r.line_start, lineEnd: r.line_end };
        nodes.push(r.data ? { ...base, ...(JSON.parse(r.data) as Partial<GraphNode>) } : base);
      }
      // Each edge with its graph key (graph/build-graph.ts `edgeKey`) built by SQLite: one flat
      // string per edge, cheaper to make and to hash than the same string concatenated here.
      const edges: GraphEdge[] = [];
      const keys: string[] = [];
      const rows = db.prepare("SELECT source || char(1) || kind || char(1) || target, source, target, kind, confidence FROM edges").raw().iterate() as Iterable<[string, string, string, GraphEdge['kind'], GraphEdge['confidence']]>;
      for (const [key, source, target, kind, confidence] of rows) {
        keys.push(key);
        edges.push({ source, target, kind, confidence });
      }
      return { nodes, edges, keys };
    },
    replaceAll(files, nodes, edges) {
      db.transaction(() => {
        db.exec('DELETE FROM files; DELETE FROM nodes; DELETE FROM edges;');
        for (const f of files) insFile.run(...fileArgs(f));
        for (const n of nodes) insNode.run(...nodeRow(n));
        for (const e of edges) insEdge.run(e.source, e.kind, e.target, e.confidence);
      })();
      checkpointer?.request();
    },
    startReplace(opts = {}) {
      return startBulkReplace(file, { autocheckpoint: !checkpointer, onCommit: () => checkpointer?.request(), ...opts });
    },
    applyChanges(changes) {
      db.transaction(() => {
        for (const c of changes) {
          for (const p of c.deleteFiles) delFile.run(p);
          for (const f of c.upsertFiles) insFile.run(...fileArgs(f));
          for (const e of c.deleteEdges) delEdge.run(e.source, e.kind, e.target);
          for (const id of c.deleteNodes) delNode.run(id);
          for (const n of c.upsertNodes) insNode.run(...nodeRow(n));
          for (const n of c.moveNodes ?? []) moveNode.run(n.lineStart, n.lineEnd, n.id);
          for (const e of c.addEdges) insEdge.run(e.source, e.kind, e.target, e.confidence);
        }
      })();
      checkpointer?.request();
    },
    close() {
      checkpointer?.close();
      if (db.open) db.close();
    },
  };
  return { store, reset };
}
