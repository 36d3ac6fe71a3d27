/**
 * The PyCG call-graph format: each key is a module, class, function or method by its dotted id
 * relative to the project root; each value lists its callees, builtins as `<builtin>.name` and
 * external symbols by their dotted names. Only certain edges are included.
 */
export type PyCGCallGraph = Record<string, string[]>;
