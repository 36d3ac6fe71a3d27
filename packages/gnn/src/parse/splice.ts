import { Edit as TreeEdit, type Tree } from 'web-tree-sitter';
import { bodyTableOf, countLines, extractTree, type BodyTable, type ChunkTable, type ExtractResult, type SpliceInfo } from './extract.js';
import type { Expr, FileIR, ScopeIR, Stmt, Target } from './ir.js';
import type { PythonParser } from './parser.js';

/*
 * Re-extraction of one edited module-level definition, or of one definition in the body of a
 * module-level class, instead of the whole file.
 *
 * A file's intermediate form is the concatenation of what each module-level statement
 * contributes: module statements, scopes, value ids from one counter, and lines (and likewise for
 * the statements of a class body). When an edit lies inside one `def`/`class` statement, that
 * statement is parsed and extracted alone (old and new text; a class member inside a
 * `class <Name>:` line), and its contribution is swapped into the previous form; everything after
 * it moves by the line and value-id difference. The result must be exactly what a full extraction gives, so each
 * assumption is checked and any doubt returns null (the caller then extracts the whole file):
 * - the previous file parsed cleanly, and both versions of the statement parse alone, cleanly, as
 *   one definition (so the rest of the file tokenizes and parses as before);
 * - the old statement, extracted alone, reproduces exactly its part of the previous form (no state
 *   shared with other statements: merged redefinitions, module-level lambdas numbered across
 *   statements, and the like);
 * - old and new leave the same marks on the module scope and the class (bound names, `global`
 *   writes, `self.x` variables, …), and neither has a lambda numbered at module or class level;
 * - a class's members are spliced only when the class is the whole module-level statement;
 * - no scope is shared across the replaced statement's bounds: a statement that lies within the
 *   span of a definition merged into an earlier module-level statement's scope of the same id
 *   (first to last statement sharing it) is never replaced, so a merged scope lies wholly before
 *   or wholly after the edit and keeps or moves as one; and no new scope id collides with a
 *   scope outside the replaced part (a full extraction would merge them, mixing statements of
 *   several places in one scope). Merges inside the replaced statement (a property's getter and
 *   setter) are reproduced by extracting it alone, which the checks above compare.
 */

/** What extracting one statement alone gives (parse/extract.ts `extractTree`). */
type Isolated = ReturnType<typeof extractTree>;

const DEFINITIONS = new Set(['function_definition', 'class_definition', 'decorated_definition']);
// Module-level compound statements holding definitions (`if sys.platform == …:` around classes,
// `try:` around imports and fallbacks) are replaced as a whole like a definition.
const COMPOUND = new Set(['if_statement', 'try_statement', 'with_statement', 'for_statement', 'while_statement']);

function pointAt(text: string, index: number): { row: number; column: number } {
  return { row: newlinesIn(text, 0, index), column: index - (text.lastIndexOf('\n', index - 1) + 1) };
}

/**
 * Parses `text`; given the tree of a previous version, incrementally (tree-sitter reuses what the
 * edit did not touch and gives the tree a fresh parse would).
 */
function parseText(pp: PythonParser, text: string, previous?: { tree: Tree; text: string }): Tree | null {
  if (!previous) return pp.parser.parse(text);
  const old = previous.text;
  const max = Math.min(old.length, text.length);
  let p = 0;
  while (p < max && old.charCodeAt(p) === text.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && old.charCodeAt(old.length - 1 - s) === text.charCodeAt(text.length - 1 - s)) s++;
  const edited = previous.tree.copy();
  try {
    edited.edit(
      new TreeEdit({
        startIndex: p,
        oldEndIndex: old.length - s,
        newEndIndex: text.length - s,
        startPosition: pointAt(old, p),
        oldEndPosition: pointAt(old, old.length - s),
        newEndPosition: pointAt(text, text.length - s),
      }),
    );
    return pp.parser.parse(text, edited);
  } finally {
    edited.delete();
  }
}

function parseDefinition(pp: PythonParser, text: string, inClass: string, previous?: { tree: Tree; text: string }): Tree | null {
  const tree = parseText(pp, text, previous);
  if (!tree) return null;
  let node = tree.rootNode;
  let ok = !node.hasError && node.namedChildCount === 1;
  if (ok && inClass) {
    const c = node.namedChild(0);
    const body = c?.type === 'class_definition' ? c.childForFieldName('body') : null;
    ok = body !== null && body !== undefined && body.namedChildCount === 1;
    if (body) node = body;
  }
  const type = node.namedChild(0)?.type ?? '';
  if (!ok || !(DEFINITIONS.has(type) || (!inClass && COMPOUND.has(type)))) {
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

// The marks a statement leaves on its container scope (module or class) besides its statements:
// equal for old and new means the rest of the file sees the same container. Variables compare by
// name only; their first lines are remapped by `remapVars`.
function sameMarks(a: ScopeIR, b: ScopeIR): boolean {
  return (
    sameJson(a.locals, b.locals) &&
    sameJson(a.globals, b.globals) &&
    sameJson(a.nonlocals, b.nonlocals) &&
    sameJson(a.vars.map((v) => v[0]), b.vars.map((v) => v[0])) &&
    a.generator === b.generator &&
    a.params.length === 0 &&
    b.params.length === 0 &&
    a.bases.length === 0 &&
    b.bases.length === 0 &&
    a.decorators.length === 0 &&
    b.decorators.length === 0
  );
}

/**
 * A container's variables (name → first line) after the statement on lines first..lastOld changed:
 * an entry on those lines was set first by that statement and takes its new line (the new
 * statement sets the same names, checked by sameMarks); entries after it move by `dl`.
 */
function remapVars(vars: ScopeIR['vars'], newVars: ScopeIR['vars'], first: number, lastOld: number, dl: number): ScopeIR['vars'] {
  if (dl === 0 && newVars.length === 0) return vars;
  const fresh = new Map(newVars);
  return vars.map(([name, l]) => {
    if (l >= first && l <= lastOld) return [name, fresh.get(name) ?? l] as const;
    return [name, l > lastOld ? l + dl : l] as const;
  });
}

function hasLambdaIn(ir: FileIR, parent: string): boolean {
  for (const s of ir.scopes) if (s.kind === 'lambda' && s.parent === parent) return true;
  return false;
}

function lineStartOf(text: string, index: number): number {
  return text.lastIndexOf('\n', index - 1) + 1;
}

function onlyIndent(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

function lastAtOrBefore(starts: Int32Array, count: number, p: number): number {
  if (count === 0 || (starts[0] as number) > p) return -1;
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= p) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function shifted(arr: Int32Array, from: number, delta: number): Int32Array {
  const out = Int32Array.from(arr);
  if (delta !== 0) for (let k = from; k < out.length; k++) out[k] = (out[k] as number) + delta;
  return out;
}

function shiftBody(b: BodyTable, from: number, d: { chars: number; alloc: number; stmts: number; scopes: number }): BodyTable {
  const starts = Int32Array.from(b.starts);
  // The last entry has no start (-1).
  if (d.chars !== 0) for (let k = from; k < starts.length - 1; k++) starts[k] = (starts[k] as number) + d.chars;
  return {
    owner: from === 0 ? b.owner + d.scopes : b.owner,
    starts,
    allocAt: shifted(b.allocAt, from, d.alloc),
    stmtAt: shifted(b.stmtAt, from, d.stmts),
    scopeAt: shifted(b.scopeAt, from, d.scopes),
  };
}

/** The previous state of a file an update starts from. */
export interface PreviousExtraction {
  readonly ir: FileIR;
  readonly chunks: ChunkTable;
}

interface Edit {
  readonly old: string;
  readonly text: string;
  /** First changed offset (common prefix length). */
  readonly p: number;
  /** End of the changed region in the old text (old length minus the common suffix). */
  readonly oldEnd: number;
  /** Length difference. */
  readonly d: number;
  /** The last splice's new definition, for an edit of the same one. */
  readonly memo: SpliceMemo | undefined;
}

/** What a {@link SpliceMemo} keeps: a definition's text alone, where it was, its tree and extraction. */
interface MemoEntry {
  readonly file: string;
  readonly text: string;
  readonly inClass: string;
  readonly allocBase: number;
  readonly tree: Tree;
  readonly iso: Isolated;
}

/**
 * The new definition's syntax tree and extraction from the last splice, kept for the next edit of
 * the same definition (an editor saving while someone types in one function): that edit's old
 * text is this one's new text, so it needs neither a parse nor an extraction of it. Used only for
 * exactly the same text, file, class header and first value id, from which the extraction is a
 * pure function, so a hit gives what parsing and extracting again would. Holds one tree (wasm
 * memory): `clear()` frees it.
 */
export class SpliceMemo {
  private last: MemoEntry | null = null;
  /** Splices that found their old text here. */
  hits = 0;

  /** Takes the kept tree and extraction out if they are of exactly this text; the caller owns the tree then. */
  take(file: string, text: string, inClass: string, allocBase: number): Pick<MemoEntry, 'tree' | 'iso'> | null {
    const l = this.last;
    if (!l || l.file !== file || l.inClass !== inClass || l.allocBase !== allocBase || l.text !== text) return null;
    this.last = null;
    this.hits++;
    return { tree: l.tree, iso: l.iso };
  }

  keep(entry: MemoEntry): void {
    this.clear();
    this.last = entry;
  }

  clear(): void {
    this.last?.tree.delete();
    this.last = null;
  }
}

/**
 * The extraction of `text`, computed from the previous extraction when the edit lies inside one
 * module-level definition or inside one definition in a module-level class body; null when that
 * cannot be shown to equal a full extraction.
 */
export function respliceFile(pp: PythonParser, prev: PreviousExtraction, text: string, memo?: SpliceMemo): ExtractResult | null {
  const { ir, chunks } = prev;
  const old = chunks.text;
  const n = chunks.starts.length;
  if (n === 0 || ir.scopes.length === 0) return null;
  const max = Math.min(old.length, text.length);
  let p = 0;
  while (p < max && old.charCodeAt(p) === text.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && old.charCodeAt(old.length - 1 - s) === text.charCodeAt(text.length - 1 - s)) s++;
  const d = text.length - old.length;
  let oldEnd = old.length - s;
  // An insertion or deletion can be placed anywhere along a run of repeated text ("x\n    " or
  // "    x\n"); move it back to a line start, so that it falls inside the statement it follows.
  if (oldEnd === p || oldEnd - p === -d) {
    while (p > 0 && old.charCodeAt(p - 1) !== 10) {
      const before = old.charCodeAt(p - 1);
      const last = d > 0 ? text.charCodeAt(p - 1 + d) : old.charCodeAt(oldEnd - 1);
      if (before !== last) break;
      p--;
      oldEnd--;
    }
  }
  const edit: Edit = { old, text, p, oldEnd, d, memo };
  const i = lastAtOrBefore(chunks.starts, n, p);
  if (i < 0) return null;
  // At a statement boundary the edit may belong to the statement before (a line appended to it).
  const candidates = p === chunks.starts[i] && i > 0 ? [i - 1, i] : [i];
  for (const k of candidates) {
    if (chunks.merges.some(([first, last]) => k >= first && k <= last)) continue;
    const end = k + 1 < n ? (chunks.starts[k + 1] as number) : old.length;
    if (edit.oldEnd > end) continue;
    const body = chunks.bodies.get(k);
    if (body) {
      const r = respliceMember(pp, prev, edit, k, end, body);
      if (r) return r;
    }
    const r = respliceStatement(pp, prev, edit, k, end);
    if (r) return r;
  }
  return null;
}

/** Replaces module-level statement `i` (old text start..end). */
function respliceStatement(pp: PythonParser, prev: PreviousExtraction, edit: Edit, i: number, end: number): ExtractResult | null {
  const { ir, chunks } = prev;
  const { old, text, d } = edit;
  const n = chunks.starts.length;
  const start = chunks.starts[i] as number;
  if (start > 0 && old.charCodeAt(start - 1) !== 10) return null;
  if (end < old.length && old.charCodeAt(end - 1) !== 10) return null;
  const oldChunk = old.slice(start, end);
  const newChunk = text.slice(start, end + d);
  const allocBase = chunks.allocAt[i] as number;
  const allocNext = i + 1 < n ? (chunks.allocAt[i + 1] as number) : chunks.allocEnd;
  const both = extractBoth(pp, edit.memo, ir.file, oldChunk, newChunk, '', allocBase, allocNext);
  if (!both) return null;
  let spliced = false;
  try {
    const { isoOld, isoNew } = both;
    if (hasLambdaIn(isoOld.ir, ir.module) || hasLambdaIn(isoNew.ir, ir.module)) return null;
    const [oldMod, ...oldScopes] = isoOld.ir.scopes;
    const [newMod, ...newScopes] = isoNew.ir.scopes;
    if (!oldMod || !newMod || !sameMarks(oldMod, newMod) || !sameJson(isoOld.ir.all, isoNew.ir.all)) return null;

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
    if (collides(ir, newScopes, scopeFrom, scopeTo)) return null;

    const dl = newlinesIn(newChunk, 0, newChunk.length) - newlinesIn(oldChunk, 0, oldChunk.length);
    const da = isoNew.allocEnd - allocNext;
    const later = new Mover(ir.module, dl, da, allocNext);
    const newStmts = newMod.stmts.map(place.stmt);
    const lastOld = lineOff + newlinesIn(oldChunk, 0, oldChunk.length) + (oldChunk.endsWith('\n') ? 0 : 1);
    const { docstring: oldDoc, ...modRest } = mod;
    // A definition at offset 0 shares its start with the module, whose docstring lookup then finds
    // the definition's docstring; the alone-extraction reproduces that.
    const docstring = start === 0 ? newMod.docstring : oldDoc;
    const module: ScopeIR = {
      ...modRest,
      ...(docstring === undefined ? {} : { docstring }),
      endLine: moduleEndLine(text),
      stmts: [...mod.stmts.slice(0, stmtFrom), ...newStmts, ...mod.stmts.slice(stmtTo).map(later.stmt)],
      vars: remapVars(mod.vars, newMod.vars.map(([v, l]) => [v, l + lineOff] as const), lineOff + 1, lastOld, dl),
    };
    const placedNew = newScopes.map(place.scope);
    const scopes: ScopeIR[] = [module, ...ir.scopes.slice(1, scopeFrom), ...placedNew, ...ir.scopes.slice(scopeTo).map(later.scope)];
    const dS = newScopes.length - (scopeTo - scopeFrom);
    const bodies = new Map<number, BodyTable>();
    for (const [k, b] of chunks.bodies) if (k < i) bodies.set(k, b);
    else if (k > i) bodies.set(k, shiftBody(b, 0, { chars: d, alloc: da, stmts: 0, scopes: dS }));
    const own = isoNew.table.bodies.get(0);
    if (own) bodies.set(i, shiftBody(bodyTableOf(own), 0, { chars: start, alloc: 0, stmts: 0, scopes: scopeFrom - 1 }));
    const starts = shifted(chunks.starts, i + 1, d);
    // The edit may have added or removed blank lines before the statement itself.
    starts[i] = start + (isoNew.table.starts[0] ?? 0);
    const table: ChunkTable = {
      text,
      starts,
      allocAt: shifted(chunks.allocAt, i + 1, da),
      stmtAt: shifted(chunks.stmtAt, i + 1, newStmts.length - (stmtTo - stmtFrom)),
      scopeAt: shifted(chunks.scopeAt, i + 1, dS),
      allocEnd: chunks.allocEnd + da,
      bodies,
      merges: chunks.merges,
    };
    const splice: SpliceInfo = {
      container: 0,
      stmtFrom,
      oldStmtTo: stmtTo,
      newStmtTo: stmtFrom + newStmts.length,
      scopeFrom,
      oldScopeTo: scopeTo,
      newScopeTo: scopeFrom + placedNew.length,
      dl,
      da,
    };
    spliced = true;
    return { ir: { ...ir, scopes }, diagnostics: [], loc: countLines(text), chunks: table, splice };
  } finally {
    both.release(spliced);
  }
}

/** Replaces statement `j` of the body of the class defined by module-level statement `i`. */
function respliceMember(pp: PythonParser, prev: PreviousExtraction, edit: Edit, i: number, chunkEnd: number, body: BodyTable): ExtractResult | null {
  const { old, p } = edit;
  const m = body.starts.length - 1;
  const j = lastAtOrBefore(body.starts, m, p);
  if (j < 0) return null;
  const r = respliceMemberAt(pp, prev, edit, i, chunkEnd, body, j);
  // An edit at the start of the next member's line (a decorator added to it, say) belongs to it.
  if (r || j + 1 >= m || p < lineStartOf(old, body.starts[j + 1] as number)) return r;
  return respliceMemberAt(pp, prev, edit, i, chunkEnd, body, j + 1);
}

function respliceMemberAt(pp: PythonParser, prev: PreviousExtraction, edit: Edit, i: number, chunkEnd: number, body: BodyTable, j: number): ExtractResult | null {
  const { ir, chunks } = prev;
  const { old, text, p, d } = edit;
  const m = body.starts.length - 1;
  const cls = ir.scopes[body.owner];
  if (!cls || cls.kind !== 'class' || cls.parent !== ir.module || cls.id !== `${ir.module}.${cls.name}`) return null;
  const stmtStart = body.starts[j] as number;
  const from = lineStartOf(old, stmtStart);
  if (!onlyIndent(old, from, stmtStart)) return null;
  let to = chunkEnd;
  if (j + 1 < m) {
    const next = body.starts[j + 1] as number;
    to = lineStartOf(old, next);
    if (!onlyIndent(old, to, next) || to <= stmtStart) return null;
  }
  if (p < from || edit.oldEnd > to) return null;
  if (to < old.length && old.charCodeAt(to - 1) !== 10) return null;
  const header = `class ${cls.name}:\n`;
  const oldChunk = header + old.slice(from, to);
  const newChunk = header + text.slice(from, to + d);
  const allocBase = body.allocAt[j] as number;
  const allocNext = body.allocAt[j + 1] as number;
  const both = extractBoth(pp, edit.memo, ir.file, oldChunk, newChunk, cls.name, allocBase, allocNext);
  if (!both) return null;
  let spliced = false;
  try {
    const { isoOld, isoNew } = both;
    if (hasLambdaIn(isoOld.ir, cls.id) || hasLambdaIn(isoNew.ir, cls.id) || hasLambdaIn(isoOld.ir, ir.module) || hasLambdaIn(isoNew.ir, ir.module)) return null;
    const [oldMod, oldCls, ...oldScopes] = isoOld.ir.scopes;
    const [newMod, newCls, ...newScopes] = isoNew.ir.scopes;
    if (!oldMod || !newMod || !oldCls || !newCls || oldCls.id !== cls.id || newCls.id !== cls.id) return null;
    if (!sameMarks(oldMod, newMod) || !sameMarks(oldCls, newCls) || !sameJson(isoOld.ir.all, isoNew.ir.all)) return null;

    const stmtFrom = body.stmtAt[j] as number;
    const stmtTo = body.stmtAt[j + 1] as number;
    const scopeFrom = body.scopeAt[j] as number;
    const scopeTo = body.scopeAt[j + 1] as number;
    // The snippet's line 2 is the old text's line of `from`.
    const lineOff = newlinesIn(old, 0, from) - 1;
    const place = new Mover(ir.module, lineOff, 0, 0);
    const oldStmts = oldCls.stmts.map(place.stmt);
    if (oldStmts.length !== stmtTo - stmtFrom || !sameJson(oldStmts, cls.stmts.slice(stmtFrom, stmtTo))) return null;
    const oldPlaced = oldScopes.map(place.scope);
    if (oldPlaced.length !== scopeTo - scopeFrom || !sameJson(oldPlaced, ir.scopes.slice(scopeFrom, scopeTo))) return null;
    if (collides(ir, newScopes, scopeFrom, scopeTo)) return null;

    const dl = newlinesIn(newChunk, 0, newChunk.length) - newlinesIn(oldChunk, 0, oldChunk.length);
    const da = isoNew.allocEnd - allocNext;
    const later = new Mover(ir.module, dl, da, allocNext);
    const first = lineOff + 2;
    const lastOld = lineOff + 1 + newlinesIn(oldChunk, header.length, oldChunk.length) + (oldChunk.endsWith('\n') ? 0 : 1);
    const newStmts = newCls.stmts.map(place.stmt);
    const mod = ir.scopes[0] as ScopeIR;
    const modStmtTo = i + 1 < chunks.starts.length ? (chunks.stmtAt[i + 1] as number) : mod.stmts.length;
    const module: ScopeIR = {
      ...mod,
      endLine: moduleEndLine(text),
      stmts: dl === 0 && da === 0 ? mod.stmts : [...mod.stmts.slice(0, modStmtTo), ...mod.stmts.slice(modStmtTo).map(later.stmt)],
      vars: remapVars(mod.vars, newMod.vars.map(([v, l]) => [v, l + lineOff] as const), first, lastOld, dl),
    };
    const placedCls = place.scope(newCls);
    const klass: ScopeIR = {
      ...cls,
      endLine: j + 1 === m ? placedCls.endLine : cls.endLine + dl,
      stmts: [...cls.stmts.slice(0, stmtFrom), ...newStmts, ...cls.stmts.slice(stmtTo).map(later.stmt)],
      vars: remapVars(cls.vars, placedCls.vars, first, lastOld, dl),
    };
    const scopes: ScopeIR[] = [
      module,
      ...ir.scopes.slice(1, body.owner),
      klass,
      ...ir.scopes.slice(body.owner + 1, scopeFrom),
      ...newScopes.map(place.scope),
      ...ir.scopes.slice(scopeTo).map(later.scope),
    ];
    const dS = newScopes.length - (scopeTo - scopeFrom);
    const bodies = new Map<number, BodyTable>();
    for (const [k, b] of chunks.bodies) if (k < i) bodies.set(k, b);
    else if (k > i) bodies.set(k, shiftBody(b, 0, { chars: d, alloc: da, stmts: 0, scopes: dS }));
    const own = shiftBody(body, j + 1, { chars: d, alloc: da, stmts: newStmts.length - (stmtTo - stmtFrom), scopes: dS });
    const memberStart = isoNew.table.bodies.get(0)?.starts[0];
    if (memberStart === undefined) return null;
    own.starts[j] = from + memberStart - header.length;
    bodies.set(i, own);
    const table: ChunkTable = {
      text,
      starts: shifted(chunks.starts, i + 1, d),
      allocAt: shifted(chunks.allocAt, i + 1, da),
      stmtAt: chunks.stmtAt,
      scopeAt: shifted(chunks.scopeAt, i + 1, dS),
      allocEnd: chunks.allocEnd + da,
      bodies,
      merges: chunks.merges,
    };
    const splice: SpliceInfo = {
      container: body.owner,
      stmtFrom,
      oldStmtTo: stmtTo,
      newStmtTo: stmtFrom + newStmts.length,
      scopeFrom,
      oldScopeTo: scopeTo,
      newScopeTo: scopeFrom + newScopes.length,
      dl,
      da,
    };
    spliced = true;
    return { ir: { ...ir, scopes }, diagnostics: [], loc: countLines(text), chunks: table, splice };
  } finally {
    both.release(spliced);
  }
}

function moduleEndLine(text: string): number {
  return countLines(text) - (text.endsWith('\n') ? 1 : 0);
}

/** Whether a new scope has the id of a scope outside the replaced range (a full extraction would merge them). */
function collides(ir: FileIR, fresh: readonly ScopeIR[], from: number, to: number): boolean {
  if (fresh.length === 0) return false;
  const ids = new Set(fresh.map((x) => x.id));
  for (let k = 1; k < ir.scopes.length; k++) if ((k < from || k >= to) && ids.has((ir.scopes[k] as ScopeIR).id)) return true;
  return false;
}

/**
 * Parses and extracts the old and new statement alone (the old one from the memo when it holds
 * exactly that text). Each must parse cleanly as exactly one definition (in `class <name>:` when
 * `inClass` names the class), so the rest of the file parses as before; null otherwise, or when the
 * old one does not end at `allocNext` value ids. `release(spliced)` frees the new tree, or keeps it
 * in the memo for the next edit when the splice succeeded.
 */
function extractBoth(
  pp: PythonParser,
  memo: SpliceMemo | undefined,
  file: string,
  oldText: string,
  newText: string,
  inClass: string,
  allocBase: number,
  allocNext: number,
): { isoOld: Isolated; isoNew: Isolated; release(spliced: boolean): void } | null {
  let old = memo?.take(file, oldText, inClass, allocBase) ?? null;
  if (!old) {
    const parsed = parseDefinition(pp, oldText, inClass);
    if (!parsed) return null;
    old = { tree: parsed, iso: extractTree(parsed, file, oldText, allocBase) };
  }
  if (old.iso.allocEnd !== allocNext) {
    old.tree.delete();
    return null;
  }
  const tree = parseDefinition(pp, newText, inClass, { tree: old.tree, text: oldText });
  old.tree.delete();
  if (!tree) return null;
  const isoNew = extractTree(tree, file, newText, allocBase);
  return {
    isoOld: old.iso,
    isoNew,
    release(spliced) {
      if (spliced && memo) memo.keep({ file, text: newText, inClass, allocBase, tree, iso: isoNew });
      else tree.delete();
    },
  };
}
