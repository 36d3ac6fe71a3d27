import { statSync, watch as fsWatch, type FSWatcher } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { describeUnknown, makeError, silentLogger, type Logger } from '@yantra/shared';
import { ResultAsync, errAsync } from 'neverthrow';
import type { PyCGCallGraph } from './callgraph.js';
import type { GnnError } from './errors.js';
import { addRelations, baseGraph, buildGraph } from './graph/build-graph.js';
import { applyDelta, diffGraph, fileNodesDelta, fillGraph, newCodeGraph, type CodeGraph, type GraphDelta } from './graph/code-graph.js';
import { impactOf, shortestPath, traverseNodes, type ImpactReport, type TraverseOptions } from './graph/queries.js';
import { extractFile, type ExtractResult, type SpliceInfo } from './parse/extract.js';
import { extractedRecord, unreadableRecord } from './parse/file-record.js';
import { readFilesParallel } from './parse/parallel.js';
import type { FileIR } from './parse/ir.js';
import { loadPythonParser, type PythonParser } from './parse/parser.js';
import { respliceFile, SpliceMemo } from './parse/splice.js';
import { DEFAULT_EXCLUDES, listPythonFiles, readSource } from './project/files.js';
import { analyze } from './resolve/analysis.js';
import { sameSemantics, sameStructure as sameNodeIds } from './resolve/semantic-key.js';
import { sameSemanticsSpliced, sameStructureSpliced } from './resolve/splice-compare.js';
import { openGraphStore, type FileRecord, type GraphStore, type StoreChange, type StoreReset } from './store/db.js';
import type { Diagnostic, GraphNode, NodeKind } from './types.js';

/** Options of {@link createGraphEngine}. */
export interface GraphEngineOptions {
  /** The project root; ids are dotted paths relative to it. */
  readonly root: string;
  /** SQLite file. Default `<root>/.yantra/graph.db`. Pass `false` to keep the graph in memory only. */
  readonly dbPath?: string | false;
  /** Folder names skipped while walking. Default {@link DEFAULT_EXCLUDES}. */
  readonly excludes?: readonly string[];
  /** Default: silent. */
  readonly logger?: Logger;
  /** Aborts long builds between files. */
  readonly signal?: AbortSignal;
  /**
   * Worker threads that read and parse files in a cold build, besides the main thread (which
   * parses too). Default: one less than the available cores, at least 1. `0` parses on the main
   * thread only.
   */
  readonly parseWorkers?: number;
  /**
   * Smallest project (in `.py` files) whose cold build uses parse workers; smaller ones do not
   * pay the workers' start (about 100 ms each). Default {@link DEFAULT_PARALLEL_THRESHOLD}.
   */
  readonly parallelThreshold?: number;
  /**
   * Whether a cold build of at least `parallelThreshold` files writes the database on a writer
   * thread, overlapped with resolution (see {@link BuildReport.persistMs}). Default: true when
   * more than one core is available. If the thread cannot start or fails, the build writes on the
   * main thread instead (logged as a warning).
   */
  readonly persistWorker?: boolean;
}

/** Default of {@link GraphEngineOptions.parallelThreshold}, in files. */
export const DEFAULT_PARALLEL_THRESHOLD = 200;

/** What a cold build did. Times in milliseconds. */
export interface BuildReport {
  readonly files: number;
  readonly loc: number;
  readonly nodes: number;
  readonly edges: number;
  readonly diagnostics: Diagnostic[];
  /** Listing, reading, parsing and extracting the files (main-thread time spent sending rows to the database writer excluded). */
  readonly parseMs: number;
  /** Resolution, the graph's construction and filling the in-memory graph (sending rows to the writer excluded). */
  readonly resolveMs: number;
  /** The part of `resolveMs` the whole-program solver took (names, calls, flows). */
  readonly solveMs: number;
  /** The part of `resolveMs` spent filling the in-memory graph (graphology) with the nodes and edges. */
  readonly fillMs: number;
  /**
   * The persistence cost on the build's critical path: main-thread time spent serializing and
   * sending rows to the writer thread, plus the wait from the end of resolution (graph filled) until
   * the writer's COMMIT. Without the writer thread (`persistMode` `main`): the whole synchronous
   * write. `parseMs + resolveMs + persistMs = totalMs`.
   */
  readonly persistMs: number;
  /**
   * The writer thread's busy time (inserting, rebuilding indexes, COMMIT), mostly overlapped with
   * resolution; 0 when it did not write. Not part of `totalMs` beyond `persistMs`.
   */
  readonly persistWriterMs: number;
  /** Where the database was written: on the writer thread, on the main thread (small projects, no thread, or its failure), or nowhere (no database). */
  readonly persistMode: 'worker' | 'main' | 'none';
  readonly totalMs: number;
  /** Worker threads that read and parsed files besides the main thread (0: the main thread alone). */
  readonly parseWorkers: number;
  /** Whether an existing database had to be thrown away (`corrupt`, `unknown_version`). */
  readonly dbReset: StoreReset;
}

/** What an incremental update did. */
export interface UpdateReport {
  /** Files reparsed because their content changed (or appeared). */
  readonly changed: string[];
  readonly removed: string[];
  readonly unchanged: string[];
  readonly nodes: number;
  readonly edges: number;
  readonly diagnostics: Diagnostic[];
  readonly ms: number;
  /**
   * False when every changed file differed only in positions, comments, docstrings or annotations:
   * resolution could not change, so the previous result was reused (the fast path).
   */
  readonly reresolved: boolean;
}

/** What {@link GraphEngine.open} did. */
export interface OpenReport {
  /** `loaded` from the database, or `built` from scratch (no, corrupt or foreign database). */
  readonly mode: 'loaded' | 'built';
  readonly loadMs: number;
  readonly build?: BuildReport;
  /** Files that changed on disk since the database was written, applied incrementally. */
  readonly update?: UpdateReport;
}

/** Counts for `stats()`. */
export interface GraphStats {
  readonly files: number;
  readonly loc: number;
  readonly nodes: number;
  readonly edges: number;
  readonly nodeKinds: Record<string, number>;
  readonly edgeKinds: Record<string, number>;
  readonly diagnostics: number;
}

/** A `find` query: exact id, exact short name, or id prefix; optionally one kind. */
export interface FindQuery {
  readonly name?: string;
  readonly prefix?: string;
  readonly kind?: NodeKind;
  readonly limit?: number;
}

export interface BuildOptions {
  readonly onProgress?: (done: number, total: number) => void;
}

export interface OpenOptions extends BuildOptions {
  /** Scan the project for files changed since the database was written. Default true. */
  readonly refresh?: boolean;
}

export interface WatchOptions {
  /** Quiet period before a batch of file events is applied. Default 100 ms. */
  readonly debounceMs?: number;
  readonly onUpdate?: (report: UpdateReport) => void;
  readonly onError?: (error: GnnError) => void;
}

export interface Watcher {
  /** Stops watching and waits for a batch in flight. */
  close(): Promise<void>;
}

// The map's values from position `from` on (insertion order).
function* nodesFrom(nodes: ReadonlyMap<string, GraphNode>, from: number): Generator<GraphNode> {
  let i = 0;
  for (const n of nodes.values()) if (i++ >= from) yield n;
}

/** The code graph of one Python project: build, persist, update incrementally, query. */
export interface GraphEngine {
  readonly root: string;
  /** The in-memory graph (graphology). Node attributes are {@link GraphNode}s, edge attributes {@link GraphEdge}s. */
  readonly graph: CodeGraph;
  /** Parses and resolves every file from scratch, then persists. */
  build(options?: BuildOptions): ResultAsync<BuildReport, GnnError>;
  /** Loads the graph from the database and applies files changed since; builds if there is no usable database. */
  open(options?: OpenOptions): ResultAsync<OpenReport, GnnError>;
  /** Reparses the given files (absolute or root-relative) whose content changed, and re-resolves. */
  update(paths: readonly string[]): ResultAsync<UpdateReport, GnnError>;
  /** Scans the project for added, changed and removed files and applies them. */
  refresh(): ResultAsync<UpdateReport, GnnError>;
  node(id: string): GraphNode | undefined;
  find(query: string | FindQuery): GraphNode[];
  callers(id: string): GraphNode[];
  callees(id: string): GraphNode[];
  dependents(id: string, options?: TraverseOptions): GraphNode[];
  dependencies(id: string, options?: TraverseOptions): GraphNode[];
  impact(ids: readonly string[]): ImpactReport;
  path(from: string, to: string): string[] | null;
  stats(): GraphStats;
  /** The call graph in PyCG's JSON format (certain edges only). */
  callGraph(): PyCGCallGraph;
  diagnostics(): Diagnostic[];
  watch(options?: WatchOptions): Watcher;
  close(): void;
}

function toGnnError(e: unknown): GnnError {
  if (typeof e === 'object' && e !== null && 'kind' in e && 'message' in e) return e as GnnError;
  const message = describeUnknown(e);
  if (e instanceof Error && (e.name === 'SqliteError' || /database|sqlite/i.test(message))) {
    return makeError('db_failed', message, { path: '', retryable: /locked|busy/i.test(message) });
  }
  return makeError('internal', message);
}

const EMPTY_UPDATE = (ms: number): UpdateReport => ({ changed: [], removed: [], unchanged: [], nodes: 0, edges: 0, diagnostics: [], ms, reresolved: false });


/**
 * Creates the graph engine for one project. Nothing is read until `build()` or `open()`.
 *
 * @example
 * const engine = createGraphEngine({ root: '/path/to/project' });
 * await engine.open();
 * engine.callers('pkg.mod.func');
 */
export function createGraphEngine(options: GraphEngineOptions): GraphEngine {
  const root = path.resolve(options.root);
  const dbPath = options.dbPath === false ? null : path.resolve(options.dbPath ?? path.join(root, '.yantra', 'graph.db'));
  const excludes = options.excludes ?? DEFAULT_EXCLUDES;
  const logger = options.logger ?? silentLogger;
  const graph = newCodeGraph();
  let records = new Map<string, FileRecord>();
  // The last spliced definition, for the next edit of the same one (parse/splice.ts).
  const spliceMemo = new SpliceMemo();
  // Whether every record holds its intermediate form. After open() from the database the forms
  // stay there until a re-resolution needs them all (or an update needs one file's).
  let irLoaded = true;
  let walkDiagnostics: Diagnostic[] = [];
  let store: GraphStore | null = null;
  let closed = false;
  // Whether the graph is the resolution of the current intermediate forms, so that updates which
  // cannot change resolution may keep its edges.
  let resolved = false;
  // Why the database was recreated when it was opened; reported once, by the next build.
  let pendingReset: StoreReset = 'none';
  let chain: Promise<unknown> = Promise.resolve();
  // SQLite writes of fast-path updates not yet applied, in order (see persistSoon).
  let pendingWrites: StoreChange[] = [];
  let flushTask: NodeJS.Immediate | undefined;

  // Applies the pending writes in one transaction. On failure they stay pending, so the
  // database is always some earlier consistent state, and the caller sees the error.
  const flushWrites = () => {
    if (flushTask) clearImmediate(flushTask);
    flushTask = undefined;
    if (pendingWrites.length === 0) return;
    if (!store) {
      pendingWrites = [];
      return;
    }
    store.applyChanges(pendingWrites);
    pendingWrites = [];
  };

  // A fast-path update resolves as soon as the graph in memory is updated; its SQLite write (a
  // few milliseconds on large files: serializing the form, the file row, moved nodes) runs on the
  // next macrotask, and always before any other operation of this engine and in close(). The
  // pending task keeps the process alive until it ran, so a script that never calls close() still
  // writes. If the process dies in between, the database holds the state before the update, whose
  // file hashes and mtimes no longer match the files, so open() applies the change again.
  const persistSoon = (change: StoreChange) => {
    pendingWrites.push(change);
    if (flushTask) return;
    flushTask = setImmediate(() => {
      flushTask = undefined;
      try {
        flushWrites();
      } catch (e) {
        logger.warn('graph database write failed; retried by the next operation', { error: describeUnknown(e) });
      }
    });
  };

  // One operation at a time: watch batches and explicit calls never interleave.
  const serial = <T>(fn: () => Promise<T>): ResultAsync<T, GnnError> => {
    if (closed) return errAsync(makeError('closed', 'the graph engine is closed'));
    const op = () => {
      flushWrites();
      return fn();
    };
    const run = chain.then(op, op);
    chain = run.catch(() => undefined);
    return ResultAsync.fromPromise(run, toGnnError);
  };

  const checkRoot = () => {
    let ok = false;
    try {
      ok = statSync(root).isDirectory();
    } catch {
      ok = false;
    }
    if (!ok) throw makeError('invalid_root', `not a folder: ${root}`, { path: root });
  };

  const openStore = (): { store: GraphStore | null; reset: StoreReset } => {
    if (!dbPath) return { store: null, reset: 'none' };
    if (store) return { store, reset: 'none' };
    try {
      const opened = openGraphStore(dbPath);
      store = opened.store;
      pendingReset = opened.reset;
      if (opened.reset === 'corrupt' || opened.reset === 'unknown_version') logger.warn('graph database rebuilt', { reason: opened.reset });
      return opened;
    } catch (e) {
      throw makeError('db_failed', describeUnknown(e), { path: dbPath, retryable: false });
    }
  };

  // With a database, the intermediate forms live there between re-resolutions (they are the
  // largest part of the heap); `fresh` are records already holding their new form.
  const ensureIr = (fresh: ReadonlySet<string> = new Set()) => {
    if (irLoaded || !store) return;
    const irs = store.loadIr();
    for (const [p, ir] of irs) {
      const r = records.get(p);
      if (r && !fresh.has(p)) r.ir = ir;
    }
    irLoaded = true;
  };

  // Forms stay in memory once built or loaded: reading one back from SQLite and parsing its JSON
  // cost 2–8 ms per update on 1,500–6,000-line files.
  const previousIr = (r: FileRecord): FileIR | null | undefined => (irLoaded || !store || r.ir ? r.ir : store.loadOneIr(r.path));

  const sortedIrs = (): FileIR[] => {
    const out: FileIR[] = [];
    for (const p of [...records.keys()].sort()) {
      const ir = records.get(p)?.ir;
      if (ir) out.push(ir);
    }
    return out;
  };

  // `prevIr` reads the previous form once, only when the file changed (it may come from the
  // database). `spliced` receives what a splice replaced, when the form was spliced.
  const readOne = async (
    rel: string,
    abs: string,
    pp: PythonParser,
    prev?: FileRecord,
    prevIr?: () => FileIR | null | undefined,
    spliced?: (info: SpliceInfo) => void,
  ): Promise<FileRecord | 'missing' | 'unchanged'> => {
    const src = readSource(abs, rel);
    if (!src.ok) return src.missing ? 'missing' : unreadableRecord(rel, src.diagnostic);
    if (prev && prev.hash === src.hash) return 'unchanged';
    let x: ExtractResult | null = null;
    if (prev?.chunks && prevIr) {
      const ir = prevIr();
      if (ir) x = respliceFile(pp, { ir, chunks: prev.chunks }, src.text, spliceMemo);
    }
    if (x?.splice) spliced?.(x.splice);
    x ??= extractFile(pp, rel, src.text);
    return extractedRecord(rel, src, x);
  };

  const doBuild = async (opts: BuildOptions = {}): Promise<BuildReport> => {
    const t0 = performance.now();
    checkRoot();
    openStore();
    const reset = pendingReset;
    pendingReset = 'none';
    const pp = await loadPythonParser();
    const listed = await listPythonFiles(root, excludes);
    walkDiagnostics = listed.diagnostics;
    const next = new Map<string, FileRecord>();
    let done = 0;
    const total = listed.files.length;
    const threshold = options.parallelThreshold ?? DEFAULT_PARALLEL_THRESHOLD;
    const requested = options.parseWorkers ?? Math.max(1, availableParallelism() - 1);
    const workers = total >= threshold ? requested : 0;
    // Started now so that its start overlaps the per-file phase; it begins its transaction when
    // the files rows arrive.
    // With one core the writer would only compete with resolution for it.
    const useWriter = store !== null && (options.persistWorker ?? availableParallelism() > 1) && total >= threshold;
    let writer = useWriter ? (store?.startReplace() ?? null) : null;
    if (useWriter && !writer) logger.warn('graph database writer thread did not start; writing on the main thread');
    let writerSettled = false;
    // The forms' JSON text as parse workers made it, for the writer (dropped after the build).
    const irJson = new Map<string, string | null>();
    try {
      if (workers > 0) {
        const read = await readFilesParallel(listed.files, pp, {
          workers,
          logger,
          ...(options.signal ? { signal: options.signal } : {}),
          onFile: () => opts.onProgress?.(++done, total),
          ...(writer ? { onIrJson: (rel: string, json: string | null) => irJson.set(rel, json) } : {}),
        });
        // In listing order, as the serial path: record order and diagnostics order are the same.
        read.forEach((r, k) => {
          const rel = (listed.files[k] as { rel: string }).rel;
          if (r === 'missing') walkDiagnostics.push({ file: rel, kind: 'vanished', message: 'file deleted during the build' });
          else next.set(rel, r);
        });
      } else {
        for (const f of listed.files) {
          if (options.signal?.aborted) throw makeError('aborted', 'build aborted');
          const r = await readOne(f.rel, f.abs, pp);
          if (r === 'unchanged') continue;
          if (r === 'missing') walkDiagnostics.push({ file: f.rel, kind: 'vanished', message: 'file deleted during the build' });
          else next.set(f.rel, r);
          opts.onProgress?.(++done, total);
        }
      }
      records = next;
      irLoaded = true;
      // The writer stores the files while this thread resolves.
      writer?.files(records.values(), irJson);
      irJson.clear();
      const sendFilesMs = writer?.sendMs ?? 0;
      const t1 = performance.now();
      const irs = sortedIrs();
      const data = baseGraph(irs);
      // ... and the nodes that need no resolution while this thread resolves, ...
      writer?.nodes(data.nodes.values());
      const sentNodes = data.nodes.size;
      const tSolve = performance.now();
      const analysis = analyze(irs);
      const solveMs = performance.now() - tSolve;
      addRelations(data, analysis);
      // ... and the rest (external nodes come last in the map) while it fills the in-memory graph.
      writer?.graph(nodesFrom(data.nodes, sentNodes), data.edges);
      const tFill = performance.now();
      graph.clear();
      fillGraph(graph, data.nodes.values(), data.edges);
      resolved = true;
      const sendMs = writer?.sendMs ?? 0;
      const t2 = performance.now();
      const fillMs = t2 - tFill;
      logger.debug('build phases', { parseMs: Math.round(t1 - t0), graphDataMs: Math.round(tFill - t1), solveMs: Math.round(solveMs), fillMs: Math.round(fillMs) });
      let persistMode: BuildReport['persistMode'] = store ? 'main' : 'none';
      let persistWriterMs = 0;
      if (writer) {
        try {
          const w = await writer.done();
          persistWriterMs = w.writerMs;
          persistMode = 'worker';
          logger.debug('graph database written on the writer thread', {
            sendFilesMs: Math.round(sendFilesMs),
            sendGraphMs: Math.round(sendMs - sendFilesMs),
            waitMs: Math.round(performance.now() - t2),
            writerMs: Math.round(w.writerMs),
            writerGraphMs: Math.round(w.graphMs),
          });
        } catch (e) {
          // Its transaction rolled back: the database still holds the previous build.
          logger.warn('graph database writer failed; writing on the main thread', { error: describeUnknown(e) });
        }
        writerSettled = true;
        writer = null;
      }
      if (persistMode === 'main') store?.replaceAll([...records.values()], data.nodes.values(), data.edges.values());
      const t3 = performance.now();
      let loc = 0;
      for (const r of records.values()) loc += r.loc;
      return {
        files: records.size,
        loc,
        nodes: graph.order,
        edges: graph.size,
        diagnostics: allDiagnostics(),
        parseMs: t1 - t0 - sendFilesMs,
        resolveMs: t2 - t1 - (sendMs - sendFilesMs),
        solveMs,
        fillMs,
        persistMs: t3 - t2 + sendMs,
        persistWriterMs,
        persistMode,
        totalMs: t3 - t0,
        parseWorkers: workers,
        dbReset: reset === 'created' ? 'none' : reset,
      };
    } finally {
      // A build that failed before the commit rolls the writer back before anything else writes.
      if (writer && !writerSettled) await writer.abort();
    }
  };

  const toRel = (p: string): string | null => {
    const abs = path.resolve(root, p);
    const rel = path.relative(root, abs).split(path.sep).join('/');
    if (rel.startsWith('..') || path.isAbsolute(rel) || !rel.endsWith('.py')) return null;
    return rel;
  };

  const doUpdate = async (paths: readonly string[]): Promise<UpdateReport> => {
    const t0 = performance.now();
    const pp = await loadPythonParser();
    const changed: string[] = [];
    const removed: string[] = [];
    const unchanged: string[] = [];
    const upserts: FileRecord[] = [];
    let semanticChange = false;
    // Whether every changed file keeps its node ids and nesting (then only attributes can change).
    let sameStructure = true;
    // Previous forms of the changed files, for the node delta (the graph holds their nodes).
    const previousForms = new Map<string, FileIR | null>();
    const rels = new Set<string>();
    for (const p of paths) {
      const rel = toRel(p);
      if (rel) rels.add(rel);
    }
    for (const rel of rels) {
      const prev = records.get(rel);
      let prevLoaded = false;
      let prevIrValue: FileIR | null | undefined;
      const prevIrOnce = () => {
        if (!prevLoaded) prevIrValue = prev ? previousIr(prev) : undefined;
        prevLoaded = true;
        return prevIrValue;
      };
      let splice: SpliceInfo | undefined;
      const r = await readOne(rel, path.join(root, rel), pp, prev, prevIrOnce, (info) => {
        splice = info;
      });
      if (r === 'missing') {
        if (records.delete(rel)) {
          removed.push(rel);
          semanticChange = true;
        }
        continue;
      }
      if (r === 'unchanged') {
        unchanged.push(rel);
        continue;
      }
      const prevIr = prevIrOnce();
      if (prevIr === undefined) {
        semanticChange = true;
        sameStructure = false;
      } else if (!semanticChange && sameStructure) {
        // Either difference means re-resolving, after which nothing else here matters. A spliced
        // form is compared by its replaced part (same decisions, see resolve/splice-compare.ts).
        const text = prev?.chunks?.text;
        if (splice && text !== undefined && prevIr && r.ir) {
          sameStructure = sameStructureSpliced(prevIr, r.ir, splice);
          semanticChange = sameStructure && (sameSemanticsSpliced(prevIr, r.ir, splice, text) ?? sameSemantics(prevIr, r.ir)) !== true;
        } else {
          sameStructure = sameNodeIds(prevIr, r.ir);
          semanticChange = sameStructure && !sameSemantics(prevIr, r.ir);
        }
        previousForms.set(rel, prevIr);
      }
      records.set(rel, r);
      upserts.push(r);
      changed.push(rel);
    }
    if (changed.length === 0 && removed.length === 0) return { ...EMPTY_UPDATE(performance.now() - t0), unchanged };
    // Same resolution and same node ids: the edges cannot change, so only the changed files' node
    // attributes are compared (milliseconds instead of rebuilding and diffing the whole graph).
    let delta: GraphDelta | null = resolved && !semanticChange && removed.length === 0 && sameStructure ? fileNodesDelta(graph, upserts.map((u) => ({ ir: u.ir, previous: previousForms.get(u.path) }))) : null;
    const reresolved = delta === null;
    if (delta === null) {
      ensureIr(new Set(changed));
      const irs = sortedIrs();
      delta = diffGraph(graph, buildGraph(irs, analyze(irs)));
    }
    applyDelta(graph, delta);
    resolved = true;
    const change: StoreChange = {
      upsertFiles: upserts,
      deleteFiles: removed,
      upsertNodes: delta.upsertedNodes,
      moveNodes: delta.movedNodes,
      deleteNodes: delta.removedNodes,
      addEdges: delta.addedEdges,
      deleteEdges: delta.removedEdges,
    };
    if (reresolved) store?.applyChanges([change]);
    else if (store) persistSoon(change);
    return {
      changed,
      removed,
      unchanged,
      nodes: graph.order,
      edges: graph.size,
      diagnostics: upserts.flatMap((u) => u.diagnostics),
      ms: performance.now() - t0,
      reresolved,
    };
  };

  const doRefresh = async (): Promise<UpdateReport> => {
    checkRoot();
    const listed = await listPythonFiles(root, excludes);
    walkDiagnostics = listed.diagnostics;
    const seen = new Set<string>();
    const candidates: string[] = [];
    for (const f of listed.files) {
      seen.add(f.rel);
      const r = records.get(f.rel);
      let st: { mtimeMs: number; size: number } | null = null;
      try {
        st = statSync(f.abs);
      } catch {
        st = null;
      }
      if (!r || !st || r.mtime !== st.mtimeMs || r.size !== st.size) candidates.push(f.rel);
    }
    for (const p of records.keys()) if (!seen.has(p)) candidates.push(p);
    if (candidates.length === 0) return EMPTY_UPDATE(0);
    return doUpdate(candidates);
  };

  const doOpen = async (opts: OpenOptions = {}): Promise<OpenReport> => {
    const t0 = performance.now();
    checkRoot();
    const { store: s, reset } = openStore();
    if (!s || reset !== 'none') {
      const build = await doBuild(opts);
      return { mode: 'built', loadMs: performance.now() - t0, build };
    }
    const files = s.loadFiles(false);
    if (files.length === 0) {
      const build = await doBuild(opts);
      return { mode: 'built', loadMs: performance.now() - t0, build };
    }
    records = new Map(files.map((f) => [f.path, f]));
    irLoaded = false;
    resolved = false;
    const { nodes, edges, keys } = s.loadGraph();
    graph.clear();
    fillGraph(graph, nodes, edges, keys);
    const loadMs = performance.now() - t0;
    if (opts.refresh === false) return { mode: 'loaded', loadMs };
    const update = await doRefresh();
    return { mode: 'loaded', loadMs, update };
  };

  const allDiagnostics = (): Diagnostic[] => [...walkDiagnostics, ...[...records.values()].flatMap((r) => r.diagnostics)];

  const nodesOf = (ids: Iterable<string>): GraphNode[] => {
    const out: GraphNode[] = [];
    for (const id of ids) if (graph.hasNode(id)) out.push(graph.getNodeAttributes(id));
    return out;
  };

  let nameIndex: Map<string, string[]> | null = null;
  let indexedAt = -1;
  let version = 0;
  const bump = <T>(r: ResultAsync<T, GnnError>) => r.map((v) => ((version++, v)));

  return {
    root,
    graph,
    build: (opts) => bump(serial(() => doBuild(opts))),
    open: (opts) => bump(serial(() => doOpen(opts))),
    update: (paths) => bump(serial(() => doUpdate(paths))),
    refresh: () => bump(serial(() => doRefresh())),
    node: (id) => (graph.hasNode(id) ? graph.getNodeAttributes(id) : undefined),
    find(query) {
      const q: FindQuery = typeof query === 'string' ? { name: query } : query;
      const limit = q.limit ?? 100;
      if (!nameIndex || indexedAt !== version) {
        nameIndex = new Map();
        graph.forEachNode((id, n) => {
          const list = nameIndex?.get(n.name);
          if (list) list.push(id);
          else nameIndex?.set(n.name, [id]);
        });
        indexedAt = version;
      }
      const ids = new Set<string>();
      if (q.name !== undefined) {
        if (graph.hasNode(q.name)) ids.add(q.name);
        for (const id of nameIndex.get(q.name) ?? []) ids.add(id);
      }
      if (q.prefix !== undefined) {
        const prefix = q.prefix;
        graph.forEachNode((id, n) => {
          if (id.startsWith(prefix) || n.name.startsWith(prefix)) ids.add(id);
        });
      }
      return nodesOf([...ids].sort())
        .filter((n) => q.kind === undefined || n.kind === q.kind)
        .slice(0, limit);
    },
    callers: (id) => traverseNodes(graph, [id], 'in', { depth: 1, kinds: ['calls'] }),
    callees: (id) => traverseNodes(graph, [id], 'out', { depth: 1, kinds: ['calls'] }),
    dependents: (id, opts) => traverseNodes(graph, [id], 'in', opts),
    dependencies: (id, opts) => traverseNodes(graph, [id], 'out', opts),
    impact: (ids) => impactOf(graph, ids),
    path: (a, b) => shortestPath(graph, a, b),
    stats() {
      const nodeKinds: Record<string, number> = {};
      const edgeKinds: Record<string, number> = {};
      graph.forEachNode((_id, n) => {
        nodeKinds[n.kind] = (nodeKinds[n.kind] ?? 0) + 1;
      });
      graph.forEachEdge((_k, e) => {
        edgeKinds[e.kind] = (edgeKinds[e.kind] ?? 0) + 1;
      });
      let loc = 0;
      for (const r of records.values()) loc += r.loc;
      return { files: records.size, loc, nodes: graph.order, edges: graph.size, nodeKinds, edgeKinds, diagnostics: allDiagnostics().length };
    },
    callGraph() {
      const out: PyCGCallGraph = {};
      const ids: string[] = [];
      graph.forEachNode((id, n) => {
        if (n.kind === 'module' || n.kind === 'class' || n.kind === 'function' || n.kind === 'method') ids.push(id);
      });
      for (const id of ids.sort()) {
        const callees: string[] = [];
        graph.forEachOutEdge(id, (_k, e) => {
          if (e.kind === 'calls' && e.confidence === 'certain') callees.push(e.target);
        });
        out[id] = callees.sort();
      }
      return out;
    },
    diagnostics: allDiagnostics,
    watch(opts = {}) {
      const debounce = opts.debounceMs ?? 100;
      const pending = new Set<string>();
      let timer: NodeJS.Timeout | undefined;
      let inFlight: Promise<unknown> = Promise.resolve();
      let watcher: FSWatcher | undefined;
      const flush = () => {
        timer = undefined;
        const batch = [...pending];
        pending.clear();
        if (batch.length === 0) return;
        inFlight = this_update(batch).match(
          (r) => opts.onUpdate?.(r),
          (e) => opts.onError?.(e),
        );
      };
      try {
        watcher = fsWatch(root, { recursive: true }, (_event, name) => {
          if (!name) return;
          const rel = String(name).split(path.sep).join('/');
          if (!rel.endsWith('.py') || rel.split('/').some((seg) => excludes.includes(seg))) return;
          pending.add(rel);
          if (timer) clearTimeout(timer);
          timer = setTimeout(flush, debounce);
        });
      } catch (e) {
        opts.onError?.(makeError('internal', `cannot watch ${root}: ${describeUnknown(e)}`));
      }
      return {
        async close() {
          watcher?.close();
          if (timer) {
            clearTimeout(timer);
            flush();
          }
          await inFlight;
        },
      };
    },
    close() {
      closed = true;
      try {
        flushWrites();
      } catch (e) {
        // The database keeps its earlier consistent state; open() re-applies the changed files.
        logger.warn('graph database write failed at close', { error: describeUnknown(e) });
      }
      store?.close();
      store = null;
      spliceMemo.clear();
    },
  };

  function this_update(paths: readonly string[]): ResultAsync<UpdateReport, GnnError> {
    return bump(serial(() => doUpdate(paths)));
  }
}
