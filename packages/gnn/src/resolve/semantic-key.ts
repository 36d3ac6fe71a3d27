import type { Expr, FileIR, ScopeIR } from '../parse/ir.js';

/*
 * Keys that tell an incremental update whether it may reuse the previous resolution (equal
 * semantic keys) and the previous node set (equal structure keys). Each key leaves out exactly
 * what the consumer provably never looks at, so equal keys mean equal results.
 */

// Fields of the intermediate form the resolver never reads.
const NON_SEMANTIC = new Set(['line', 'endLine', 'docstring', 'ann', 'def', 'returns', 'vars']);

/**
 * A serialization of the intermediate form without the fields above (faster than
 * `JSON.stringify` with a replacer, which calls back into JavaScript for every value).
 */
function serialize(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object' || v === null) return String(v);
  let out: string;
  if (Array.isArray(v)) {
    out = '[';
    for (const x of v as unknown[]) out += `${serialize(x)},`;
    return `${out}]`;
  }
  out = '{';
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined || k === 'vars' || (NON_SEMANTIC.has(k) && typeof x !== 'object')) continue;
    out += `${k}:${serialize(x)},`;
  }
  return `${out}}`;
}

/** Counts the strings of `v` (keys included) that are in `names`. */
function countNames(v: unknown, names: ReadonlyMap<string, number>, seen: Map<string, number>): void {
  if (typeof v === 'string') {
    if (names.has(v)) seen.set(v, (seen.get(v) ?? 0) + 1);
  } else if (Array.isArray(v)) {
    for (const x of v as unknown[]) countNames(x, names, seen);
  } else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      if (names.has(k)) seen.set(k, (seen.get(k) ?? 0) + 1);
      countNames(x, names, seen);
    }
  }
}

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
  let key = semanticKeys.get(ir);
  if (key === undefined) semanticKeys.set(ir, (key = computeSemanticKey(ir)));
  return key;
}

// Keys per intermediate-form object (never mutated): the previous version's key is not recomputed.
const semanticKeys = new WeakMap<FileIR, string>();
const structureKeys = new WeakMap<FileIR, string>();

function computeSemanticKey(ir: FileIR): string {
  // Candidates, and how often each may occur as a JSON string in the whole file: once per inert
  // statement binding it, plus once in the `locals` of each scope where it is dropped.
  const allowed = new Map<string, number>();
  for (const s of ir.scopes) {
    if (!isFunction(s)) continue;
    const here = new Set<string>();
    for (const st of s.stmts) {
      if (st.k === 'as' && st.t.k === 'n' && isConstant(st.v)) {
        allowed.set(st.t.n, (allowed.get(st.t.n) ?? 0) + 1);
        here.add(st.t.n);
      }
    }
    for (const n of here) if (s.locals.includes(n)) allowed.set(n, (allowed.get(n) ?? 0) + 1);
  }
  if (allowed.size === 0) return serialize(ir);
  // A candidate occurring anywhere else (a read, another binding, a parameter, a `global` or
  // `nonlocal`, an attribute, a string constant, even a docstring) is not provably unused: its
  // statements stay. Over-conservative by design.
  const seen = new Map<string, number>();
  countNames(ir, allowed, seen);
  const inert = new Set<string>();
  for (const [n, count] of allowed) if ((seen.get(n) ?? 0) <= count) inert.add(n);
  return serialize(inert.size === 0 ? ir : withoutInert(ir, inert));
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
  let key = structureKeys.get(ir);
  if (key === undefined) structureKeys.set(ir, (key = computeStructureKey(ir)));
  return key;
}

function computeStructureKey(ir: FileIR): string {
  const parts: unknown[] = [];
  for (const s of ir.scopes) {
    const imports: string[] = [];
    if (s.kind === 'module') for (const st of s.stmts) if (st.k === 'imp' || st.k === 'from') imports.push(st.n);
    parts.push([s.id, s.kind, s.name, s.parent, s.vars.map((v) => v[0]), isFunction(s) ? s.params.map((p) => p.n) : [], imports]);
  }
  return JSON.stringify([ir.file, ir.module, parts]);
}
