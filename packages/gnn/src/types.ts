/** The kinds of node in the code graph. `external` nodes stand for symbols outside the project. */
export type NodeKind = 'module' | 'class' | 'function' | 'method' | 'variable' | 'import' | 'parameter' | 'external';

/** The kinds of edge in the code graph. */
export type EdgeKind = 'contains' | 'imports' | 'calls' | 'uses' | 'inherits' | 'decorates' | 'data_flow';

/** How sure the resolver is of an edge. `possible` edges are kept out of the PyCG export. */
export type Confidence = 'certain' | 'possible';

/** One parameter of a function signature. */
export interface Parameter {
  readonly name: string;
  /** `positional_only` (before `/`), `positional` (ordinary), `var_positional` (`*args`), `keyword_only`, `var_keyword` (`**kwargs`). */
  readonly kind: 'positional_only' | 'positional' | 'var_positional' | 'keyword_only' | 'var_keyword';
  /** Source text of the default value, if any. */
  readonly default?: string;
  /** Source text of the annotation, if any. */
  readonly annotation?: string;
}

/** A function or method signature. */
export interface Signature {
  readonly params: readonly Parameter[];
  /** Source text of the return annotation, if any. */
  readonly returns?: string;
  readonly async: boolean;
}

/**
 * A node of the code graph. `id` is the dotted qualified name relative to the project root
 * (`pkg.mod.Class.method`); external nodes are named as Python names them (`os.path.join`,
 * `<builtin>.print`).
 */
export interface GraphNode {
  readonly id: string;
  readonly kind: NodeKind;
  /** The short name (last segment). */
  readonly name: string;
  /** Project-relative POSIX path of the defining file; empty for external nodes. */
  readonly file: string;
  readonly lineStart: number;
  readonly lineEnd: number;
  readonly signature?: Signature;
  /** Decorator expressions as written, outermost first. */
  readonly decorators?: readonly string[];
  readonly docstring?: string;
}

/** A directed edge of the code graph. */
export interface GraphEdge {
  readonly source: string;
  readonly target: string;
  readonly kind: EdgeKind;
  readonly confidence: Confidence;
}

/** A problem found while reading or parsing a file. Never fatal: the rest of the graph is built. */
export interface Diagnostic {
  readonly file: string;
  readonly kind: 'syntax' | 'encoding' | 'binary' | 'unreadable' | 'too_deep' | 'vanished';
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}
