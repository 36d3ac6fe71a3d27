import { promises as fs, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeError } from '@yantra/shared';
import { ResultAsync } from 'neverthrow';
import { createGraphEngine, type BuildReport, type GraphEngine } from './engine.js';
import type { GnnError } from './errors.js';
import { bareParseParallel } from './parse/parallel.js';
import { loadPythonParser } from './parse/parser.js';
import { listPythonFiles } from './project/files.js';
import { rng } from './rng.js';

export interface BenchOptions {
  readonly root: string;
  /** Incremental edits timed (one function body in each of N random files). Default 100. */
  readonly edits?: number;
  /** Transitive-dependents lookups timed (depth 3). Default 1000. */
  readonly lookups?: number;
  /** Edits that change resolution (a new call in a function body), timed separately. Default 5. */
  readonly resolveEdits?: number;
  readonly seed?: number;
  /** Parse worker threads of the cold build. Default: the engine's. */
  readonly parseWorkers?: number;
  /**
   * Bare parse and cold build pairs measured, alternating (a fresh database each time). The
   * timings reported are the medians, and `cold_ratio` the median of each pair's ratio: on a
   * shared machine one pair can fall in a busy moment. Default 1.
   */
  readonly rounds?: number;
  readonly progress?: (label: string, done: number, total: number) => void;
}

/** The figures `yantra-gnn bench --json` prints. Times in milliseconds, memory in MB. */
export interface BenchReport {
  readonly files: number;
  readonly loc: number;
  readonly parse_ms: number;
  readonly build_ms: number;
  /** (build_ms + persist_ms) / parse_ms: the cold build against the bare parse (target ≤ 2). Median over the rounds. */
  readonly cold_ratio: number;
  /** Each round's cold_ratio, in order. */
  readonly cold_ratios: readonly number[];
  /** Bare parse and cold build pairs measured. */
  readonly rounds: number;
  /** The machine: logical cores, and the 1-minute load average when the benchmark started. */
  readonly machine: { readonly cores: number; readonly load1: number };
  /**
   * The bare parse again, spread over the build's threads as its per-file phase is (the main
   * thread and `parse_workers` workers claiming batches, worker start-up included): the least the
   * per-file phase can take on those threads. Equal to the serial one without workers.
   */
  readonly parse_parallel_ms: number;
  /** The cold build's per-file phase alone (list, read, parse, extract): part of build_ms. */
  readonly extract_ms: number;
  /** The whole-program solver's share of build_ms. */
  readonly solve_ms: number;
  /** Filling the in-memory graph (graphology): part of build_ms. */
  readonly fill_ms: number;
  /** Parse worker threads the cold build used besides the main thread. */
  readonly parse_workers: number;
  /**
   * The cold build's persistence on its critical path (main-thread serializing and sending plus
   * the wait for COMMIT after resolution; see BuildReport.persistMs). build_ms + persist_ms is the
   * whole cold build.
   */
  readonly persist_ms: number;
  /** The database writer thread's busy time, overlapped with resolution (0 if written on the main thread). */
  readonly persist_writer_ms: number;
  /** Where the cold build wrote the database: `worker` (writer thread) or `main`. */
  readonly persist_mode: 'worker' | 'main' | 'none';
  readonly load_ms: number;
  readonly incremental_ms: { readonly p50: number; readonly p99: number; readonly n: number };
  /** Like incremental_ms, but each edit adds a call, so the whole program is re-resolved. */
  readonly incremental_resolve_ms: { readonly p50: number; readonly p99: number; readonly n: number };
  readonly lookup_ms: { readonly p50: number; readonly p99: number; readonly n: number };
  /** JS heap in use after the cold build (after a GC when run with `--expose-gc`), the runtime's own included. */
  readonly heap_mb: number;
  /**
   * What the build added to the JS heap: heap_mb minus the heap in use just before the engine was
   * created (the runtime and the loaded modules, ~8 MB, whatever the project's size).
   */
  readonly graph_heap_mb: number;
  readonly rss_mb: number;
  readonly nodes: number;
  readonly edges: number;
}

function pct(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}

// Inside the benchmark a failed step ends the run; runBench turns it back into a GnnError value.
const rethrow = (e: GnnError): never => {
  throw e;
};

const round = (v: number) => Math.round(v * 100) / 100;

async function bench(o: BenchOptions): Promise<BenchReport> {
  const load1 = os.loadavg()[0] ?? 0;
  const random = rng(o.seed ?? 42);
  const listed = await listPythonFiles(o.root);
  // Work on a copy: the benchmark edits files.
  const work = mkdtempSync(path.join(os.tmpdir(), 'yantra-gnn-bench-'));
  try {
    for (const f of listed.files) {
      const dst = path.join(work, f.rel);
      await fs.mkdir(path.dirname(dst), { recursive: true });
      await fs.copyFile(f.abs, dst);
    }
    const pp = await loadPythonParser();
    const copied = listed.files.map((f) => ({ ...f, abs: path.join(work, f.rel) }));
    // Bare parse: read and parse every file with web-tree-sitter, nothing else. Read synchronously,
    // as the build reads: an awaited read per file adds thread-pool round trips (18–35% more time
    // on the stdlib and Django), which would flatter the build's ratio to this baseline.
    const bareParse = (): number => {
      const t0 = performance.now();
      let i = 0;
      for (const f of copied) {
        const text = readFileSync(f.abs, 'utf8');
        pp.parser.parse(text)?.delete();
        o.progress?.('bare parse', ++i, listed.files.length);
      }
      return performance.now() - t0;
    };
    const dbPath = path.join(work, '.yantra', 'graph.db');
    const newEngine = () => createGraphEngine({ root: work, dbPath, ...(o.parseWorkers === undefined ? {} : { parseWorkers: o.parseWorkers }) });
    const rounds = Math.max(1, Math.floor(o.rounds ?? 1));
    const measured: { parseMs: number; parallelMs: number; b: BuildReport }[] = [];
    let engine: GraphEngine | undefined;
    let heapBefore = 0;
    for (let r = 0; r < rounds; r++) {
      const parseMs = bareParse();
      // Every round builds from nothing: the previous round's database goes first.
      rmSync(path.dirname(dbPath), { recursive: true, force: true });
      // The heap before any engine existed: a closed engine is collected only once its database
      // threads have exited, which may be after the next round began, so later rounds would
      // count it out of their own share.
      if (r === 0) {
        global.gc?.();
        heapBefore = process.memoryUsage().heapUsed;
      }
      const e = newEngine();
      const b = await e.build({ onProgress: (d, t) => o.progress?.(`build ${r + 1}/${rounds}`, d, t) }).match((v) => v, rethrow);
      const parallelMs = b.parseWorkers > 0 ? (await bareParseParallel(copied, pp, { workers: b.parseWorkers })).ms : parseMs;
      measured.push({ parseMs, parallelMs, b });
      // The last round's engine goes on to the memory, lookup and update measurements.
      if (r + 1 < rounds) e.close();
      else engine = e;
    }
    if (!engine) throw makeError('internal', 'benchmark ran no round');
    const b = (measured[measured.length - 1] as { b: BuildReport }).b;
    const med = (f: (m: (typeof measured)[number]) => number) => pct(measured.map(f), 50);
    const ratios = measured.map((m) => (m.b.parseMs + m.b.resolveMs + m.b.persistMs) / m.parseMs);
    global.gc?.();
    const mem = process.memoryUsage();

    const lookIds: string[] = [];
    engine.graph.forEachNode((id, n) => {
      if (n.kind !== 'external') lookIds.push(id);
    });
    const lookups: number[] = [];
    const nLook = Math.min(o.lookups ?? 1000, lookIds.length);
    for (let k = 0; k < nLook; k++) {
      const id = lookIds[Math.floor(random() * lookIds.length)] as string;
      const s = performance.now();
      engine.dependents(id, { depth: 3 });
      lookups.push(performance.now() - s);
    }

    // Incremental: add a statement at the end of one function body in each of N random files.
    const funcs = new Map<string, { lineEnd: number }[]>();
    engine.graph.forEachNode((_id, n) => {
      if ((n.kind === 'function' || n.kind === 'method') && !n.name.startsWith('<lambda')) {
        const l = funcs.get(n.file) ?? [];
        l.push({ lineEnd: n.lineEnd });
        funcs.set(n.file, l);
      }
    });
    const candidates = [...funcs.keys()].sort();
    const editOne = async (k: number, statement: (indent: string) => string): Promise<number | null> => {
      const file = candidates.splice(Math.floor(random() * candidates.length), 1)[0] as string;
      const fl = funcs.get(file) ?? [];
      const fn = fl[Math.floor(random() * fl.length)];
      if (!fn) return null;
      const abs = path.join(work, file);
      const lines = (await fs.readFile(abs, 'utf8')).split('\n');
      const last = lines[fn.lineEnd - 1] ?? '';
      const indent = /^\s*/.exec(last)?.[0] ?? '    ';
      lines.splice(fn.lineEnd, 0, statement(indent || '    '));
      await fs.writeFile(abs, lines.join('\n'));
      const s = performance.now();
      await engine.update([abs]).match(() => undefined, rethrow);
      return performance.now() - s;
    };
    const edits: number[] = [];
    const nEdits = Math.min(o.edits ?? 100, candidates.length);
    for (let k = 0; k < nEdits; k++) {
      const ms = await editOne(k, (indent) => `${indent}_yantra_bench_${k} = ${k}`);
      if (ms !== null) edits.push(ms);
      o.progress?.('incremental', k + 1, nEdits);
    }
    const resolveEdits: number[] = [];
    const nResolve = Math.min(o.resolveEdits ?? 5, candidates.length);
    for (let k = 0; k < nResolve; k++) {
      const ms = await editOne(k, (indent) => `${indent}_yantra_bench_call_${k} = repr(${k})`);
      if (ms !== null) resolveEdits.push(ms);
      o.progress?.('incremental (re-resolving)', k + 1, nResolve);
    }
    const stats = engine.stats();
    engine.close();

    const reopened = createGraphEngine({ root: work, dbPath });
    const loadMs = await reopened.open().match((v) => v.loadMs, rethrow);
    reopened.close();

    return {
      files: b.files,
      loc: b.loc,
      parse_ms: round(med((m) => m.parseMs)),
      build_ms: round(med((m) => m.b.parseMs + m.b.resolveMs)),
      cold_ratio: round(pct(ratios, 50)),
      cold_ratios: ratios.map(round),
      rounds,
      machine: { cores: os.availableParallelism(), load1: round(load1) },
      parse_parallel_ms: round(med((m) => m.parallelMs)),
      extract_ms: round(med((m) => m.b.parseMs)),
      solve_ms: round(med((m) => m.b.solveMs)),
      fill_ms: round(med((m) => m.b.fillMs)),
      parse_workers: b.parseWorkers,
      persist_ms: round(med((m) => m.b.persistMs)),
      persist_writer_ms: round(med((m) => m.b.persistWriterMs)),
      persist_mode: b.persistMode,
      load_ms: round(loadMs),
      incremental_ms: { p50: round(pct(edits, 50)), p99: round(pct(edits, 99)), n: edits.length },
      incremental_resolve_ms: { p50: round(pct(resolveEdits, 50)), p99: round(pct(resolveEdits, 99)), n: resolveEdits.length },
      lookup_ms: { p50: round(pct(lookups, 50) * 1000) / 1000, p99: round(pct(lookups, 99) * 1000) / 1000, n: lookups.length },
      heap_mb: round(mem.heapUsed / 1048576),
      graph_heap_mb: round((mem.heapUsed - heapBefore) / 1048576),
      rss_mb: round(mem.rss / 1048576),
      nodes: stats.nodes,
      edges: stats.edges,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Runs the benchmark on a copy of `root` (the copy is edited and then deleted). */
export function runBench(o: BenchOptions): ResultAsync<BenchReport, GnnError> {
  return ResultAsync.fromPromise(bench(o), (e) =>
    typeof e === 'object' && e !== null && 'kind' in e ? (e as GnnError) : makeError('internal', String(e instanceof Error ? e.message : e)),
  );
}
