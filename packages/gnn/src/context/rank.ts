import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CodeGraph } from '../graph/code-graph.js';
import { moduleIdOf } from '../parse/extract.js';
import type { GraphNode } from '../types.js';
import { buildRankGraph, personalizedPageRank, type RankGraph } from './pagerank.js';
import { estimateTokens } from './tokens.js';
import type { ContextItem, RankContextOptions, RankedContext } from './types.js';

const DEFAULT_BUDGET = 4000;
/** Items shown in full at most; the rest get signature and docstring. */
const FULL_ITEMS = 1;
/** Header line per item in the rendered prompt (`# file:line kind id — why`). */
const HEADER_TOKENS = 12;
const CACHE_SIZE = 32;
const STOP = new Set(['the', 'and', 'for', 'with', 'that', 'this', 'from', 'into', 'return', 'returns', 'when', 'not', 'are', 'was', 'use', 'def', 'class', 'self', 'none', 'true', 'false', 'given', 'its', 'of', 'to', 'in', 'is', 'an', 'if', 'or', 'be', 'by', 'on', 'as', 'it', 'at']);

interface Scored {
  readonly scores: Float64Array;
  readonly rg: RankGraph;
  readonly seeds: string[];
  readonly why: Map<string, string>;
}

/** Per graph: a version bumped by every mutation event, the compact graph and the ranking cache. */
interface GraphState {
  version: number;
  rg: { version: number; graph: RankGraph } | null;
  readonly cache: Map<string, Scored>;
}
const states = new WeakMap<CodeGraph, GraphState>();

function stateOf(g: CodeGraph): GraphState {
  let s = states.get(g);
  if (!s) {
    const st: GraphState = { version: 0, rg: null, cache: new Map() };
    const bump = () => {
      st.version++;
    };
    for (const ev of ['nodeAdded', 'nodeDropped', 'edgeAdded', 'edgeDropped', 'cleared', 'edgesCleared', 'attributesUpdated', 'nodeAttributesUpdated', 'edgeAttributesUpdated'] as const) g.on(ev, bump);
    states.set(g, st);
    s = st;
  }
  return s;
}

function relPath(root: string, p: string): string {
  const abs = path.resolve(root, p);
  return path.relative(root, abs).split(path.sep).join('/');
}

function resolveSeeds(o: RankContextOptions): { seeds: Map<string, number>; why: Map<string, string> } {
  const { engine } = o;
  const seeds = new Map<string, number>();
  const why = new Map<string, string>();
  const add = (id: string, w: number, reason: string) => {
    const n = engine.node(id);
    if (!n || n.file === '') return;
    seeds.set(id, (seeds.get(id) ?? 0) + w);
    if (!why.has(id)) why.set(id, reason);
  };
  const byName = (m: string, w: number, reason: string) => {
    const last = m.split('.').pop() ?? m;
    const found = engine.find({ name: last, limit: 50 }).filter((n) => n.file !== '' && n.kind !== 'parameter' && n.kind !== 'import' && (m === last || n.id.endsWith(`.${m}`)));
    // An ambiguous name splits its weight: same-named symbols in different modules stay distinct.
    for (const n of found) add(n.id, w / found.length, reason);
  };
  const addFile = (f: string, w: number, reason: string) => {
    const rel = relPath(engine.root, f);
    if (!rel.endsWith('.py')) return;
    const mod = moduleIdOf(rel).module;
    add(mod, w, reason);
    // The file's own symbols are the likeliest neighbours of new code there: seed them too.
    const g = engine.graph;
    if (!g.hasNode(mod)) return;
    const kids: string[] = [];
    const stack = [mod];
    while (stack.length > 0) {
      const id = stack.pop() ?? '';
      g.forEachOutEdge(id, (_e, a) => {
        if (a.kind !== 'contains') return;
        const k = g.getNodeAttributes(a.target);
        if (k.file !== rel) return;
        if (k.kind === 'function' || k.kind === 'class' || k.kind === 'variable' || k.kind === 'method') kids.push(a.target);
        if (k.kind === 'class') stack.push(a.target);
      });
    }
    for (const k of kids) add(k, w / Math.max(1, kids.length), `in ${reason} ${rel}`);
  };
  for (const m of o.mentions) {
    if (m.endsWith('.py') || m.includes('/')) addFile(m, 1, `mentioned file ${m}`);
    else if (engine.node(m)?.file) add(m, 1, 'mentioned');
    else byName(m, 1, `mentioned as ${m}`);
  }
  for (const f of o.focusFiles ?? []) addFile(f, 1, 'focus file');
  for (const f of o.files ?? []) addFile(f, 0.5, 'request file');
  if (o.request) {
    const words = new Set(o.request.match(/[A-Za-z_][A-Za-z0-9_.]{2,}/g) ?? []);
    for (const w of words) if (!STOP.has(w.toLowerCase())) byName(w.replace(/\.$/, ''), 0.25, `named in the request (${w})`);
  }
  return { seeds, why };
}

function neighbourWhy(g: CodeGraph, seeds: Iterable<string>, why: Map<string, string>): void {
  for (const s of seeds) {
    if (!g.hasNode(s)) continue;
    g.forEachOutEdge(s, (_e, a) => {
      const r = a.kind === 'calls' ? `called by ${s}` : a.kind === 'inherits' ? `base class of ${s}` : a.kind === 'imports' ? `imported by ${s}` : a.kind === 'uses' ? `used by ${s}` : a.kind === 'contains' ? `defined in ${s}` : null;
      if (r && !why.has(a.target)) why.set(a.target, r);
    });
    g.forEachInEdge(s, (_e, a) => {
      const r = a.kind === 'calls' ? `calls ${s}` : a.kind === 'inherits' ? `subclass of ${s}` : a.kind === 'contains' ? `contains ${s}` : a.kind === 'uses' ? `uses ${s}` : null;
      if (r && !why.has(a.source)) why.set(a.source, r);
      // Siblings: other symbols of the module or class that holds a seed.
      if (a.kind === 'contains')
        g.forEachOutEdge(a.source, (_e2, b) => {
          if (b.kind === 'contains' && !why.has(b.target)) why.set(b.target, `next to ${s} in ${a.source}`);
        });
    });
  }
}

function score(o: RankContextOptions): Scored & { cached: boolean } {
  const g = o.engine.graph;
  const st = stateOf(g);
  const { seeds, why } = resolveSeeds(o);
  const key = `${st.version}\u0000${[...seeds].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, w]) => `${k}=${w.toFixed(4)}`).join(',')}`;
  const hit = st.cache.get(key);
  if (hit) return { ...hit, cached: true };
  if (!st.rg || st.rg.version !== st.version) st.rg = { version: st.version, graph: buildRankGraph(g) };
  const rg = st.rg.graph;
  const idx = new Map<number, number>();
  for (const [id, w] of seeds) {
    const i = rg.index.get(id);
    if (i !== undefined) idx.set(i, w);
  }
  neighbourWhy(g, seeds.keys(), why);
  const scored: Scored = { scores: personalizedPageRank(rg, idx), rg, seeds: [...seeds.keys()].sort(), why };
  if (st.cache.size >= CACHE_SIZE) {
    const first = st.cache.keys().next();
    if (!first.done) st.cache.delete(first.value);
  }
  st.cache.set(key, scored);
  return { ...scored, cached: false };
}

/** The header of a def or class: lines up to the one that ends the header with `:`. */
function headerLines(lines: readonly string[], n: GraphNode): string[] {
  const out: string[] = [];
  let depth = 0;
  for (let i = n.lineStart; i <= Math.min(n.lineEnd, lines.length); i++) {
    const l = lines[i - 1] ?? '';
    out.push(l);
    for (const ch of l.replace(/#.*$/, '')) {
      if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if (ch === ')' || ch === ']' || ch === '}') depth--;
    }
    const t = l.replace(/#.*$/, '').trimEnd();
    if (depth <= 0 && t.endsWith(':') && !t.trimStart().startsWith('@')) break;
  }
  return out;
}

function signatureCode(lines: readonly string[], n: GraphNode): string {
  if (n.kind === 'variable') return (lines[n.lineStart - 1] ?? '').trimEnd();
  const head = headerLines(lines, n);
  const indent = `${/^\s*/.exec(head[head.length - 1] ?? '')?.[0] ?? ''}    `;
  const doc = n.docstring ? `${indent}"""${n.docstring.trim().split('\n')[0]?.trim() ?? ''}"""` : `${indent}...`;
  return [...head, doc].join('\n');
}

/**
 * Ranks the project's symbols for a request by personalized PageRank over the typed graph
 * (calls and inheritance weigh most) and fits the best into a token budget: full source for the
 * top few, signature and docstring for the rest. Cached per graph version and personalization.
 *
 * @example
 * const ctx = rankContext({ engine, mentions: ['Session.send'], budgetTokens: 3000 });
 * const prompt = renderContext(ctx);
 */
export function rankContext(options: RankContextOptions): RankedContext {
  const t0 = performance.now();
  const budget = options.budgetTokens ?? DEFAULT_BUDGET;
  const g = options.engine.graph;
  const s = score(options);
  const order: number[] = [];
  for (let i = 0; i < s.scores.length; i++) if ((s.scores[i] ?? 0) > 0) order.push(i);
  order.sort((a, b) => (s.scores[b] ?? 0) - (s.scores[a] ?? 0) || ((s.rg.ids[a] ?? '') < (s.rg.ids[b] ?? '') ? -1 : 1));
  const texts = new Map<string, string[]>();
  const linesOf = (file: string): string[] => {
    let l = texts.get(file);
    if (!l) {
      try {
        l = readFileSync(path.join(options.engine.root, file), 'utf8').split('\n');
      } catch {
        l = [];
      }
      texts.set(file, l);
    }
    return l;
  };
  const items: ContextItem[] = [];
  const fullIds: string[] = [];
  let used = 0;
  for (const i of order) {
    if (used + HEADER_TOKENS > budget) break;
    const id = s.rg.ids[i] ?? '';
    const n = g.getNodeAttributes(id);
    if (n.kind === 'module') continue;
    if (fullIds.some((f) => id.startsWith(`${f}.`))) continue;
    const lines = linesOf(n.file);
    if (lines.length === 0) continue;
    let detail: 'full' | 'signature' = 'signature';
    let code = signatureCode(lines, n);
    if (fullIds.length < FULL_ITEMS && n.kind !== 'variable') {
      const full = lines.slice(n.lineStart - 1, n.lineEnd).join('\n');
      const ft = estimateTokens(full);
      if (used + ft + HEADER_TOKENS <= budget && ft <= budget * 0.2) {
        detail = 'full';
        code = full;
      }
    }
    const score = s.scores[i] ?? 0;
    const item = { id, kind: n.kind, file: n.file, lineStart: n.lineStart, lineEnd: n.lineEnd, score, detail, code, tokens: 0, why: s.why.get(id) ?? `graph rank ${score.toFixed(4)}` };
    // Counted as rendered (header, fences and the blank line between items), so the prompt fits.
    const tokens = estimateTokens(renderItem(item)) + 1;
    if (used + tokens > budget) continue;
    used += tokens;
    if (detail === 'full') fullIds.push(id);
    items.push({ ...item, tokens });
  }
  return { items, budgetTokens: budget, usedTokens: used, seeds: s.seeds, cached: s.cached, ms: performance.now() - t0 };
}

/** Renders ranked context as prompt text: one fenced block per symbol, with where and why. */
export function renderContext(ranked: RankedContext): string {
  return ranked.items.map(renderItem).join('\n\n');
}

function renderItem(it: ContextItem): string {
  return `# ${it.file}:${it.lineStart} ${it.kind} ${it.id} (${it.why})\n\`\`\`python\n${it.code}\n\`\`\``;
}
