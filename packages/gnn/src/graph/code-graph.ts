import { MultiDirectedGraph } from 'graphology';
import type { EdgeKind, GraphEdge, GraphNode, Parameter, Signature } from '../types.js';
import type { FileIR, ScopeIR } from '../parse/ir.js';
import { edgeKey, fileNodes, type GraphData } from './build-graph.js';

/** Node attributes are the {@link GraphNode}; edge attributes the {@link GraphEdge}. Keyed by `edgeKey`. */
export type CodeGraph = MultiDirectedGraph<GraphNode, GraphEdge>;

export function newCodeGraph(): CodeGraph {
  return new MultiDirectedGraph<GraphNode, GraphEdge>({ allowSelfLoops: true });
}

/**
 * Adds nodes and edges to an empty or partly filled graph. `edges` may be keyed already: a
 * {@link GraphData} map, or an array with its keys at the same indexes in `keys` (the database
 * reads them so). Reusing those keys saves building and hashing one long string per edge. Edges
 * without keys are looked up first and skipped if a node is missing; keyed ones are not: a map's
 * edges join nodes of the same GraphData (buildGraph adds an edge only between nodes it holds),
 * and an edge whose node is missing is refused by graphology and skipped.
 */
export function fillGraph(g: CodeGraph, nodes: Iterable<GraphNode>, edges: Iterable<GraphEdge> | ReadonlyMap<string, GraphEdge>, keys?: readonly string[]): void {
  for (const n of nodes) g.mergeNode(n.id, n);
  // Keys are unique in both sources (a map, or the table's primary key); a duplicate would be
  // a bug upstream, and graphology rejects it, so it is skipped rather than checked for first.
  const add = (key: string, e: GraphEdge) => {
    try {
      g.addEdgeWithKey(key, e.source, e.target, e);
    } catch {
      return;
    }
  };
  if (edges instanceof Map) for (const [k, e] of edges as ReadonlyMap<string, GraphEdge>) add(k, e);
  else if (keys && Array.isArray(edges) && keys.length === edges.length) {
    const list = edges as readonly GraphEdge[];
    for (let i = 0; i < list.length; i++) add(keys[i] as string, list[i] as GraphEdge);
  } else
    for (const e of edges as Iterable<GraphEdge>) {
      if (g.hasNode(e.source) && g.hasNode(e.target)) add(edgeKey(e.source, e.kind, e.target), e);
    }
}

/** The difference between the graph in memory and a freshly computed one. */
export interface GraphDelta {
  readonly removedNodes: string[];
  readonly upsertedNodes: GraphNode[];
  /** Nodes that differ from the graph's only in their lines (stored with a narrower write). */
  readonly movedNodes: GraphNode[];
  readonly removedEdges: GraphEdge[];
  readonly addedEdges: GraphEdge[];
}

function sameNode(a: GraphNode, b: GraphNode): boolean {
  return a.lineStart === b.lineStart && a.lineEnd === b.lineEnd && sameBesidesLines(a, b);
}

function sameBesidesLines(a: GraphNode, b: GraphNode): boolean {
  // Cheap fields first: most nodes differ in nothing, and stringifying every node is the slow part.
  if (a.kind !== b.kind || a.file !== b.file || a.name !== b.name || a.docstring !== b.docstring) return false;
  if ((a.signature === undefined) !== (b.signature === undefined) || (a.decorators === undefined) !== (b.decorators === undefined)) return false;
  if (a.decorators && b.decorators && a.decorators.join('\n') !== b.decorators.join('\n')) return false;
  return a.signature === undefined || b.signature === undefined || sameSignature(a.signature, b.signature);
}

function sameSignature(a: Signature, b: Signature): boolean {
  if (a.async !== b.async || a.returns !== b.returns || a.params.length !== b.params.length) return false;
  for (let i = 0; i < a.params.length; i++) {
    const p = a.params[i] as Parameter;
    const q = b.params[i] as Parameter;
    if (p.name !== q.name || p.kind !== q.kind || p.default !== q.default || p.annotation !== q.annotation) return false;
  }
  return true;
}

/**
 * The difference between the graph in memory and a freshly computed one. Lookups go from the new
 * data into the graph; the graph itself is walked only when some of its nodes or edges are not in
 * the new data (counted: keys are unique on both sides), which an edit that only adds relations
 * never needs. Walking graphology's edges took about a third of the diff.
 */
export function diffGraph(g: CodeGraph, next: GraphData): GraphDelta {
  const removedNodes: string[] = [];
  const upsertedNodes: GraphNode[] = [];
  const removedEdges: GraphEdge[] = [];
  const addedEdges: GraphEdge[] = [];
  let keptNodes = 0;
  for (const n of next.nodes.values()) {
    if (!g.hasNode(n.id)) {
      upsertedNodes.push(n);
      continue;
    }
    keptNodes++;
    if (!sameNode(g.getNodeAttributes(n.id), n)) upsertedNodes.push(n);
  }
  if (keptNodes !== g.order)
    g.forEachNode((id) => {
      if (!next.nodes.has(id)) removedNodes.push(id);
    });
  let keptEdges = 0;
  for (const [key, e] of next.edges) {
    if (!g.hasEdge(key)) {
      addedEdges.push(e);
      continue;
    }
    keptEdges++;
    const cur = g.getEdgeAttributes(key);
    if (cur.confidence !== e.confidence) {
      removedEdges.push(cur);
      addedEdges.push(e);
    }
  }
  if (keptEdges !== g.size)
    g.forEachEdge((key, attrs) => {
      if (!next.edges.has(key)) removedEdges.push(attrs);
    });
  return { removedNodes, upsertedNodes, movedNodes: [], removedEdges, addedEdges };
}

/** A file's new form, and its previous one when the graph holds that one's nodes. */
export interface FileForms {
  readonly ir: FileIR | null;
  readonly previous?: FileIR | null;
}

/**
 * The delta for files whose node ids and nesting are unchanged and whose resolution is reused:
 * only attributes of the nodes these files own can differ. Scopes the new form shares with the
 * previous one (the same object: a splice keeps what it did not touch) give the nodes the graph
 * already has and are skipped. Returns null when the premise does not hold (a node missing, or
 * owned by the file but of another kind, which happens only when a node's kind depends on another
 * file), so the caller falls back to a full rebuild and diff.
 */
export function fileNodesDelta(g: CodeGraph, files: readonly FileForms[]): GraphDelta | null {
  const upsertedNodes: GraphNode[] = [];
  const movedNodes: GraphNode[] = [];
  for (const { ir, previous } of files) {
    if (ir === null) continue;
    let kept: Set<ScopeIR> | undefined;
    if (previous) {
      kept = new Set();
      const n = Math.min(previous.scopes.length, ir.scopes.length);
      for (let i = 0; i < n; i++) if (previous.scopes[i] === ir.scopes[i]) kept.add(ir.scopes[i] as ScopeIR);
    }
    for (const n of fileNodes(ir, kept).values()) {
      if (!g.hasNode(n.id)) return null;
      const cur = g.getNodeAttributes(n.id);
      if (cur.file !== ir.file) continue; // another file's definition of the same id wins
      if (cur.kind !== n.kind) return null;
      if (cur.lineStart === n.lineStart && cur.lineEnd === n.lineEnd) {
        if (!sameBesidesLines(cur, n)) upsertedNodes.push(n);
      } else if (sameBesidesLines(cur, n)) movedNodes.push(n);
      else upsertedNodes.push(n);
    }
  }
  return { removedNodes: [], upsertedNodes, movedNodes, removedEdges: [], addedEdges: [] };
}

export function applyDelta(g: CodeGraph, d: GraphDelta): void {
  for (const e of d.removedEdges) {
    const key = edgeKey(e.source, e.kind, e.target);
    if (g.hasEdge(key)) g.dropEdge(key);
  }
  for (const id of d.removedNodes) if (g.hasNode(id)) g.dropNode(id);
  for (const n of d.upsertedNodes) {
    if (g.hasNode(n.id)) g.replaceNodeAttributes(n.id, n);
    else g.addNode(n.id, n);
  }
  for (const n of d.movedNodes) g.replaceNodeAttributes(n.id, n);
  for (const e of d.addedEdges) {
    const key = edgeKey(e.source, e.kind, e.target);
    if (g.hasEdge(key)) g.replaceEdgeAttributes(key, e);
    else g.addEdgeWithKey(key, e.source, e.target, e);
  }
}

export type { EdgeKind };
