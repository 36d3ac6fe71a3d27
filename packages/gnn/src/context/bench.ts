import { ResultAsync } from 'neverthrow';
import { describeUnknown, makeError } from '@yantra/shared';
import { createGraphEngine, type GraphEngine } from '../engine.js';
import type { GnnError } from '../errors.js';
import type { CodeGraph } from '../graph/code-graph.js';
import type { GraphNode } from '../types.js';
import { fetchCorpus } from '../guard/corpus.js';
import { codeMentions } from './commands.js';
import { rankContext } from './rank.js';
import { estimateTokens } from './tokens.js';

/** Options of {@link runContextBench}. */
export interface ContextBenchOptions {
  readonly corpusDir: string;
  readonly python: string;
  /** Functions per project. Default 15. */
  readonly perProject?: number;
  readonly budgetTokens?: number;
  readonly progress?: (label: string, done: number, total: number) => void;
}

/** What `bench-context` reports. */
export interface ContextBenchReport {
  readonly functions: number;
  readonly budgetTokens: number;
  /** Mean share of the symbols each hidden function uses that the ranked context contains. */
  readonly recall: number;
  readonly baselineRecall: number;
  readonly msPerRank: { mean: number; max: number };
  readonly projects: { name: string; functions: number; recall: number; baselineRecall: number }[];
}

const USED = new Set(['calls', 'uses', 'inherits']);
const SHOWN = new Set(['function', 'method', 'class', 'variable']);

/** An engine view over a copy of the graph without the hidden function, for ranking only. */
function hiddenView(engine: GraphEngine, hidden: string): GraphEngine {
  const g: CodeGraph = engine.graph.copy();
  g.forEachNode((id) => {
    if (id === hidden || id.startsWith(`${hidden}.`)) g.dropNode(id);
  });
  const byName = new Map<string, GraphNode[]>();
  g.forEachNode((_id, n) => {
    const l = byName.get(n.name) ?? [];
    l.push(n);
    byName.set(n.name, l);
  });
  const view = {
    root: engine.root,
    graph: g,
    node: (id: string) => (g.hasNode(id) ? g.getNodeAttributes(id) : undefined),
    find: (q: string | { name?: string; limit?: number }) => {
      const name = typeof q === 'string' ? q : (q.name ?? '');
      return (byName.get(name) ?? []).slice(0, typeof q === 'string' ? 100 : (q.limit ?? 100));
    },
  };
  return view as unknown as GraphEngine;
}

/** Aider-style baseline: symbols whose name the request says, then the file's own symbols, as signatures. */
function baseline(g: CodeGraph, words: ReadonlySet<string>, file: string, hidden: string, budget: number): Set<string> {
  const picked: GraphNode[] = [];
  const rest: GraphNode[] = [];
  g.forEachNode((id, n) => {
    if (!SHOWN.has(n.kind) || n.file === '' || id === hidden || id.startsWith(`${hidden}.`)) return;
    if (words.has(n.name.toLowerCase())) picked.push(n);
    else if (n.file === file) rest.push(n);
  });
  const out = new Set<string>();
  let used = 0;
  for (const n of [...picked, ...rest]) {
    const cost = estimateTokens(`${n.id} ${n.docstring?.split('\n\n')[0] ?? ''}`) + 20;
    if (used + cost > budget) continue;
    used += cost;
    out.add(n.id);
  }
  return out;
}

async function benchProject(root: string, perProject: number, budget: number, progress: ContextBenchOptions['progress']) {
  const engine = createGraphEngine({ root, dbPath: false });
  try {
    await engine.build().match(() => undefined, (e) => {
      throw e;
    });
    const g = engine.graph;
    const cands: { n: GraphNode; used: string[] }[] = [];
    g.forEachNode((id, n) => {
      if ((n.kind !== 'function' && n.kind !== 'method') || (n.docstring?.length ?? 0) < 30) return;
      const used = new Set<string>();
      g.forEachOutEdge(id, (_e, a) => {
        if (!USED.has(a.kind) || a.target.startsWith(`${id}.`)) return;
        const t = g.getNodeAttributes(a.target);
        if (t.file !== '' && SHOWN.has(t.kind)) used.add(t.id);
      });
      if (used.size >= 2) cands.push({ n, used: [...used] });
    });
    cands.sort((a, b) => (a.n.id < b.n.id ? -1 : 1));
    // Spread the sample over the project rather than taking one module's functions.
    const step = Math.max(1, Math.floor(cands.length / perProject));
    const sample = cands.filter((_c, i) => i % step === 0).slice(0, perProject);
    const recalls: number[] = [];
    const base: number[] = [];
    const times: number[] = [];
    for (const [i, c] of sample.entries()) {
      const request = c.n.docstring ?? '';
      const view = hiddenView(engine, c.n.id);
      const ranked = rankContext({ engine: view, mentions: codeMentions(request), request, files: [c.n.file], budgetTokens: budget });
      times.push(ranked.ms);
      const got = new Set(ranked.items.map((x) => x.id));
      recalls.push(c.used.filter((u) => got.has(u)).length / c.used.length);
      const words = new Set((request.toLowerCase().match(/[a-z_][a-z0-9_]*/g) ?? []).filter((w) => w.length > 2));
      const b = baseline(view.graph, words, c.n.file, c.n.id, budget);
      base.push(c.used.filter((u) => b.has(u)).length / c.used.length);
      progress?.(`context ${root.split('/').pop() ?? root}`, i + 1, sample.length);
    }
    return { recalls, base, times };
  } finally {
    engine.close();
  }
}

/**
 * For real functions of the corpus projects: the docstring is the request, the function is hidden
 * from the graph, and recall@budget is the share of the symbols it uses that the ranked context
 * holds; the same for an Aider-style name-matching baseline.
 */
export function runContextBench(options: ContextBenchOptions): ResultAsync<ContextBenchReport, GnnError> {
  const budget = options.budgetTokens ?? 4000;
  return fetchCorpus({ dir: options.corpusDir, python: options.python }).andThen((roots) =>
    ResultAsync.fromPromise(
      (async () => {
        const projects: ContextBenchReport['projects'] = [];
        const all: number[] = [];
        const allBase: number[] = [];
        const times: number[] = [];
        const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)) * 1000) / 1000;
        for (const root of roots) {
          const r = await benchProject(root, options.perProject ?? 15, budget, options.progress);
          projects.push({ name: root.split('/').pop() ?? root, functions: r.recalls.length, recall: mean(r.recalls), baselineRecall: mean(r.base) });
          all.push(...r.recalls);
          allBase.push(...r.base);
          times.push(...r.times);
        }
        return { functions: all.length, budgetTokens: budget, recall: mean(all), baselineRecall: mean(allBase), msPerRank: { mean: mean(times), max: Math.round(Math.max(0, ...times) * 10) / 10 }, projects };
      })(),
      (e): GnnError => (typeof e === 'object' && e !== null && 'kind' in e ? (e as GnnError) : makeError('internal', describeUnknown(e))),
    ),
  );
}
