import type { SpliceInfo } from '../parse/extract.js';
import type { FileIR, ScopeIR, Stmt } from '../parse/ir.js';
import { sameJson } from '../parse/splice.js';
import { equalIgnoring, importNames, inertAllowance, scopeStructure, scopesWithoutInert } from './semantic-key.js';

/*
 * The two comparisons of semantic-key.ts for a form spliced from the previous one, looking only
 * at the replaced part. Outside it the two forms hold the same values, except lines (which
 * neither comparison reads) and, when `da` is not 0, value ids (then these answer "unknown").
 *
 * Same semantics is decided by equality after leaving out inert statements, and whether a
 * statement is inert depends on how often its name occurs in the whole file. Only names whose
 * counts or allowances differ between the old and the new replaced part can change status; for
 * each of them the status is settled from the replaced part alone when
 * - it is not a candidate at all (no `name = <constant>` in a function scope), or
 * - it occurs in the replaced part more often than that part allows (then also in the file:
 *   every allowance outside the part is itself an occurrence there), or
 * - it cannot occur anywhere outside the part: it is not in the previous source text, nor one of
 *   the strings the extractor makes up (keys, tags, kinds) or derives from the module path.
 * Names whose counts are equal keep their status and are not left out of either part: parts
 * equal with them are equal without them too. Anything else answers "unknown" (null), and the
 * caller runs the whole-file comparison, so the decision is always the whole-file one's.
 */

/** Every key and string value the extractor can produce that is not copied from the source text. */
export const MADE_UP: ReadonlySet<string> = new Set(
  (
    'k n o f a kw sa ka key id e v t line from mod name fn p kind def ann params returns async locals globals nonlocals bases ' +
    'decorators decoratorText docstring generator stmts vars parent endLine file module isPackage scopes all ' +
    'c s l d cp m u sup str x as r y for with exc raise pdef imp star class function lambda ' +
    'positional_only positional var_positional keyword_only var_keyword __all__ __init__ super staticmethod object type'
  ).split(' '),
);

function countAll(v: unknown, into: Map<string, number>): void {
  if (typeof v === 'string') into.set(v, (into.get(v) ?? 0) + 1);
  else if (Array.isArray(v)) for (const x of v as unknown[]) countAll(x, into);
  else if (typeof v === 'object' && v !== null) {
    const r = v as Record<string, unknown>;
    for (const k in r) {
      into.set(k, (into.get(k) ?? 0) + 1);
      countAll(r[k], into);
    }
  }
}

const IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_]*$/u;

/** Whether `name` provably occurs nowhere in `ir`, extracted from `text`. */
function absentFrom(name: string, ir: FileIR, text: string): boolean {
  if (!IDENTIFIER.test(name) || MADE_UP.has(name) || text.includes(name)) return false;
  return !ir.module.split('.').includes(name) && name !== ir.file;
}

interface Parts {
  readonly stmts: readonly Stmt[];
  readonly scopes: readonly ScopeIR[];
}

function replaced(ir: FileIR, s: SpliceInfo, old: boolean): Parts | null {
  const container = ir.scopes[s.container];
  if (!container) return null;
  return {
    stmts: container.stmts.slice(s.stmtFrom, old ? s.oldStmtTo : s.newStmtTo),
    scopes: ir.scopes.slice(s.scopeFrom, old ? s.oldScopeTo : s.newScopeTo),
  };
}

/**
 * `true` when `sameSemantics(previous, spliced)` holds, decided from the replaced part; null
 * when that part alone cannot tell (the caller then compares the whole forms).
 */
export function sameSemanticsSpliced(previous: FileIR, spliced: FileIR, s: SpliceInfo, previousText: string): true | null {
  if (s.da !== 0) return null;
  const pa = replaced(previous, s, true);
  const pb = replaced(spliced, s, false);
  if (!pa || !pb) return null;
  const countA = new Map<string, number>();
  const countB = new Map<string, number>();
  countAll(pa.stmts, countA);
  countAll(pa.scopes, countA);
  countAll(pb.stmts, countB);
  countAll(pb.scopes, countB);
  const allowA = inertAllowance(pa.scopes);
  const allowB = inertAllowance(pb.scopes);
  let allowOutside: Map<string, number> | null = null;
  const inertA = new Set<string>();
  const inertB = new Set<string>();
  for (const name of new Set([...countA.keys(), ...countB.keys()])) {
    const na = countA.get(name) ?? 0;
    const nb = countB.get(name) ?? 0;
    const la = allowA.get(name) ?? 0;
    const lb = allowB.get(name) ?? 0;
    if (na === nb && la === lb) continue;
    allowOutside ??= inertAllowance(outside(previous.scopes, s.scopeFrom, s.oldScopeTo));
    const lo = allowOutside.get(name) ?? 0;
    // Inert iff (occurrences outside + n) <= (lo + l), and occurrences outside >= lo.
    let ia = lo + la === 0 || na > la ? false : undefined;
    let ib = lo + lb === 0 || nb > lb ? false : undefined;
    if (ia === undefined || ib === undefined) {
      if (!absentFrom(name, previous, previousText)) return null;
      // No occurrence outside (so lo is 0 too): inert iff the part allows every occurrence.
      ia ??= na <= la;
      ib ??= nb <= lb;
    }
    // Statements outside that change status would make the rest of the file differ.
    if (lo > 0 && ia !== ib) return null;
    if (ia) inertA.add(name);
    if (ib) inertB.add(name);
  }
  const sa = inertA.size > 0 ? scopesWithoutInert(pa.scopes, inertA) : pa.scopes;
  const sb = inertB.size > 0 ? scopesWithoutInert(pb.scopes, inertB) : pb.scopes;
  return equalIgnoring(pa.stmts, pb.stmts) && equalIgnoring(sa, sb) ? true : null;
}

function* outside(scopes: readonly ScopeIR[], from: number, to: number): Iterable<ScopeIR> {
  for (let k = 0; k < scopes.length; k++) if (k < from || k >= to) yield scopes[k] as ScopeIR;
}

/** `sameStructure(previous, spliced)`, decided from the replaced part (exactly). */
export function sameStructureSpliced(previous: FileIR, spliced: FileIR, s: SpliceInfo): boolean {
  const pa = replaced(previous, s, true);
  const pb = replaced(spliced, s, false);
  if (!pa || !pb) return false;
  if (!sameJson(pa.scopes.map(scopeStructure), pb.scopes.map(scopeStructure))) return false;
  return s.container !== 0 || sameJson(importNames(pa.stmts), importNames(pb.stmts));
}
