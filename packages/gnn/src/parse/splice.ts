import type { Tree } from 'web-tree-sitter';
import { countLines, extractTree, type ChunkTable, type ExtractResult } from './extract.js';
import type { Expr, FileIR, ScopeIR, Stmt, Target } from './ir.js';
import type { PythonParser } from './parser.js';

/*
 * Re-extraction of one edited module-level definition instead of the whole file.
 *
 * A file's intermediate form is the concatenation of what each module-level statement
 * contributes: module statements, scopes, value ids from one counter, and lines. When an edit lies
 * inside one `def`/`class` statement, that statement is parsed and extracted alone (old and new
 * text), and its contribution is swapped into the previous form; everything after it moves by the
 * line and value-id difference. The result must be exactly what a full extraction gives, so each
 * assumption is checked and any doubt returns null (the caller then extracts the whole file):
 * - the previous file parsed cleanly, and both versions of the statement parse alone, cleanly, as
 *   one definition (so the rest of the file tokenizes and parses as before);
 * - the old statement, extracted alone, reproduces exactly its part of the previous form (no state
 *   shared with other statements: merged redefinitions, module-level lambdas numbered across
 *   statements, and the like);
 * - old and new leave the same marks on the module scope (locals, `global` writes, …);
 * - no new scope id collides with another statement's scope (which a full extraction would merge).
 */

const DEFINITIONS = new Set(['function_definition', 'class_definition', 'decorated_definition']);

function parseDefinition(pp: PythonParser, text: string): Tree | null {
  const tree = pp.parser.parse(text);
  if (!tree) return null;
  const root = tree.rootNode;
  if (root.hasError || root.namedChildCount !== 1 || !DEFINITIONS.has(root.namedChild(0)?.type ?? '')) {
    tree.delete();
    return null;
  }
  return tree;
}

function newlinesIn(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Moves lines by `dl` and value ids at or above `from` by `da` (ids are `<module>#<n>`). */
class Mover {
  private readonly prefix: string;

  constructor(
    module: string,
    private readonly dl: number,
    private readonly da: number,
    private readonly from: number,
  ) {
    this.prefix = `${module}#`;
  }

  private id(id: string): string {
    if (!id.startsWith(this.prefix)) return id;
    const n = Number(id.slice(this.prefix.length));
    return n >= this.from ? `${this.prefix}${n + this.da}` : id;
  }

  expr = (e: Expr): Expr => {
    if (this.da === 0) return e;
    switch (e.k) {
      case 'n':
      case 'str':
      case 'm':
      case 'f':
        return e;
      case 'a':
      case 's':
        return { ...e, o: this.expr(e.o) };
      case 'c':
        return {
          ...e,
          f: this.expr(e.f),
          a: e.a.map(this.expr),
          kw: e.kw.map(([n, x]) => [n, this.expr(x)] as const),
          ...(e.sa ? { sa: e.sa.map(this.expr) } : {}),
          ...(e.ka ? { ka: e.ka.map(this.expr) } : {}),
        };
      case 'l':
        return { ...e, id: this.id(e.id), e: e.e.map(this.expr) };
      case 'd':
        return { ...e, id: this.id(e.id), e: e.e.map(([k, x]) => [k, this.expr(x)] as const) };
      case 'cp':
        return { ...e, id: this.id(e.id), e: this.expr(e.e) };
      case 'u':
        return { ...e, e: e.e.map(this.expr) };
      case 'sup':
        return { ...e, a: e.a.map(this.expr) };
      case 'x':
        return e.e ? { ...e, e: e.e.map(this.expr) } : e;
    }
  };

  target = (t: Target): Target => {
    if (this.da === 0) return t;
    switch (t.k) {
      case 'a':
      case 's':
        return { ...t, o: this.expr(t.o) };
      case 't':
        return { ...t, e: t.e.map(this.target) };
      default:
        return t;
    }
  };

  stmt = (s: Stmt): Stmt => {
    switch (s.k) {
      case 'as':
        return { ...s, t: this.target(s.t), v: this.expr(s.v), line: s.line + this.dl };
      case 'imp':
      case 'from':
        return this.dl === 0 ? s : { ...s, line: s.line + this.dl };
      case 'def':
      case 'star':
        return s;
      case 'for':
        return this.da === 0 ? s : { ...s, t: this.target(s.t), v: this.expr(s.v) };
      case 'with':
        return this.da === 0 ? s : { ...s, t: s.t ? this.target(s.t) : null, v: this.expr(s.v) };
      default:
        return this.da === 0 ? s : { ...s, v: this.expr(s.v) };
    }
  };

  scope = (s: ScopeIR): ScopeIR => {
    if (this.dl === 0 && this.da === 0) return s;
    return {
      ...s,
      line: s.line + this.dl,
      endLine: s.endLine + this.dl,
      bases: s.bases.map(this.expr),
      decorators: s.decorators.map(this.expr),
      stmts: s.stmts.map(this.stmt),
      vars: this.dl === 0 ? s.vars : s.vars.map(([n, l]) => [n, l + this.dl] as const),
    };
  };
}

/** Structural equality of JSON-like values; a key holding undefined counts as absent. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const k in ra) if (ra[k] !== undefined && !sameJson(ra[k], rb[k])) return false;
  for (const k in rb) if (rb[k] !== undefined && ra[k] === undefined) return false;
  return true;
}

// Module-scope fields a definition statement can touch; `stmts` is spliced separately and the
// module's own lines and docstring do not depend on the statement (checked by the callers below).
function sameModuleMarks(a: ScopeIR, b: ScopeIR): boolean {
  return (
    sameJson(a.locals, b.locals) &&
    sameJson(a.globals, b.globals) &&
    sameJson(a.nonlocals, b.nonlocals) &&
    sameJson(a.vars, b.vars) &&
    a.generator === b.generator &&
    a.params.length === 0 &&
    b.params.length === 0 &&
    a.bases.length === 0 &&
    b.bases.length === 0 &&
    a.decorators.length === 0 &&
    b.decorators.length === 0
  );
}

function hasModuleLambda(ir: FileIR): boolean {
  for (const s of ir.scopes) if (s.kind === 'lambda' && s.parent === ir.module) return true;
  return false;
}

/** The previous state of a file an update starts from. */
export interface PreviousExtraction {
  readonly ir: FileIR;
  readonly chunks: ChunkTable;
}

/**
 * The extraction of `text`, computed from the previous extraction when the edit lies inside one
 * module-level definition; null when that cannot be shown to equal a full extraction.
 */
export function respliceFile(pp: PythonParser, prev: PreviousExtraction, text: string): ExtractResult | null {
  const { ir, chunks } = prev;
  const old = chunks.text;
  const n = chunks.starts.length;
  if (n === 0 || ir.scopes.length === 0) return null;
  const max = Math.min(old.length, text.length);
  let p = 0;
  while (p < max && old.charCodeAt(p) === text.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && old.charCodeAt(old.length - 1 - s) === text.charCodeAt(text.length - 1 - s)) s++;
  // The last statement starting at or before the first changed character.
  let lo = 0;
  let hi = n - 1;
  if ((chunks.starts[0] as number) > p) return null;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((chunks.starts[mid] as number) <= p) lo = mid;
    else hi = mid - 1;
  }
  const i = lo;
  const start = chunks.starts[i] as number;
  const end = i + 1 < n ? (chunks.starts[i + 1] as number) : old.length;
  if (old.length - s > end) return null;
  if (start > 0 && old.charCodeAt(start - 1) !== 10) return null;
  if (end < old.length && old.charCodeAt(end - 1) !== 10) return null;
  const d = text.length - old.length;
  const oldChunk = old.slice(start, end);
  const newChunk = text.slice(start, end + d);

  const oldTree = parseDefinition(pp, oldChunk);
  if (!oldTree) return null;
  let newTree: Tree | null = null;
  try {
    newTree = parseDefinition(pp, newChunk);
    if (!newTree) return null;
    const allocBase = chunks.allocAt[i] as number;
    const allocNext = i + 1 < n ? (chunks.allocAt[i + 1] as number) : chunks.allocEnd;
    const isoOld = extractTree(oldTree, ir.file, oldChunk, allocBase);
    if (isoOld.allocEnd !== allocNext) return null;
    const isoNew = extractTree(newTree, ir.file, newChunk, allocBase);
    if (hasModuleLambda(isoOld.ir) || hasModuleLambda(isoNew.ir)) return null;
    const [oldMod, ...oldScopes] = isoOld.ir.scopes;
    const [newMod, ...newScopes] = isoNew.ir.scopes;
    if (!oldMod || !newMod || !sameModuleMarks(oldMod, newMod) || !sameJson(isoOld.ir.all, isoNew.ir.all)) return null;

    const mod = ir.scopes[0] as ScopeIR;
    const stmtFrom = chunks.stmtAt[i] as number;
    const stmtTo = i + 1 < n ? (chunks.stmtAt[i + 1] as number) : mod.stmts.length;
    const scopeFrom = chunks.scopeAt[i] as number;
    const scopeTo = i + 1 < n ? (chunks.scopeAt[i + 1] as number) : ir.scopes.length;
    const lineOff = newlinesIn(old, 0, start);
    const place = new Mover(ir.module, lineOff, 0, 0);
    // The old statement alone must give exactly its part of the previous form.
    const oldStmts = oldMod.stmts.map(place.stmt);
    if (oldStmts.length !== stmtTo - stmtFrom || !sameJson(oldStmts, mod.stmts.slice(stmtFrom, stmtTo))) return null;
    const oldPlaced = oldScopes.map(place.scope);
    if (oldPlaced.length !== scopeTo - scopeFrom || !sameJson(oldPlaced, ir.scopes.slice(scopeFrom, scopeTo))) return null;
    // A full extraction would merge a new scope into another statement's scope of the same id.
    const newIds = new Set(newScopes.map((x) => x.id));
    for (let k = 1; k < ir.scopes.length; k++) {
      if ((k < scopeFrom || k >= scopeTo) && newIds.has((ir.scopes[k] as ScopeIR).id)) return null;
    }

    const dl = newlinesIn(newChunk, 0, newChunk.length) - newlinesIn(oldChunk, 0, oldChunk.length);
    const da = isoNew.allocEnd - allocNext;
    const later = new Mover(ir.module, dl, da, allocNext);
    const newStmts = newMod.stmts.map(place.stmt);
    const endLine = countLines(text) - (text.endsWith('\n') ? 1 : 0);
    const lastOldLine = lineOff + newlinesIn(oldChunk, 0, oldChunk.length) + (oldChunk.endsWith('\n') ? 0 : 1);
    const { docstring: oldDoc, ...modRest } = mod;
    // A definition at offset 0 shares its start with the module, whose docstring lookup then finds
    // the definition's docstring; the alone-extraction reproduces that.
    const docstring = start === 0 ? newMod.docstring : oldDoc;
    const module: ScopeIR = {
      ...modRest,
      ...(docstring === undefined ? {} : { docstring }),
      endLine,
      stmts: [...mod.stmts.slice(0, stmtFrom), ...newStmts, ...mod.stmts.slice(stmtTo).map(later.stmt)],
      vars: dl === 0 ? mod.vars : mod.vars.map(([name, l]) => [name, l > lastOldLine ? l + dl : l] as const),
    };
    const scopes: ScopeIR[] = [module, ...ir.scopes.slice(1, scopeFrom), ...newScopes.map(place.scope), ...ir.scopes.slice(scopeTo).map(later.scope)];
    const next: FileIR = { ...ir, scopes };

    const shiftFrom = (arr: Int32Array, delta: number) => {
      const out = Int32Array.from(arr);
      if (delta !== 0) for (let k = i + 1; k < n; k++) out[k] = (out[k] as number) + delta;
      return out;
    };
    const table: ChunkTable = {
      text,
      starts: shiftFrom(chunks.starts, d),
      allocAt: shiftFrom(chunks.allocAt, da),
      stmtAt: shiftFrom(chunks.stmtAt, newStmts.length - (stmtTo - stmtFrom)),
      scopeAt: shiftFrom(chunks.scopeAt, newScopes.length - (scopeTo - scopeFrom)),
      allocEnd: chunks.allocEnd + da,
    };
    return { ir: next, diagnostics: [], loc: countLines(text), chunks: table };
  } finally {
    oldTree.delete();
    newTree?.delete();
  }
}
