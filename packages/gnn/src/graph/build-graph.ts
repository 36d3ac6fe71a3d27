import type { FileIR, ScopeIR, Stmt } from '../parse/ir.js';
import type { Analysis } from '../resolve/analysis.js';
import type { Confidence, EdgeKind, GraphEdge, GraphNode, NodeKind } from '../types.js';

/** Nodes and edges derived from the files' intermediate forms and the resolver's relations. */
export interface GraphData {
  readonly nodes: Map<string, GraphNode>;
  readonly edges: Map<string, GraphEdge>;
}

export function edgeKey(source: string, kind: EdgeKind, target: string): string {
  return `${source}\u0001${kind}\u0001${target}`;
}

function externalNode(id: string): GraphNode {
  const name = id.startsWith('<builtin>.') ? id.slice('<builtin>.'.length) : (id.split('.').pop() ?? id);
  return { id, kind: 'external', name, file: '', lineStart: 0, lineEnd: 0 };
}

function scopeNode(f: FileIR, s: ScopeIR, parentKind: string | undefined): GraphNode {
  const kind: NodeKind = s.kind === 'module' ? 'module' : s.kind === 'class' ? 'class' : parentKind === 'class' ? 'method' : 'function';
  return {
    id: s.id,
    kind,
    name: s.name,
    file: f.file,
    lineStart: s.line,
    lineEnd: s.endLine,
    ...(s.kind === 'function' || s.kind === 'lambda'
      ? {
          signature: {
            params: s.params.map((p) => ({ name: p.n, kind: p.kind, ...(p.def === undefined ? {} : { default: p.def }), ...(p.ann === undefined ? {} : { annotation: p.ann }) })),
            ...(s.returns === undefined ? {} : { returns: s.returns }),
            async: s.async === true,
          },
        }
      : {}),
    ...(s.decoratorText.length > 0 ? { decorators: s.decoratorText } : {}),
    ...(s.docstring === undefined ? {} : { docstring: s.docstring }),
  };
}

/** The variable, import and parameter nodes of one scope, in the order buildGraph adds them. */
function memberNodes(f: FileIR, s: ScopeIR, add: (n: GraphNode) => void): void {
  for (const [name, line] of s.vars) add({ id: `${s.id}.${name}`, kind: 'variable', name, file: f.file, lineStart: line, lineEnd: line });
  if (s.kind === 'module') {
    for (const st of s.stmts as Stmt[]) {
      if (st.k === 'imp' || st.k === 'from') add({ id: `${s.id}.${st.n}`, kind: 'import', name: st.n, file: f.file, lineStart: st.line, lineEnd: st.line });
    }
  }
  if (s.kind === 'function' || s.kind === 'lambda') {
    for (const p of s.params) add({ id: `${s.id}.${p.n}`, kind: 'parameter', name: p.n, file: f.file, lineStart: s.line, lineEnd: s.line });
  }
}

/**
 * The nodes one file contributes on its own (what buildGraph gives for it alone), except those of
 * the scopes `skip` holds: scopes carried over unchanged from a previous form, whose nodes are
 * already in the graph. Their ids still take precedence as buildGraph's would.
 */
export function fileNodes(f: FileIR, skip?: ReadonlySet<ScopeIR>): Map<string, GraphNode> {
  const nodes = new Map<string, GraphNode>();
  const taken = new Set<string>();
  const scopeKinds = new Map<string, string>();
  const own: ScopeIR[] = [];
  for (const s of f.scopes) {
    if (taken.has(s.id) || nodes.has(s.id)) continue;
    const parentKind = s.parent === null ? undefined : scopeKinds.get(s.parent);
    scopeKinds.set(s.id, s.kind);
    if (skip?.has(s)) {
      taken.add(s.id);
      continue;
    }
    nodes.set(s.id, scopeNode(f, s, parentKind));
    own.push(s);
  }
  const add = (n: GraphNode) => {
    if (!nodes.has(n.id) && !taken.has(n.id)) nodes.set(n.id, n);
  };
  for (const s of own) memberNodes(f, s, add);
  return nodes;
}

type AddEdge = (source: string, kind: EdgeKind, target: string, confidence?: Confidence, external?: boolean) => void;

function edgeAdder({ nodes, edges }: GraphData): AddEdge {
  return (source, kind, target, confidence = 'certain', external = false) => {
    if (source === target && kind !== 'calls') return;
    if (!nodes.has(target)) {
      if (!external) return;
      nodes.set(target, externalNode(target));
    }
    if (!nodes.has(source)) return;
    const key = edgeKey(source, kind, target);
    const prev = edges.get(key);
    if (!prev || (prev.confidence === 'possible' && confidence === 'certain')) edges.set(key, { source, target, kind, confidence });
  };
}

/**
 * The part of the graph the files' forms give without resolution: every definition, variable,
 * import and parameter node and the `contains` edges. A cold build hands these nodes to the
 * database writer while the solver runs.
 */
export function baseGraph(files: readonly FileIR[]): GraphData {
  const data: GraphData = { nodes: new Map(), edges: new Map() };
  const { nodes } = data;
  const addNode = (n: GraphNode) => {
    if (!nodes.has(n.id)) nodes.set(n.id, n);
  };
  const addEdge = edgeAdder(data);
  const scopeKinds = new Map<string, string>();
  for (const f of files) {
    for (const s of f.scopes) {
      if (nodes.has(s.id)) continue;
      const parentKind = s.parent === null ? undefined : scopeKinds.get(s.parent);
      scopeKinds.set(s.id, s.kind);
      addNode(scopeNode(f, s, parentKind));
    }
  }
  // Second pass: variables, imports and parameters, which never override a definition.
  for (const f of files) {
    for (const s of f.scopes) {
      if (nodes.get(s.id)?.file !== f.file) continue;
      if (s.parent !== null) addEdge(s.parent, 'contains', s.id);
      memberNodes(f, s, (n) => {
        addNode(n);
        addEdge(s.id, 'contains', n.id);
      });
    }
  }
  return data;
}

/** Adds the resolver's relations to baseGraph's data (and the external nodes they reach); returns it. */
export function addRelations(data: GraphData, a: Analysis): GraphData {
  const addEdge = edgeAdder(data);
  for (const [src, callees] of a.calls) for (const [dst, conf] of callees) addEdge(src, 'calls', dst, conf, true);
  for (const [src, targets] of a.imports) for (const dst of targets) addEdge(src, 'imports', dst, 'certain', true);
  for (const [src, bases] of a.inherits) for (const dst of bases) addEdge(src, 'inherits', dst, 'certain', true);
  for (const [src, targets] of a.decorates) for (const dst of targets) addEdge(src, 'decorates', dst);
  for (const [src, targets] of a.uses) for (const dst of targets) addEdge(src, 'uses', dst);
  for (const [src, targets] of a.dataFlow) for (const dst of targets) addEdge(src, 'data_flow', dst);
  return data;
}

/** Builds the whole graph. Deterministic: equal inputs give equal maps (incremental == cold). */
export function buildGraph(files: readonly FileIR[], a: Analysis): GraphData {
  return addRelations(baseGraph(files), a);
}
