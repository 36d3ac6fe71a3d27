import type { Analysis } from './resolve/analysis.js';

/**
 * The PyCG call-graph format: each key is a module, class, function or method by its dotted id
 * relative to the project root; each value lists its callees, builtins as `<builtin>.name` and
 * external symbols by their dotted names. Only certain edges are included.
 */
export type PyCGCallGraph = Record<string, string[]>;

export function toPyCG(a: Analysis): PyCGCallGraph {
  const out: PyCGCallGraph = {};
  for (const s of a.scopes) {
    const callees = a.calls.get(s.id);
    out[s.id] = callees ? [...callees].filter(([, c]) => c === 'certain').map(([id]) => id).sort() : [];
  }
  return out;
}
