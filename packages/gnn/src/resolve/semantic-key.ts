import type { Expr, FileIR, ScopeIR } from '../parse/ir.js';

/*
 * Keys that tell an incremental update whether it may reuse the previous resolution (equal
 * semantic keys) and the previous node set (equal structure keys). Each key leaves out exactly
 * what the consumer provably never looks at, so equal keys mean equal results.
 */

// Fields of the intermediate form the resolver never reads.
const NON_SEMANTIC = new Set(['line', 'endLine', 'docstring', 'ann', 'def', 'returns', 'vars']);

const replacer = (k: string, v: unknown): unknown => (NON_SEMANTIC.has(k) && typeof v !== 'object' ? undefined : k === 'vars' ? undefined : v);

/** A value whose evaluation reads nothing, writes nothing and records nothing (literals, arithmetic on them). */
function isConstant(e: Expr): boolean {
  return e.k === 'str' || (e.k === 'x' && (e.e === undefined || e.e.every(isConstant)));
}

function isFunction(s: ScopeIR): boolean {
  return s.kind === 'function' || s.kind === 'lambda';
}

/**
 * What the resolver sees of a file. Besides positions, docstrings and annotations, it leaves out
 * "inert" local assignments: `name = <constant>` inside a function, when the name occurs nowhere
 * else in the file. Such a statement adds no value (the value set is empty), reads no variable,
 * records no relation, and its local name is never looked up (function locals are invisible to
 * other files and to attribute lookups; the name appears in no other statement, parameter,
 * `global`/`nonlocal` list or nested scope of this file). Dropping it keeps every other
 * constraint's effect and relative order, so the solver's result is the same.
 */
export function semanticKey(ir: FileIR | null): string {
  if (ir === null) return 'null';
  const candidates = new Set<string>();
  for (const s of ir.scopes) {
    if (!isFunction(s)) continue;
    for (const st of s.stmts) if (st.k === 'as' && st.t.k === 'n' && isConstant(st.v)) candidates.add(st.t.n);
  }
  for (;;) {
    const json = JSON.stringify(candidates.size === 0 ? ir : withoutInert(ir, candidates), replacer);
    if (candidates.size === 0) return json;
    // A candidate still mentioned anywhere (a read, another binding, a parameter, an attribute or
    // string with that text) is not provably unused: keep its statements. Over-conservative by design.
    const mentioned = [...candidates].filter((n) => json.includes(JSON.stringify(n)));
    if (mentioned.length === 0) return json;
    for (const n of mentioned) candidates.delete(n);
  }
}

function withoutInert(ir: FileIR, names: ReadonlySet<string>): FileIR {
  const scopes = ir.scopes.map((s): ScopeIR => {
    if (!isFunction(s)) return s;
    const dropped = new Set<string>();
    const stmts = s.stmts.filter((st) => {
      const inert = st.k === 'as' && st.t.k === 'n' && names.has(st.t.n) && isConstant(st.v);
      if (inert && st.t.k === 'n') dropped.add(st.t.n);
      return !inert;
    });
    if (dropped.size === 0) return s;
    return { ...s, stmts, locals: s.locals.filter((n) => !dropped.has(n)) };
  });
  return { ...ir, scopes };
}

/**
 * The node ids a file contributes and how they nest (scopes with kind, name and parent; module
 * and class variables; module-level imports; parameters). Equal structure keys mean the same node
 * ids and `contains` edges: only node attributes (lines, signatures, docstrings) can differ.
 */
export function structureKey(ir: FileIR | null): string {
  if (ir === null) return 'null';
  const parts: unknown[] = [];
  for (const s of ir.scopes) {
    const imports: string[] = [];
    if (s.kind === 'module') for (const st of s.stmts) if (st.k === 'imp' || st.k === 'from') imports.push(st.n);
    parts.push([s.id, s.kind, s.name, s.parent, s.vars.map((v) => v[0]), isFunction(s) ? s.params.map((p) => p.n) : [], imports]);
  }
  return JSON.stringify([ir.file, ir.module, parts]);
}
