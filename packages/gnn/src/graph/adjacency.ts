import type { EdgeKind, GraphNode } from '../types.js';
import type { CodeGraph } from './code-graph.js';

/*
 * A compact copy of the graph's adjacency (CSR: offsets into flat neighbour and kind arrays) for
 * repeated transitive queries. Walking graphology calls a closure per edge and allocates per
 * query; this walks typed arrays with a reusable queue and visit marks. Per node, neighbours are
 * kept in graphology's own iteration order, so walks return the same ids in the same order.
 */

const KIND_BIT: Readonly<Record<EdgeKind, number>> = { contains: 1, imports: 2, calls: 4, uses: 8, inherits: 16, decorates: 32, data_flow: 64 };

/** Bit mask of edge kinds for {@link Adjacency} walks. */
export function kindMask(kinds: Iterable<EdgeKind>): number {
  let m = 0;
  for (const k of kinds) m |= KIND_BIT[k];
  return m;
}

interface Side {
  readonly off: Int32Array;
  readonly nbr: Int32Array;
  readonly kind: Uint8Array;
}

export interface Adjacency {
  readonly ids: readonly string[];
  /** Node attributes by index (the copy is dropped on any attribute update, so they are current). */
  readonly nodes: readonly GraphNode[];
  readonly index: ReadonlyMap<string, number>;
  readonly in: Side;
  readonly out: Side;
  /** Visit marks: node i is seen in the current walk when stamp[i] === epoch. */
  readonly stamp: Uint32Array;
  epoch: number;
  readonly queue: Int32Array;
}

interface State {
  adj: Adjacency | null;
  /** Queries since the last mutation; the copy is built only once the graph is queried repeatedly. */
  queries: number;
}

const states = new WeakMap<CodeGraph, State>();

/** After a mutation, the first queries walk graphology; building the copy pays off only for more. */
const BUILD_AFTER = 16;

const MUTATIONS = ['nodeAdded', 'nodeDropped', 'edgeAdded', 'edgeDropped', 'cleared', 'edgesCleared', 'attributesUpdated', 'nodeAttributesUpdated', 'edgeAttributesUpdated'] as const;

/** The adjacency copy of `g` if it is (now) worth having, else null (walk graphology instead). */
export function adjacencyFor(g: CodeGraph): Adjacency | null {
  let st = states.get(g);
  if (!st) {
    const s: State = { adj: null, queries: 0 };
    const reset = () => {
      s.adj = null;
      s.queries = 0;
    };
    for (const ev of MUTATIONS) g.on(ev, reset);
    states.set(g, s);
    st = s;
  }
  if (st.adj) return st.adj;
  if (++st.queries < BUILD_AFTER) return null;
  st.adj = build(g);
  if (!st.adj) st.queries = Number.NEGATIVE_INFINITY; // not representable: walk graphology until the next mutation
  return st.adj;
}

function build(g: CodeGraph): Adjacency | null {
  const ids: string[] = [];
  const nodes: GraphNode[] = [];
  const index = new Map<string, number>();
  g.forEachNode((id, attrs) => {
    index.set(id, ids.length);
    ids.push(id);
    nodes.push(attrs);
  });
  const side = (dir: 'in' | 'out'): Side | null => {
    const off = new Int32Array(ids.length + 1);
    const nbr = new Int32Array(g.size);
    const kind = new Uint8Array(g.size);
    let p = 0;
    let overflow = false;
    const visit = (_e: string, attrs: { kind: EdgeKind }, source: string, target: string) => {
      if (p >= nbr.length) {
        overflow = true;
        return;
      }
      nbr[p] = index.get(dir === 'in' ? source : target) as number;
      kind[p] = KIND_BIT[attrs.kind];
      p++;
    };
    for (let i = 0; i < ids.length; i++) {
      if (dir === 'in') g.forEachInEdge(ids[i] as string, visit);
      else g.forEachOutEdge(ids[i] as string, visit);
      off[i + 1] = p;
    }
    return overflow ? null : { off, nbr, kind };
  };
  const inSide = side('in');
  const outSide = side('out');
  if (!inSide || !outSide) return null;
  return { ids, nodes, index, in: inSide, out: outSide, stamp: new Uint32Array(ids.length), epoch: 0, queue: new Int32Array(ids.length) };
}

/** Breadth-first walk over the copy; same contract and order as the graphology walk. */
export function walk(a: Adjacency, starts: readonly string[], direction: 'in' | 'out', depth: number, mask: number): string[] {
  return walkWith(a, starts, direction, depth, mask, a.ids);
}

/** {@link walk}, returning the reached nodes' attributes instead of their ids. */
export function walkNodes(a: Adjacency, starts: readonly string[], direction: 'in' | 'out', depth: number, mask: number): GraphNode[] {
  return walkWith(a, starts, direction, depth, mask, a.nodes);
}

function walkWith<T>(a: Adjacency, starts: readonly string[], direction: 'in' | 'out', depth: number, mask: number, pick: readonly T[]): T[] {
  if (a.epoch === 0xffffffff) {
    a.stamp.fill(0);
    a.epoch = 0;
  }
  const epoch = ++a.epoch;
  const { stamp, queue } = a;
  const { off, nbr, kind } = direction === 'in' ? a.in : a.out;
  let head = 0;
  let tail = 0;
  for (const s of starts) {
    const i = a.index.get(s);
    if (i === undefined || stamp[i] === epoch) continue;
    stamp[i] = epoch;
    queue[tail++] = i;
  }
  const out: T[] = [];
  for (let level = 0; level < depth && head < tail; level++) {
    const levelEnd = tail;
    while (head < levelEnd) {
      const v = queue[head++] as number;
      const end = off[v + 1] as number;
      for (let p = off[v] as number; p < end; p++) {
        if (((kind[p] as number) & mask) === 0) continue;
        const w = nbr[p] as number;
        if (stamp[w] === epoch) continue;
        stamp[w] = epoch;
        queue[tail++] = w;
        out.push(pick[w] as T);
      }
    }
  }
  return out;
}
