import type { EdgeKind, GraphNode } from '../types.js';
import { adjacencyFor, kindMask, walk, walkNodes } from './adjacency.js';
import type { CodeGraph } from './code-graph.js';

/** Options of transitive queries. */
export interface TraverseOptions {
  /** Maximum hops. Default: unlimited. */
  readonly depth?: number;
  /** Edge kinds followed. Default: every kind except `contains`. */
  readonly kinds?: readonly EdgeKind[];
}

const DEPENDENCY_KINDS: readonly EdgeKind[] = ['imports', 'calls', 'uses', 'inherits', 'decorates', 'data_flow'];

/** Breadth-first walk from `starts`; returns reached ids (without the starts) in BFS order. */
export function traverse(g: CodeGraph, starts: readonly string[], direction: 'in' | 'out', opts: TraverseOptions = {}): string[] {
  const depth = opts.depth ?? Number.POSITIVE_INFINITY;
  // A graph queried repeatedly gets a compact copy of its adjacency (same result, same order).
  const adj = adjacencyFor(g);
  if (adj) return walk(adj, starts, direction, depth, kindMask(opts.kinds ?? DEPENDENCY_KINDS));
  return traverseGraph(g, starts, direction, depth, opts.kinds ?? DEPENDENCY_KINDS);
}

/** The same walk over graphology itself (for graphs not queried often enough to copy). */
function traverseGraph(g: CodeGraph, starts: readonly string[], direction: 'in' | 'out', depth: number, kindList: readonly EdgeKind[]): string[] {
  const kinds = new Set(kindList);
  const seen = new Set<string>(starts.filter((s) => g.hasNode(s)));
  let frontier = [...seen];
  let next: string[] = [];
  const out: string[] = [];
  // One visitor for the whole walk (no closure per node): fewer allocations, fewer GC pauses in the tail.
  const visit = (_e: string, attrs: { kind: EdgeKind }, source: string, target: string) => {
    if (!kinds.has(attrs.kind)) return;
    const other = direction === 'in' ? source : target;
    if (seen.has(other)) return;
    seen.add(other);
    next.push(other);
    out.push(other);
  };
  for (let level = 0; level < depth && frontier.length > 0; level++) {
    for (const id of frontier) {
      if (direction === 'in') g.forEachInEdge(id, visit);
      else g.forEachOutEdge(id, visit);
    }
    frontier = next;
    next = [];
  }
  return out;
}

/** {@link traverse}, returning the reached nodes' attributes (what the engine's queries return). */
export function traverseNodes(g: CodeGraph, starts: readonly string[], direction: 'in' | 'out', opts: TraverseOptions = {}): GraphNode[] {
  const adj = adjacencyFor(g);
  if (adj) return walkNodes(adj, starts, direction, opts.depth ?? Number.POSITIVE_INFINITY, kindMask(opts.kinds ?? DEPENDENCY_KINDS));
  const depth = opts.depth ?? Number.POSITIVE_INFINITY;
  return traverseGraph(g, starts, direction, depth, opts.kinds ?? DEPENDENCY_KINDS).map((id) => g.getNodeAttributes(id));
}

/** Shortest path from `a` to `b` along dependency edges, or null. */
export function shortestPath(g: CodeGraph, a: string, b: string, kinds: readonly EdgeKind[] = DEPENDENCY_KINDS): string[] | null {
  if (!g.hasNode(a) || !g.hasNode(b)) return null;
  if (a === b) return [a];
  const allowed = new Set(kinds);
  const prev = new Map<string, string>([[a, a]]);
  let frontier = [a];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const id of frontier) {
      let found = false;
      g.forEachOutEdge(id, (_e, attrs, _s, target) => {
        if (found || !allowed.has(attrs.kind) || prev.has(target)) return;
        prev.set(target, id);
        if (target === b) found = true;
        next.push(target);
      });
      if (found) {
        const path = [b];
        let cur = b;
        while (cur !== a) {
          cur = prev.get(cur) as string;
          path.push(cur);
        }
        return path.reverse();
      }
    }
    frontier = next;
  }
  return null;
}

/** True for files pytest collects by default (`test_*.py`, `*_test.py`). */
export function isTestFile(file: string): boolean {
  const base = file.split('/').pop() ?? file;
  return /^test_.*\.py$/.test(base) || /_test\.py$/.test(base);
}

/** The pytest node id of a test function or method, or null if the node is not a test. */
export function pytestId(g: CodeGraph, node: GraphNode): string | null {
  if (!node.file || !isTestFile(node.file) || !node.name.startsWith('test')) return null;
  if (node.kind === 'function') {
    const mod = node.id.slice(0, node.id.length - node.name.length - 1);
    const parent = g.hasNode(mod) ? g.getNodeAttributes(mod) : undefined;
    return parent?.kind === 'module' ? `${node.file}::${node.name}` : null;
  }
  if (node.kind === 'method') {
    const clsId = node.id.slice(0, node.id.length - node.name.length - 1);
    const cls = g.hasNode(clsId) ? g.getNodeAttributes(clsId) : undefined;
    if (!cls || cls.kind !== 'class' || !cls.name.startsWith('Test')) return null;
    return `${node.file}::${cls.name}::${node.name}`;
  }
  return null;
}

/** What a change to `ids` may affect. */
export interface ImpactReport {
  /** Affected project symbols (the changed ones, what they contain, and their transitive dependents). */
  readonly symbols: string[];
  /** Project files holding affected symbols. */
  readonly files: string[];
  /** Affected tests as pytest node ids (`tests/test_x.py::test_y`). */
  readonly tests: string[];
}

export function impactOf(g: CodeGraph, ids: readonly string[]): ImpactReport {
  const starts = new Set<string>();
  const addContained = (id: string) => {
    if (!g.hasNode(id) || starts.has(id)) return;
    starts.add(id);
    g.forEachOutEdge(id, (_e, attrs, _s, target) => {
      if (attrs.kind === 'contains') addContained(target);
    });
  };
  for (const id of ids) addContained(id);
  const affected = [...starts, ...traverse(g, [...starts], 'in')];
  const symbols: string[] = [];
  const files = new Set<string>();
  const tests = new Set<string>();
  for (const id of affected) {
    const n = g.getNodeAttributes(id);
    if (n.kind === 'external' || n.kind === 'parameter') continue;
    symbols.push(id);
    if (n.file) files.add(n.file);
    const t = pytestId(g, n);
    if (t) tests.add(t);
  }
  return { symbols: symbols.sort(), files: [...files].sort(), tests: [...tests].sort() };
}
