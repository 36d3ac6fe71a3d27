import type { Expr, FileIR, ScopeIR, Stmt } from '../parse/ir.js';

/*
 * Comparisons that tell an incremental update whether it may reuse the previous resolution (same
 * semantics) and the previous node set (same structure). Each leaves out exactly what the
 * consumer provably never looks at, so equal means equal results.
 */

// Fields of the intermediate form the resolver never reads.
const NON_SEMANTIC = new Set(['line', 'endLine', 'docstring', 'ann', 'def', 'returns', 'vars']);

function skipped(k: string, x: unknown): boolean {
  return x === undefined || k === 'vars' || (NON_SEMANTIC.has(k) && typeof x !== 'object');
}

/**
 * Deep equality of two intermediate forms, ignoring the fields above. Walks both at once without
 * building strings, and stops at the first difference.
 */
export function equalIgnoring(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalIgnoring(a[i], b[i])) return false;
    return true;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const k in ra) if (!skipped(k, ra[k]) && !equalIgnoring(ra[k], rb[k])) return false;
  for (const k in rb) if (!skipped(k, rb[k]) && skipped(k, ra[k])) return false;
  return true;
}

/**
 * How often each name may occur in a file as an inert statement's target: once per statement
 * `name = <constant>` in a function scope, plus once in the `locals` of each such scope.
 */
export function inertAllowance(scopes: Iterable<ScopeIR>, into = new Map<string, number>()): Map<string, number> {
  for (const s of scopes) {
    if (!isFunction(s)) continue;
    let here: Set<string> | null = null;
    for (const st of s.stmts) {
      if (st.k === 'as' && st.t.k === 'n' && isConstant(st.v)) {
        into.set(st.t.n, (into.get(st.t.n) ?? 0) + 1);
        (here ??= new Set()).add(st.t.n);
      }
    }
    if (here) for (const n of here) if (s.locals.includes(n)) into.set(n, (into.get(n) ?? 0) + 1);
  }
  return into;
}

/** Counts the strings of `v` (keys included) that are in `names`. */
function countNames(v: unknown, names: ReadonlyMap<string, number>, seen: Map<string, number>): void {
  if (typeof v === 'string') {
    if (names.has(v)) seen.set(v, (seen.get(v) ?? 0) + 1);
  } else if (Array.isArray(v)) {
    for (const x of v as unknown[]) countNames(x, names, seen);
  } else if (typeof v === 'object' && v !== null) {
    const r = v as Record<string, unknown>;
    for (const k in r) {
      if (names.has(k)) seen.set(k, (seen.get(k) ?? 0) + 1);
      countNames(r[k], names, seen);
    }
  }
}

/** A value whose evaluation reads nothing, writes nothing and records nothing (literals, arithmetic on them). */
export function isConstant(e: Expr): boolean {
  return e.k === 'str' || (e.k === 'x' && (e.e === undefined || e.e.every(isConstant)));
}

export function isFunction(s: ScopeIR): boolean {
  return s.kind === 'function' || s.kind === 'lambda';
}

/**
 * Whether the resolver sees the same in both versions of a file. Besides positions, docstrings and
 * annotations, it leaves out
 * "inert" local assignments: `name = <constant>` inside a function, when the name occurs nowhere
 * else in the file. Such a statement adds no value (the value set is empty), reads no variable,
 * records no relation, and its local name is never looked up (function locals are invisible to
 * other files and to attribute lookups; the name appears in no other statement, parameter,
 * `global`/`nonlocal` list or nested scope of this file). Dropping it keeps every other
 * constraint's effect and relative order, so the solver's result is the same.
 */
export function sameSemantics(a: FileIR | null, b: FileIR | null): boolean {
  if (a === null || b === null) return a === b;
  return equalIgnoring(withoutInertStatements(a), withoutInertStatements(b));
}

function withoutInertStatements(ir: FileIR): FileIR {
  // Candidates, and how often each may occur as a JSON string in the whole file: once per inert
  // statement binding it, plus once in the `locals` of each scope where it is dropped.
  const allowed = inertAllowance(ir.scopes);
  if (allowed.size === 0) return ir;
  // A candidate occurring anywhere else (a read, another binding, a parameter, a `global` or
  // `nonlocal`, an attribute, a string constant, even a docstring) is not provably unused: its
  // statements stay. Over-conservative by design.
  const seen = new Map<string, number>();
  countNames(ir, allowed, seen);
  const inert = new Set<string>();
  for (const [n, count] of allowed) if ((seen.get(n) ?? 0) <= count) inert.add(n);
  return inert.size === 0 ? ir : withoutInert(ir, inert);
}

function withoutInert(ir: FileIR, names: ReadonlySet<string>): FileIR {
  return { ...ir, scopes: scopesWithoutInert(ir.scopes, names) };
}

/** The scopes with the inert statements binding `names` (and those names in their locals) left out. */
export function scopesWithoutInert(scopes: readonly ScopeIR[], names: ReadonlySet<string>): ScopeIR[] {
  return scopes.map((s): ScopeIR => {
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
}

/**
 * The node ids a file contributes and how they nest (scopes with kind, name and parent; module
 * and class variables; module-level imports; parameters). The same structure means the same node
 * ids and `contains` edges: only node attributes (lines, signatures, docstrings) can differ.
 */
export function sameStructure(a: FileIR | null, b: FileIR | null): boolean {
  if (a === null || b === null) return a === b;
  return structureKey(a) === structureKey(b);
}

function structureKey(ir: FileIR): string {
  return JSON.stringify([ir.file, ir.module, ir.scopes.map(scopeStructure)]);
}

/** One scope's part of the structure: its id, nesting, variables, parameters and (module) imports. */
export function scopeStructure(s: ScopeIR): unknown[] {
  return [s.id, s.kind, s.name, s.parent, s.vars.map((v) => v[0]), isFunction(s) ? s.params.map((p) => p.n) : [], s.kind === 'module' ? importNames(s.stmts) : []];
}

/** The names module-level import statements bind, in order. */
export function importNames(stmts: readonly Stmt[]): string[] {
  const out: string[] = [];
  for (const st of stmts) if (st.k === 'imp' || st.k === 'from') out.push(st.n);
  return out;
}
