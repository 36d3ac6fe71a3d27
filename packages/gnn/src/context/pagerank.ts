import type { CodeGraph } from '../graph/code-graph.js';
import type { EdgeKind, NodeKind } from '../types.js';

/** Edge weights for ranking: calls and inheritance say most about what code needs. */
export const EDGE_WEIGHTS: Readonly<Record<EdgeKind, number>> = { calls: 1, inherits: 1, imports: 0.5, uses: 0.6, decorates: 0.4, contains: 0.3, data_flow: 0 };
/** The reverse direction (callers of a callee, subclasses of a base) counts this much of the forward weight. */
const REVERSE = 0.5;
const RANKED_KINDS: ReadonlySet<NodeKind> = new Set(['module', 'class', 'function', 'method', 'variable']);

/** A compact weighted adjacency (CSR) of the rankable part of the graph. */
export interface RankGraph {
  readonly ids: string[];
  readonly index: Map<string, number>;
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  /** Normalised transition probabilities, per out-edge. */
  readonly probs: Float64Array;
}

export function buildRankGraph(g: CodeGraph): RankGraph {
  const ids: string[] = [];
  const index = new Map<string, number>();
  g.forEachNode((id, n) => {
    if (n.file !== '' && RANKED_KINDS.has(n.kind)) {
      index.set(id, ids.length);
      ids.push(id);
    }
  });
  const adj: Map<number, number>[] = ids.map(() => new Map());
  const add = (a: number, b: number, w: number) => {
    const m = adj[a];
    if (m) m.set(b, (m.get(b) ?? 0) + w);
  };
  g.forEachEdge((_k, e) => {
    const w = EDGE_WEIGHTS[e.kind];
    if (w === 0) return;
    const a = index.get(e.source);
    const b = index.get(e.target);
    if (a === undefined || b === undefined || a === b) return;
    add(a, b, w);
    add(b, a, w * REVERSE);
  });
  const offsets = new Int32Array(ids.length + 1);
  let total = 0;
  for (let i = 0; i < ids.length; i++) {
    offsets[i] = total;
    total += adj[i]?.size ?? 0;
  }
  offsets[ids.length] = total;
  const targets = new Int32Array(total);
  const probs = new Float64Array(total);
  for (let i = 0; i < ids.length; i++) {
    const m = adj[i];
    if (!m) continue;
    let sum = 0;
    for (const w of m.values()) sum += w;
    let j = offsets[i] ?? 0;
    for (const [t, w] of m) {
      targets[j] = t;
      probs[j] = w / sum;
      j++;
    }
  }
  return { ids, index, offsets, targets, probs };
}

/**
 * Personalized PageRank by power iteration: with probability `restart` the walk jumps back to
 * the seeds (weighted), otherwise it follows a weighted edge. Dangling mass returns to the seeds.
 */
export function personalizedPageRank(rg: RankGraph, seeds: ReadonlyMap<number, number>, restart = 0.25, iterations = 30): Float64Array {
  const n = rg.ids.length;
  const p = new Float64Array(n);
  let seedSum = 0;
  for (const w of seeds.values()) seedSum += w;
  if (seedSum === 0 || n === 0) return p;
  for (const [i, w] of seeds) p[i] = w / seedSum;
  let r = Float64Array.from(p);
  for (let it = 0; it < iterations; it++) {
    const next = new Float64Array(n);
    let dangling = 0;
    for (let i = 0; i < n; i++) {
      const ri = r[i] ?? 0;
      if (ri === 0) continue;
      const s = rg.offsets[i] ?? 0;
      const e = rg.offsets[i + 1] ?? 0;
      if (s === e) {
        dangling += ri;
        continue;
      }
      const out = ri * (1 - restart);
      for (let j = s; j < e; j++) {
        const t = rg.targets[j] ?? 0;
        next[t] = (next[t] ?? 0) + out * (rg.probs[j] ?? 0);
      }
    }
    let delta = 0;
    for (let i = 0; i < n; i++) {
      const v = (next[i] ?? 0) + (restart + dangling * (1 - restart)) * (p[i] ?? 0);
      delta += Math.abs(v - (r[i] ?? 0));
      next[i] = v;
    }
    r = next;
    if (delta < 1e-6) break;
  }
  return r;
}
