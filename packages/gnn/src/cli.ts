import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { writeFileAtomic } from '@yantra/shared';
import { processIO, runCli, ok, fail, UsageError, type CliIO, type CliSpec, type CommandContext, type CommandSpec } from '@yantra/shared/cli';
import { createGraphEngine, type GraphEngine } from './engine.js';
import type { GnnError } from './errors.js';
import type { GraphNode } from './types.js';
import { runBench } from './bench.js';
import { benchChartSvg, type ChartReport, type ChartRow } from './bench-chart.js';
import { guardCommands } from './guard/commands.js';
import { contextCommands } from './context/commands.js';

function dirArg(ctx: CommandContext, v: unknown): string {
  if (typeof v !== 'string' || v.length === 0) throw new UsageError('a project folder is required');
  return path.resolve(ctx.io.cwd, v);
}

function dbOption(ctx: CommandContext, o: Record<string, unknown>): string | undefined {
  return typeof o['db'] === 'string' ? path.resolve(ctx.io.cwd, o['db']) : undefined;
}

function parseWorkersOption(o: Record<string, unknown>): { parseWorkers?: number } {
  const v = o['parseWorkers'] ?? o['parse-workers'];
  if (v === undefined) return {};
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError('--parse-workers must be a whole number (0: main thread only)');
  return { parseWorkers: n };
}

function failWith(e: GnnError) {
  return fail(e.kind, e.message);
}

function brief(n: GraphNode) {
  return { id: n.id, kind: n.kind, file: n.file, line: n.lineStart };
}

const progress = (ctx: CommandContext) => (done: number, total: number) => ctx.progress('parsing', done, total);

const QUERY_KINDS = ['dependents', 'dependencies', 'callers', 'callees', 'impact', 'find'] as const;
type QueryKind = (typeof QUERY_KINDS)[number];

async function withEngine<T>(engine: GraphEngine, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } finally {
    engine.close();
  }
}

const commands: readonly CommandSpec[] = [
  {
    name: 'build <dir>',
    description: 'Parse and resolve every Python file under <dir> and store the graph',
    options: [
      { flags: '--db <path>', description: 'SQLite file (default <dir>/.yantra/graph.db)' },
      { flags: '--parse-workers <n>', description: 'Worker threads that parse files, besides the main thread (default: cores - 1; 0: main thread only)' },
    ],
    run: async ([dir], o, ctx) => {
      const engine = createGraphEngine({ root: dirArg(ctx, dir), dbPath: dbOption(ctx, o), logger: ctx.logger, ...parseWorkersOption(o) });
      return withEngine(engine, async () =>
        (await engine.build({ onProgress: progress(ctx) })).match(
          (r) =>
            ok(
              { files: r.files, loc: r.loc, nodes: r.nodes, edges: r.edges, diagnostics: r.diagnostics, parse_ms: r.parseMs, resolve_ms: r.resolveMs, solve_ms: r.solveMs, fill_ms: r.fillMs, persist_ms: r.persistMs, persist_writer_ms: r.persistWriterMs, persist_mode: r.persistMode, total_ms: r.totalMs, parse_workers: r.parseWorkers, db_reset: r.dbReset },
              `built ${r.files} files (${r.loc} lines): ${r.nodes} nodes, ${r.edges} edges, ${r.diagnostics.length} diagnostics in ${Math.round(r.totalMs)} ms`,
            ),
          failWith,
        ),
      );
    },
  },
  {
    name: 'update <dir> [...files]',
    description: 'Reparse the given files (by content hash) and update the stored graph',
    options: [{ flags: '--db <path>', description: 'SQLite file (default <dir>/.yantra/graph.db)' }],
    run: async ([dir, files], o, ctx) => {
      const root = dirArg(ctx, dir);
      const list = Array.isArray(files) ? files.map((f) => path.resolve(ctx.io.cwd, String(f))) : [];
      if (list.length === 0) throw new UsageError('name at least one file to update');
      const engine = createGraphEngine({ root, dbPath: dbOption(ctx, o), logger: ctx.logger });
      return withEngine(engine, async () => {
        return (await engine.open({ onProgress: progress(ctx), refresh: false }).andThen(() => engine.update(list))).match(
          (r) => ok({ changed: r.changed, removed: r.removed, unchanged: r.unchanged, nodes: r.nodes, edges: r.edges, diagnostics: r.diagnostics, ms: r.ms }, `changed ${r.changed.length}, removed ${r.removed.length}, unchanged ${r.unchanged.length} in ${r.ms.toFixed(1)} ms`),
          failWith,
        );
      });
    },
  },
  {
    name: 'watch <dir>',
    description: 'Keep the stored graph current while files change (Ctrl-C stops)',
    options: [
      { flags: '--db <path>', description: 'SQLite file (default <dir>/.yantra/graph.db)' },
      { flags: '--for <ms>', description: 'Stop after this many milliseconds (default: until interrupted)' },
    ],
    run: async ([dir], o, ctx) => {
      const engine = createGraphEngine({ root: dirArg(ctx, dir), dbPath: dbOption(ctx, o), logger: ctx.logger });
      return withEngine(engine, async () => {
        const opened = await engine.open({ onProgress: progress(ctx) }).match(() => null, (e) => e);
        if (opened) return failWith(opened);
        const batches: { changed: string[]; removed: string[]; ms: number }[] = [];
        const watcher = engine.watch({
          onUpdate: (r) => {
            batches.push({ changed: r.changed, removed: r.removed, ms: r.ms });
            ctx.logger.info(`updated: ${[...r.changed, ...r.removed].join(', ') || 'nothing'} (${r.ms.toFixed(1)} ms)`);
          },
          onError: (e) => ctx.logger.error(e.message),
        });
        ctx.logger.info(`watching ${engine.root}`);
        const forMs = o['for'] === undefined ? undefined : Number(o['for']);
        await new Promise<void>((resolve) => {
          const stop = () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            resolve();
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
          if (forMs !== undefined && Number.isFinite(forMs)) setTimeout(stop, forMs);
        });
        await watcher.close();
        return ok({ batches }, `${batches.length} update batches`);
      });
    },
  },
  {
    name: 'query <kind> <name>',
    description: `Query the graph: ${QUERY_KINDS.join('|')}`,
    options: [
      { flags: '--depth <n>', description: 'Maximum hops for dependents/dependencies (default unlimited)' },
      { flags: '--dir <dir>', description: 'Project folder (default: current folder)' },
      { flags: '--db <path>', description: 'SQLite file (default <dir>/.yantra/graph.db)' },
    ],
    run: async ([kind, name], o, ctx) => {
      if (!QUERY_KINDS.includes(kind as QueryKind)) throw new UsageError(`unknown query kind: ${String(kind)} (one of ${QUERY_KINDS.join(', ')})`);
      const depth = o['depth'] === undefined ? undefined : Number(o['depth']);
      if (depth !== undefined && (!Number.isInteger(depth) || depth < 1)) throw new UsageError('--depth must be a positive integer');
      const root = path.resolve(ctx.io.cwd, typeof o['dir'] === 'string' ? o['dir'] : '.');
      const engine = createGraphEngine({ root, dbPath: dbOption(ctx, o), logger: ctx.logger });
      return withEngine(engine, async () => {
        const opened = await engine.open({ onProgress: progress(ctx) }).match(() => null, (e) => e);
        if (opened) return failWith(opened);
        const id = String(name);
        const k = kind as QueryKind;
        if (k === 'find') {
          const found = engine.find({ name: id }).concat(engine.find({ prefix: id })).filter((n, i, all) => all.findIndex((m) => m.id === n.id) === i);
          return ok({ query: k, name: id, results: found.map(brief) }, found.map((n) => `${n.kind} ${n.id} ${n.file}:${n.lineStart}`).join('\n') || 'nothing found');
        }
        if (!engine.node(id)) {
          const guesses = engine.find({ name: id.split('.').pop() ?? id, limit: 5 }).map((n) => n.id);
          return fail('not_found', `no symbol ${id}${guesses.length ? `; did you mean ${guesses.join(', ')}?` : ''}`);
        }
        if (k === 'impact') {
          const r = engine.impact([id]);
          return ok({ query: k, name: id, ...r }, [`symbols: ${r.symbols.length}`, ...r.files.map((f) => `file ${f}`), ...r.tests.map((t) => `test ${t}`)].join('\n'));
        }
        const opts = depth === undefined ? {} : { depth };
        const nodes = k === 'callers' ? engine.callers(id) : k === 'callees' ? engine.callees(id) : k === 'dependents' ? engine.dependents(id, opts) : engine.dependencies(id, opts);
        return ok({ query: k, name: id, results: nodes.map(brief) }, nodes.map((n) => `${n.kind} ${n.id}`).join('\n') || 'none');
      });
    },
  },
  {
    name: 'callgraph <dir>',
    description: 'Print the call graph of <dir> in PyCG JSON format',
    run: async ([dir], _o, ctx) => {
      const engine = createGraphEngine({ root: dirArg(ctx, dir), dbPath: false, logger: ctx.logger });
      return withEngine(engine, async () => (await engine.build({ onProgress: progress(ctx) })).match((_r) => {
        const cg = engine.callGraph();
        return ok(cg, JSON.stringify(cg, null, 2));
      }, failWith));
    },
  },
  {
    name: 'stats <dir>',
    description: 'Counts of files, lines, nodes and edges by kind',
    options: [{ flags: '--db <path>', description: 'SQLite file (default <dir>/.yantra/graph.db)' }],
    run: async ([dir], o, ctx) => {
      const engine = createGraphEngine({ root: dirArg(ctx, dir), dbPath: dbOption(ctx, o), logger: ctx.logger });
      return withEngine(engine, async () => (await engine.open({ onProgress: progress(ctx) })).match((_r) => {
        const s = engine.stats();
        return ok(s, JSON.stringify(s, null, 2));
      }, failWith));
    },
  },
  {
    name: 'bench <dir>',
    description: 'Measure parse, build, persist, load, incremental update and lookup on <dir>',
    options: [
      { flags: '--edits <n>', description: 'Incremental edits to time (default 100)' },
      { flags: '--lookups <n>', description: 'Dependents lookups to time (default 1000)' },
      { flags: '--resolve-edits <n>', description: 'Edits that add a call (full re-resolution) to time (default 5)' },
      { flags: '--parse-workers <n>', description: 'Parse worker threads of the cold build (default: cores - 1; 0: main thread only)' },
      { flags: '--rounds <n>', description: 'Bare parse and cold build pairs to measure; medians are reported (default 1)' },
    ],
    run: async ([dir], o, ctx) => {
      const rounds = o['rounds'] === undefined ? 1 : Number(o['rounds']);
      if (!Number.isInteger(rounds) || rounds < 1) throw new UsageError('--rounds must be a whole number of at least 1');
      const r = await runBench({
        rounds,
        root: dirArg(ctx, dir),
        edits: o['edits'] === undefined ? 100 : Number(o['edits']),
        lookups: o['lookups'] === undefined ? 1000 : Number(o['lookups']),
        resolveEdits: Number(o['resolveEdits'] ?? o['resolve-edits'] ?? 5),
        ...parseWorkersOption(o),
        progress: (label, done, total) => ctx.progress(label, done, total),
      });
      return r.match(
        (b) => ok(b, JSON.stringify(b, null, 2)),
        failWith,
      );
    },
  },
  {
    name: 'bench-chart [...reports]',
    description: 'Draw bench --json reports (one file per project) as an SVG chart of the cold build against the bare parse',
    options: [
      { flags: '--out <file>', description: 'SVG file to write' },
      { flags: '--title <text>', description: 'Title on top of the chart' },
    ],
    run: async ([reports], o, ctx) => {
      const files = Array.isArray(reports) ? reports.map((f) => path.resolve(ctx.io.cwd, String(f))) : [];
      if (files.length === 0) throw new UsageError('name at least one bench --json report');
      if (typeof o['out'] !== 'string' || o['out'].length === 0) throw new UsageError('--out <file> is required');
      const rows: ChartRow[] = [];
      for (const file of files) {
        const report = readReport(file);
        if (typeof report === 'string') return fail('bad_report', `${file}: ${report}`);
        rows.push({ label: path.basename(file).replace(/\.json$/, ''), report });
      }
      const out = path.resolve(ctx.io.cwd, o['out']);
      const title = typeof o['title'] === 'string' ? o['title'] : 'Cold build against the bare parse';
      return (await writeFileAtomic(out, benchChartSvg(rows, title))).match(
        () => ok({ out, rows: rows.map((r) => ({ label: r.label, cold_ratio: r.report.cold_ratio })) }, `wrote ${out}`),
        (e) => fail(e.kind, e.message),
      );
    },
  },
];

const CHART_FIELDS = ['parse_ms', 'extract_ms', 'build_ms', 'persist_ms', 'cold_ratio'] as const;
/** Fields of newer reports: checked when present. */
const OPTIONAL_CHART_FIELDS = ['solve_ms', 'fill_ms', 'parse_parallel_ms'] as const;

/** A bench --json report's chart fields, or why the file is not one. */
function readReport(file: string): ChartReport | string {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return e instanceof SyntaxError ? 'not JSON' : 'cannot read the file';
  }
  if (typeof data !== 'object' || data === null) return 'not a bench report';
  const r = data as Record<string, unknown>;
  const good = (k: string) => typeof r[k] === 'number' && Number.isFinite(r[k]) && r[k] >= 0;
  const bad = [...CHART_FIELDS.filter((k) => !good(k)), ...OPTIONAL_CHART_FIELDS.filter((k) => r[k] !== undefined && !good(k))];
  if (bad.length > 0) return `not a bench report (missing or bad ${bad.join(', ')})`;
  return Object.fromEntries([...CHART_FIELDS, ...OPTIONAL_CHART_FIELDS].filter((k) => r[k] !== undefined).map((k) => [k, r[k]])) as ChartReport;
}

/** Runs `yantra-gnn` with the given arguments; returns the exit code. */
export function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
  const spec: CliSpec = {
    name: 'yantra-gnn',
    version,
    description: 'The code dependency graph engine for Python projects: parse, resolve, persist, query, validate changes and rank context.',
    commands: [...commands, ...guardCommands, ...contextCommands],
  };
  return runCli(spec, argv, io);
}
