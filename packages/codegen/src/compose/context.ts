import type { ResultAsync } from 'neverthrow';
import { rankContext, renderContext, type GraphEngine, type GraphNode } from '@yantra/gnn';
import type { ContextPort, PortError, SymbolIndexPort, SymbolMatch } from '../pipeline/ports.js';

/** The project graph, opened on first use; `takeOpenMs` hands the opening time to the first caller only. */
export interface ProjectGraphSource {
  (): ResultAsync<GraphEngine, PortError>;
}

export interface GraphPortOptions {
  /** Milliseconds the graph took to open or build, reported once (to the run that opened it). */
  readonly takeOpenMs?: () => number | undefined;
}

function timed<T>(options: GraphPortOptions, work: () => T): { value: T; graphOpenMs?: number; queryMs: number } {
  const t0 = performance.now();
  const value = work();
  const queryMs = Math.round((performance.now() - t0) * 10) / 10;
  const open = options.takeOpenMs?.();
  return { value, queryMs, ...(open === undefined ? {} : { graphOpenMs: open }) };
}

/**
 * Project context for the prompt: gnn's personalized PageRank over the code graph, seeded by the
 * symbols and files the request mentions (and the graph ids the intent resolved them to), fitted
 * to the token budget (full source for the most relevant symbols, signatures for the rest).
 */
export function graphContextPort(projectGraph: ProjectGraphSource, options: GraphPortOptions = {}): ContextPort {
  return {
    context: ({ request, intent, budgetTokens }) =>
      projectGraph().map((engine) => {
        const files = [...new Set([...intent.mentionedFiles, ...(intent.resolvedFiles ?? [])])];
        const mentions = [...new Set([...(intent.resolvedSymbols ?? []), ...intent.mentionedSymbols, ...files])];
        const { value, ...timing } = timed(options, () => renderContext(rankContext({ engine, mentions, files, budgetTokens, request })));
        return { text: value, ...timing };
      }),
  };
}

const DEFINITIONS = new Set(['class', 'function', 'method']);

/** Definitions a mention can name: `f`, `Cls.method` or a qualified `pkg.mod.f` (by dotted suffix). */
function matchSymbol(engine: GraphEngine, mention: string): SymbolMatch[] {
  const last = mention.split('.').pop() ?? mention;
  const nodes = engine.find({ name: last, limit: 500 }).filter((n: GraphNode) => DEFINITIONS.has(n.kind) && (n.id === mention || n.id.endsWith(`.${mention}`)));
  return nodes.map((n) => ({ id: n.id, kind: n.kind, file: n.file }));
}

/** Project files a mentioned path can name: the path itself, or files ending with `/<path>`. */
function matchFile(engine: GraphEngine, mention: string): string[] {
  const clean = mention.replace(/^\.\//, '');
  if (!clean.endsWith('.py')) return [];
  const base = clean.split('/').pop()?.replace(/\.py$/, '') ?? '';
  // A package's __init__.py is the module named after its folder.
  const moduleName = base === '__init__' ? (clean.split('/').at(-2) ?? base) : base;
  const files = engine
    .find({ name: moduleName, kind: 'module', limit: 500 })
    .map((n) => n.file)
    .filter((f) => f === clean || f.endsWith(`/${clean}`));
  return [...new Set(files)].sort();
}

/** The intent resolver's graph lookups, on the same lazily opened engine as the context. */
export function graphSymbolIndex(projectGraph: ProjectGraphSource, options: GraphPortOptions = {}): SymbolIndexPort {
  return {
    lookup: ({ symbols, files }) =>
      projectGraph().map((engine) => {
        const { value, ...timing } = timed(options, () => ({
          symbols: Object.fromEntries(symbols.map((s) => [s, matchSymbol(engine, s)])),
          files: Object.fromEntries(files.map((f) => [f, matchFile(engine, f)])),
        }));
        return { ...value, ...timing };
      }),
  };
}
