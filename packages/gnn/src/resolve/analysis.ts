import type { Confidence } from '../types.js';
import type { Expr, FileIR, ParamIR, ScopeIR, Stmt, Target } from '../parse/ir.js';
import { PYTHON_BUILTINS } from './builtins.js';
import { c3, dfsOrder } from './mro.js';
import { Cell, EMPTY, NO_OWNER, Owner, Val } from './values.js';
import type { ScopeInfo } from './values.js';

/*
 * A flow-insensitive points-to analysis over all files, solved with a worklist: every statement is
 * a constraint; when a variable's value set grows, the statements that read it run again.
 *
 * Abstract values are interned `Val` objects (values.ts), named by a string with a one-letter tag:
 *   d:<id>       a function, lambda or class defined in the project
 *   m:<module>   a project module (or namespace package)
 *   i:<class>    an instance of a project class
 *   k:<cls>|<fn> a method bound to an instance of <cls>;  K:<cls>|<fn> a classmethod bound to <cls>
 *   s:<class>    the object super() returns inside <class>
 *   e:<dotted>   something outside the project (os.path.join)
 *   b:<name>     a builtin
 *   c:<alloc>    a list/tuple/set/dict/comprehension allocated at a site; slots hold its elements
 *   cm:<alloc>|<method>   a method of such a container;  g:<fn> a generator object
 *
 * Because each variable keeps at most MAX_SET values in arrival order, the result depends on the
 * order of every read, write and re-run. The data structures below are chosen for speed, but each
 * performs exactly the operations of the plain string-keyed solver, in the same order.
 */

const ALL = '<all>';
const MAX_EXTERNAL_DEPTH = 6;
/**
 * Largest value set kept per variable. Real code has a few huge "anything" variables; capping
 * them bounds time and memory. The solver is deterministic, so the cut is the same on every run.
 */
const MAX_SET = 32;

/** The resolved relations, keyed by project ids and external names. */
export interface Analysis {
  /** caller scope id → callee id (`<builtin>.x`, `os.path.join`, project ids) → confidence. */
  readonly calls: Map<string, Map<string, Confidence>>;
  readonly uses: Map<string, Set<string>>;
  readonly imports: Map<string, Set<string>>;
  readonly inherits: Map<string, string[]>;
  readonly decorates: Map<string, Set<string>>;
  readonly dataFlow: Map<string, Set<string>>;
  /** Ids of all project scopes (modules, classes, functions, lambdas), in file order. */
  readonly scopes: readonly ScopeIR[];
  readonly scopeModule: ReadonlyMap<string, string>;
}

function addTo<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}

interface Constraint {
  readonly scope: ScopeInfo;
  readonly st: Stmt;
}

type CallExpr = Extract<Expr, { k: 'c' }>;
type Vals = readonly Val[];
type Kw = readonly (readonly [string, Vals])[];
const NO_KW: Kw = [];

const NO_NAMES: ReadonlySet<string> = new Set();

// Record log operations (see "recording" below).
const OP_USE = 0;
const OP_CALL = 1;
const OP_FLOW = 2;
const OP_RESULT = 3;
const OP_IMPORT = 4;
const OP_DECORATES = 5;
type LogEntry = number | string | Cell | Val;
const ACCESSOR_DECORATOR = /\.(setter|getter|deleter)$/;

/**
 * Appends the values of `xs` not marked with `stamp` (-1: all of them) and marks them. A nested
 * dedupe may re-mark a value with a newer stamp; it is then appended again, which is harmless.
 */
function pushNew(out: Val[], xs: Vals, stamp: number): void {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as Val;
    if (stamp < 0) out.push(x);
    else if (x.mark !== stamp) {
      x.mark = stamp;
      out.push(x);
    }
  }
}

class Solver {
  private readonly scopes = new Map<string, ScopeInfo>();
  private readonly modules = new Map<string, FileIR>();
  /** Modules plus every dotted prefix of one (namespace packages). */
  private readonly knownModules = new Set<string>();
  /** Store owners by id, and the interned values that name no owner. */
  private readonly owners = new Map<string, Owner>();
  private readonly externals = new Map<string, Val>();
  private readonly builtins = new Map<string, Val>();
  private readonly exported = new Map<string, string[]>();
  private readonly constraints: Constraint[] = [];
  private readonly queued: Uint8Array;
  private readonly queue: number[] = [];
  private head = 0;
  private fallbackPhase = false;
  private readonly pendingDecorated = new Set<number>();
  private cur = -1;
  private recording = false;
  private stamp = 0;
  /**
   * The record logs of all runs, appended one after the other (one buffer allocates far less
   * than an array per run), and where the latest run of each constraint logged: [start, end).
   */
  private readonly log: LogEntry[] = [];
  private readonly logStart: Int32Array;
  private readonly logEnd: Int32Array;
  /** Counts the growths of all cells. */
  private growths = 0;
  /** Counts statement runs: arrays lent by reads during the current run are not mutated. */
  private runId = 0;
  private confidence: Confidence = 'certain';

  readonly out: Analysis;

  constructor(
    files: readonly FileIR[],
    private readonly options: AnalyzeOptions,
  ) {
    const allScopes: ScopeIR[] = [];
    const scopeModule = new Map<string, string>();
    for (const f of files) {
      this.modules.set(f.module, f);
      const parts = f.module.split('.');
      for (let i = 1; i <= parts.length; i++) this.knownModules.add(parts.slice(0, i).join('.'));
    }
    for (const f of files) {
      for (const s of f.scopes) {
        if (this.scopes.has(s.id)) continue; // a module id shadowed by a same-named def elsewhere
        const parent = s.parent === null ? null : (this.scopes.get(s.parent) ?? null);
        const deco = s.decoratorText;
        const isMethod = parent?.ir.kind === 'class' && s.kind === 'function';
        const info: ScopeInfo = {
          ir: s,
          module: f.module,
          locals: new Set(s.locals),
          globals: s.globals.length > 0 ? new Set(s.globals) : NO_NAMES,
          nonlocals: s.nonlocals.length > 0 ? new Set(s.nonlocals) : NO_NAMES,
          parent,
          isMethod,
          isStatic: deco.includes('staticmethod'),
          isClassMethod: deco.includes('classmethod'),
          isProperty: deco.some((d) => d === 'property' || d.endsWith('cached_property')),
          ownerClass: isMethod && parent ? parent.ir.id : (parent?.ownerClass ?? null),
          names: new Map(),
          writes: new Map(),
          owner: NO_OWNER,
          paramCells: [],
          baseCells: [],
          varArgs: null,
          kwArgs: null,
          varPos: s.params.find((p) => p.kind === 'var_positional'),
          varKw: s.params.find((p) => p.kind === 'var_keyword'),
          transparentDecorator: deco.map((t) => t === 'staticmethod' || t === 'classmethod' || t === 'property' || ACCESSOR_DECORATOR.test(t)),
        };
        this.scopes.set(s.id, info);
        allScopes.push(s);
        scopeModule.set(s.id, f.module);
      }
    }
    for (const info of this.scopes.values()) info.owner = this.owner(info.ir.id);
    this.expandStarImports();
    for (const info of this.scopes.values()) {
      for (const st of info.ir.stmts) this.constraints.push({ scope: info, st });
      this.seedParams(info);
    }
    this.queued = new Uint8Array(this.constraints.length);
    this.logStart = new Int32Array(this.constraints.length);
    this.logEnd = new Int32Array(this.constraints.length);
    this.out = emptyAnalysis(allScopes, scopeModule);
  }

  solve(): Analysis {
    for (let i = 0; i < this.constraints.length; i++) this.enqueue(i);
    const settled = this.drain();
    // Decorators still unknown after the fixpoint are assumed to keep the function callable.
    this.fallbackPhase = true;
    for (const i of this.pendingDecorated) this.enqueue(i);
    if (this.drain() && settled && !this.options.separateRecording) this.replayLogs();
    else {
      // Cut off before the fixpoint, the logs may be stale: record in a pass of its own.
      this.recording = true;
      for (let i = 0; i < this.constraints.length; i++) {
        this.cur = i;
        this.run(i);
      }
    }
    this.recordClasses();
    return this.out;
  }

  /** Runs queued constraints until none is left (true) or the step limit cuts it off (false). */
  private drain(): boolean {
    let steps = 0;
    const limit = this.constraints.length * 200 + 10_000;
    // FIFO in file order converges in fewer rounds than a stack.
    while (this.head < this.queue.length && steps++ < limit) {
      const i = this.queue[this.head++] as number;
      this.queued[i] = 0;
      this.cur = i;
      this.run(i);
      if (this.head > 65536 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
    }
    const settled = this.head >= this.queue.length;
    this.queue.length = 0;
    this.head = 0;
    return settled;
  }

  private run(i: number): void {
    this.runId++;
    const c = this.constraints[i];
    if (!c) return;
    const start = this.log.length;
    this.stmt(c.st, c.scope);
    if (!this.recording) {
      // Only the latest run's log counts.
      this.logStart[i] = start;
      this.logEnd[i] = this.log.length;
    }
  }

  private enqueue(i: number): void {
    if (this.queued[i]) return;
    this.queued[i] = 1;
    this.queue.push(i);
  }

  // ---- the value store -------------------------------------------------------------------

  private owner(id: string): Owner {
    let o = this.owners.get(id);
    if (!o) this.owners.set(id, (o = new Owner(id, this.scopes.get(id))));
    return o;
  }

  private cell(o: Owner, name: string): Cell {
    let c = o.cells.get(name);
    if (!c) o.cells.set(name, (c = new Cell(o, name)));
    return c;
  }

  /** The cell named `String(i)`: tuple slots and `x[0]` share it with a dict key "0". */
  private slot(o: Owner, i: number): Cell {
    return (o.slots[i] ??= this.cell(o, String(i)));
  }

  // The slots every container or function has, held by the owner (they are read very often).
  private allCell(o: Owner): Cell {
    return (o.all ??= this.cell(o, ALL));
  }

  private starCell(o: Owner): Cell {
    return (o.star ??= this.cell(o, '*'));
  }

  private yieldCell(o: Owner): Cell {
    return (o.yields ??= this.cell(o, '<yield>'));
  }

  private retCell(o: Owner): Cell {
    return (o.ret ??= this.cell(o, '<ret>'));
  }

  /** Base slot `i` of a class: the cell `<i><base>` of its owner. */
  private baseCell(info: ScopeInfo, i: number): Cell {
    return (info.baseCells[i] ??= this.cell(info.owner, `${i}<base>`));
  }

  private keyed(o: Owner, key: string | number): Cell {
    return typeof key === 'number' ? this.slot(o, key) : this.cell(o, key);
  }

  private paramCell(f: ScopeInfo, i: number): Cell {
    return (f.paramCells[i] ??= this.cell(f.owner, (f.ir.params[i] as ParamIR).n));
  }

  private read(c: Cell): Vals {
    c.lent = this.runId;
    const cur = this.cur;
    if (cur !== c.lastReader && !this.recording && cur >= 0) {
      c.lastReader = cur;
      const readers = (c.readers ??= []);
      if (readers.length < 16) {
        if (!readers.includes(cur)) readers.push(cur);
      } else {
        const set = (c.readerSet ??= new Set(readers));
        if (!set.has(cur)) {
          set.add(cur);
          readers.push(cur);
        }
      }
    }
    return c.vals;
  }

  /**
   * Adds values in order until the cell holds MAX_SET. The array grows in place unless a read lent
   * it out during this statement's run (then a caller may be iterating it): it is copied then.
   * Arrays lent in earlier runs are no longer referenced: nothing keeps one past its statement.
   */
  private add(c: Cell, values: Vals): void {
    if (this.recording) return;
    const old = c.vals;
    let next: Val[] | null = null;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as Val;
      if (next === null) {
        if (old.length >= MAX_SET) break;
        if (old.includes(v)) continue;
        next = old === EMPTY || c.lent === this.runId ? old.slice() : (old as Val[]);
        next.push(v);
      } else {
        if (next.length >= MAX_SET) break;
        if (!next.includes(v)) next.push(v);
      }
    }
    if (next === null) return;
    c.vals = next;
    this.growths++;
    const readers = c.readers;
    if (readers) for (let i = 0; i < readers.length; i++) this.enqueue(readers[i] as number);
  }

  /** `xs` without repeats, first occurrences in order (what `[...new Set(xs)]` gave). */
  private dedupe(xs: Vals): Vals {
    const stamp = ++this.stamp;
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i] as Val;
      if (v.mark === stamp) {
        const out = xs.slice(0, i);
        for (let j = i + 1; j < xs.length; j++) {
          const w = xs[j] as Val;
          if (w.mark !== stamp) {
            w.mark = stamp;
            out.push(w);
          }
        }
        return out;
      }
      v.mark = stamp;
    }
    return xs;
  }

  private external(id: string): Val {
    let v = this.externals.get(id);
    if (!v) this.externals.set(id, (v = Val.plain('e', id)));
    return v;
  }

  private builtin(name: string): Val {
    let v = this.builtins.get(name);
    if (!v) this.builtins.set(name, (v = Val.plain('b', name)));
    return v;
  }

  /** `m:<mod>` for a project module, else `e:<mod>`. */
  private moduleVal(mod: string): Val {
    return this.knownModules.has(mod) ? this.owner(mod).val('m') : this.external(mod);
  }

  // ---- setup ---------------------------------------------------------------------------------

  private exportedNames(module: string, seen: Set<string>): string[] {
    const f = this.modules.get(module);
    const info = this.scopes.get(module);
    if (!f || !info || seen.has(module)) return [];
    seen.add(module);
    if (f.all) return [...f.all];
    const names = new Set<string>();
    for (const n of info.ir.locals) if (!n.startsWith('_')) names.add(n);
    for (const st of info.ir.stmts) if (st.k === 'star') for (const n of this.exportedNames(st.mod, seen)) if (!n.startsWith('_')) names.add(n);
    return [...names];
  }

  /** exportedNames from a fresh start: a function of the inputs alone, so computed once. */
  private exports(module: string): string[] {
    let names = this.exported.get(module);
    if (!names) this.exported.set(module, (names = this.exportedNames(module, new Set())));
    return names;
  }

  private expandStarImports(): void {
    for (const info of this.scopes.values()) {
      for (const st of info.ir.stmts) {
        if (st.k !== 'star') continue;
        for (const n of this.exportedNames(st.mod, new Set())) info.locals.add(n);
      }
    }
  }

  private seedParams(info: ScopeInfo): void {
    const s = info.ir;
    for (const p of s.params) {
      if (p.kind === 'var_positional') this.add(this.cell(info.owner, p.n), this.owner(`${s.id}#va`).val('c').one());
      if (p.kind === 'var_keyword') this.add(this.cell(info.owner, p.n), this.owner(`${s.id}#kw`).val('c').one());
    }
    const first = s.params[0];
    if (info.isMethod && !info.isStatic && first && info.parent) {
      this.add(this.paramCell(info, 0), info.parent.owner.val(info.isClassMethod ? 'd' : 'i').one());
    }
  }

  // ---- names ---------------------------------------------------------------------------------

  private moduleScope(info: ScopeInfo): ScopeInfo {
    let m = info;
    while (m.parent) m = m.parent;
    return m;
  }

  /** LEGB lookup: the cell a name reads, the builtin value, or null. */
  private resolveName(scope: ScopeInfo, n: string): Cell | Val | null {
    const cached = scope.names.get(n);
    if (cached !== undefined) return cached;
    let out: Cell | Val | null = null;
    if (scope.globals.has(n)) {
      const m = this.moduleScope(scope);
      out = m.locals.has(n) ? this.cell(m.owner, n) : PYTHON_BUILTINS.has(n) ? this.builtin(n) : null;
    } else {
      let s: ScopeInfo | null = scope;
      let first = true;
      while (s) {
        const skip = !first && s.ir.kind === 'class';
        if (!skip && s.locals.has(n)) {
          out = this.cell(s.owner, n);
          break;
        }
        first = false;
        s = s.parent;
      }
      if (out === null && PYTHON_BUILTINS.has(n)) out = this.builtin(n);
    }
    scope.names.set(n, out);
    return out;
  }

  private writeKey(scope: ScopeInfo, n: string): Cell {
    let c = scope.writes.get(n);
    if (!c) scope.writes.set(n, (c = this.cell(this.writeOwner(scope, n), n)));
    return c;
  }

  private writeOwner(scope: ScopeInfo, n: string): Owner {
    if (scope.globals.has(n)) return this.moduleScope(scope).owner;
    if (scope.nonlocals.has(n)) {
      for (let s = scope.parent; s; s = s.parent) if (s.ir.kind !== 'class' && s.locals.has(n)) return s.owner;
    }
    return scope.owner;
  }

  // ---- classes -------------------------------------------------------------------------------

  private basesOf(c: Owner, keys: Cell[]): Owner[] {
    const info = c.scope;
    if (!info) return [];
    const out: Owner[] = [];
    for (let i = 0; i < info.ir.bases.length; i++) {
      const key = this.baseCell(info, i);
      keys.push(key);
      for (const v of this.read(key)) if (v.tag === 'd' && v.owner.scope?.ir.kind === 'class') out.push(v.owner);
    }
    return out;
  }

  /**
   * The MRO of a class. It depends only on the base slots it read, so it is cached until one of
   * them grows; a hit re-reads those slots in the same order a recomputation would.
   */
  private mro(c: Owner): Owner[] {
    if (c.mro && this.sameSizes(c.mroKeys, c.mroSizes)) {
      // The reads only register the running constraint; once it has read them all, it is
      // registered for good (and nobody uses the arrays).
      if (c.mroReadBy !== this.cur || this.cur < 0) {
        for (const k of c.mroKeys) this.read(k);
        c.mroReadBy = this.recording ? -1 : this.cur;
      }
      return c.mro;
    }
    const keys: Cell[] = [];
    const memo = new Map<Owner, Owner[]>();
    const bases = (x: Owner): Owner[] => {
      let b = memo.get(x);
      if (!b) memo.set(x, (b = this.basesOf(x, keys)));
      return b;
    };
    const mro = c3(c, bases) ?? dfsOrder(c, bases);
    c.mro = mro;
    c.mroKeys = keys;
    c.mroSizes = keys.map((k) => k.vals.length);
    c.mroReadBy = this.recording ? -1 : this.cur;
    return mro;
  }

  private sameSizes(keys: readonly Cell[], sizes: readonly number[]): boolean {
    for (let i = 0; i < keys.length; i++) if ((keys[i] as Cell).vals.length !== sizes[i]) return false;
    return true;
  }

  /**
   * The cell of attribute `n` found along the MRO of class `c` (after class `after` for super()).
   * Callers iterate its live `vals`: the old code iterated the live set here, and a property's
   * binding could in principle grow it meanwhile.
   */
  private lookupClass(c: Owner, n: string, after?: string): Cell | null {
    let mro = this.mro(c);
    let start = 0;
    if (after !== undefined) {
      while (start < mro.length && (mro[start] as Owner).id !== after) start++;
      if (start < mro.length) start++;
      else {
        mro = this.mro(this.owner(after));
        start = 1;
      }
    }
    for (let i = start; i < mro.length; i++) {
      const cls = mro[i] as Owner;
      const cell = this.cell(cls, n);
      if (this.read(cell).length > 0 || cls.scope?.locals.has(n)) return cell;
    }
    return null;
  }

  private bindMethodValues(cls: Owner, found: Cell, viaInstance: boolean, scope: ScopeInfo, out: Val[]): void {
    for (let k = 0; k < found.vals.length; k++) {
      const u = found.vals[k] as Val;
      if (u.tag === 'd') {
        const f = u.owner.scope;
        if (f?.isMethod) {
          if (f.isStatic) out.push(u);
          else if (f.isClassMethod) out.push(cls.bound('K', f));
          else if (f.isProperty && viaInstance) {
            this.recordCall(scope, f.ir.id);
            this.bindSelf(f, cls.val('i'));
            for (const r of this.returnsOf(f)) out.push(r);
          } else if (viaInstance) out.push(cls.bound('k', f));
          else out.push(u);
          continue;
        }
      }
      out.push(u);
    }
  }

  // ---- expressions ---------------------------------------------------------------------------

  /** The values of `e`, without repeats. Read-only: it may be a cell's own array. */
  private eval(e: Expr, scope: ScopeInfo): Vals {
    const out = this.eval1(e, scope);
    return out.length > 1 ? this.dedupe(out) : out;
  }

  private eval1(e: Expr, scope: ScopeInfo): Vals {
    switch (e.k) {
      case 'n': {
        const key = this.resolveName(scope, e.n);
        if (key === null) return EMPTY;
        if (key instanceof Val) return key.one();
        const vals = this.read(key);
        this.recordUse(scope, key, vals);
        return vals;
      }
      case 'a': {
        const out: Val[] = [];
        for (const v of this.eval(e.o, scope)) this.attr(v, e.n, scope, out);
        return out;
      }
      case 'c':
        return this.call(e, scope);
      case 's': {
        const objs = this.eval(e.o, scope);
        if (objs.length === 1) {
          // One container or generator: the values of its cell as they are, without a copy.
          const v = objs[0] as Val;
          if (v.tag === 'c' && e.key === undefined) return this.read(this.allCell(v.owner));
          if (v.tag === 'g') return this.read(this.yieldCell(v.owner));
        }
        const out: Val[] = [];
        for (const v of objs) this.subscript(v, e.key, out);
        return out;
      }
      case 'l': {
        const o = this.owner(e.id);
        for (let i = 0; i < e.e.length; i++) {
          const vals = this.eval(e.e[i] as Expr, scope);
          this.add(this.slot(o, i), vals);
          this.add(this.allCell(o), vals);
        }
        return o.val('c').one();
      }
      case 'd': {
        const o = this.owner(e.id);
        for (const [k, el] of e.e) {
          const vals = this.eval(el, scope);
          this.add(this.cell(o, k ?? '*'), vals);
          this.add(this.allCell(o), vals);
        }
        return o.val('c').one();
      }
      case 'cp': {
        const o = this.owner(e.id);
        const vals = this.eval(e.e, scope);
        this.add(this.starCell(o), vals);
        this.add(this.allCell(o), vals);
        return o.val('c').one();
      }
      case 'f':
        return this.owner(e.id).val('d').one();
      case 'm':
        return this.owner(e.id).val('m').one();
      case 'u': {
        const out: Val[] = [];
        for (const x of e.e) for (const v of this.eval(x, scope)) out.push(v);
        return out;
      }
      case 'sup': {
        const explicit = e.a[0] ? this.eval(e.a[0], scope).filter((v) => v.tag === 'd') : EMPTY;
        if (e.a[1]) this.eval(e.a[1], scope);
        if (explicit.length > 0) return explicit.map((v) => v.owner.superVal(v.id));
        if (!scope.ownerClass) return EMPTY;
        // Zero-argument super() continues the MRO of self's dynamic class after the owner.
        let method: ScopeInfo | null = scope;
        while (method && !method.isMethod) method = method.parent;
        const first = method?.ir.params[0];
        const out: Val[] = [];
        if (method && first) for (const v of this.read(this.paramCell(method, 0))) if (v.tag === 'i' || v.tag === 'd') out.push(v.owner.superVal(scope.ownerClass));
        return out.length > 0 ? out : this.owner(scope.ownerClass).superVal(scope.ownerClass).one();
      }
      case 'str':
        return EMPTY;
      case 'x':
        if (e.e) for (const x of e.e) this.eval(x, scope);
        return EMPTY;
    }
  }

  private attr(v: Val, n: string, scope: ScopeInfo, out: Val[]): void {
    switch (v.tag) {
      case 'm': {
        const info = v.owner.scope;
        if (info?.ir.kind === 'module' && info.locals.has(n)) {
          const cell = this.cell(v.owner, n);
          const vals = this.read(cell);
          this.recordUse(scope, cell, vals);
          for (const x of vals) out.push(x);
        }
        let sub = v.attrMemo(n);
        if (sub === undefined) {
          const id = `${v.id}.${n}`;
          sub = v.setAttrMemo(n, this.knownModules.has(id) ? this.owner(id).val('m') : null);
        }
        if (sub) out.push(sub);
        return;
      }
      case 'e':
        if (v.depth < MAX_EXTERNAL_DEPTH) out.push(v.attrMemo(n) ?? (v.setAttrMemo(n, this.external(`${v.id}.${n}`)) as Val));
        return;
      case 'd': {
        if (v.owner.scope?.ir.kind !== 'class') return;
        const found = this.lookupClass(v.owner, n);
        if (found) {
          this.recordUse(scope, found, found.vals);
          this.bindMethodValues(v.owner, found, false, scope, out);
        }
        return;
      }
      case 's': {
        const found = this.lookupClass(v.owner, n, v.name);
        if (found) {
          this.recordUse(scope, found, found.vals);
          this.bindMethodValues(v.owner, found, true, scope, out);
        }
        return;
      }
      case 'i': {
        const found = this.lookupClass(v.owner, n);
        if (found) {
          this.recordUse(scope, found, found.vals);
          this.bindMethodValues(v.owner, found, true, scope, out);
        }
        return;
      }
      case 'c':
        out.push(v.method('cm', n));
        return;
      case 'g':
        out.push(v.method('gm', n));
        return;
      default:
        return;
    }
  }

  private subscript(v: Val, key: string | number | undefined, out: Val[]): void {
    if (v.tag === 'c') {
      if (key === undefined) for (const x of this.read(this.allCell(v.owner))) out.push(x);
      else {
        for (const x of this.read(this.keyed(v.owner, key))) out.push(x);
        for (const x of this.read(this.starCell(v.owner))) out.push(x);
      }
    } else if (v.tag === 'g') {
      for (const x of this.read(this.yieldCell(v.owner))) out.push(x);
    }
  }

  /** The values iterating over `v` produces; records __iter__/__next__ calls on project classes. */
  private iterate(v: Val, scope: ScopeInfo, out: Val[]): void {
    if (v.tag === 'c') {
      for (const x of this.read(this.allCell(v.owner))) out.push(x);
    } else if (v.tag === 'g') {
      for (const x of this.read(this.yieldCell(v.owner))) out.push(x);
    } else if (v.tag === 'i') {
      const it: Val[] = [];
      this.attr(v, '__iter__', scope, it);
      const iters = this.callValues(it, [], [], scope, null);
      for (const r of iters) {
        if (r.tag === 'g') this.iterate(r, scope, out);
        else if (r.tag === 'i') {
          const nx: Val[] = [];
          this.attr(r, '__next__', scope, nx);
          for (const x of this.callValues(nx, [], [], scope, null)) out.push(x);
        }
      }
    }
  }

  private returnsOf(f: ScopeInfo): Vals {
    if (f.ir.generator) return f.owner.val('g').one();
    return this.read(this.retCell(f.owner));
  }

  private bindSelf(f: ScopeInfo, value: Val): void {
    if (f.ir.params.length > 0) this.add(this.paramCell(f, 0), value.one());
  }

  private bindArgs(f: ScopeInfo, offset: number, args: readonly Vals[], kw: Kw): void {
    const params: readonly ParamIR[] = f.ir.params;
    for (let i = 0; i < args.length; i++) {
      const vals = args[i] as Vals;
      const p = params[offset + i];
      if (p && (p.kind === 'positional' || p.kind === 'positional_only')) {
        const cell = this.paramCell(f, offset + i);
        this.add(cell, vals);
        this.recordFlow(vals, cell);
      } else if (f.varPos) {
        const va = (f.varArgs ??= this.owner(`${f.ir.id}#va`));
        this.add(this.starCell(va), vals);
        this.add(this.allCell(va), vals);
      }
    }
    for (const [name, vals] of kw) {
      const p = params.find((x) => x.n === name && x.kind !== 'positional_only' && x.kind !== 'var_positional' && x.kind !== 'var_keyword');
      if (p) {
        const cell = this.cell(f.owner, p.n);
        this.add(cell, vals);
        this.recordFlow(vals, cell);
      } else if (f.varKw) {
        const kwo = (f.kwArgs ??= this.owner(`${f.ir.id}#kw`));
        this.add(this.cell(kwo, name), vals);
        this.add(this.allCell(kwo), vals);
      }
    }
  }

  private call(e: CallExpr, scope: ScopeInfo): Vals {
    return this.callWith(e, this.eval(e.f, scope), scope);
  }

  /** `eval(e)` for a call whose callee values are already known. */
  private evalCall(e: CallExpr, fvals: Vals, scope: ScopeInfo): Vals {
    const out = this.callWith(e, fvals, scope);
    return out.length > 1 ? this.dedupe(out) : out;
  }

  private callWith(e: CallExpr, fvals: Vals, scope: ScopeInfo): Vals {
    const args: Vals[] = [];
    for (const a of e.a) args.push(this.eval(a, scope));
    // Most calls pass no keywords: they share one empty list.
    const kw: (readonly [string, Vals])[] | null = e.kw.length > 0 || e.ka ? [] : null;
    for (const [n, x] of e.kw) kw?.push([n, this.eval(x, scope)]);
    if (e.sa) {
      // f(*xs): every element may land in any remaining positional slot.
      const spread: Val[] = [];
      for (const x of e.sa) for (const v of this.eval(x, scope)) this.iterate(v, scope, spread);
      for (let i = 0; i < 4; i++) args.push(spread);
    }
    if (e.ka) {
      const spread: Val[] = [];
      for (const x of e.ka) for (const v of this.eval(x, scope)) this.subscript(v, undefined, spread);
      const names = new Set<string>();
      for (const v of fvals) {
        const f = v.tag === 'd' ? v.owner.scope : undefined;
        for (const p of f?.ir.params ?? []) names.add(p.n);
      }
      for (const n of names) kw?.push([n, spread]);
    }
    if (fvals.length === 0) return EMPTY;
    return this.callValues(fvals, args, kw ?? NO_KW, scope, e);
  }

  private callValues(fvals: Vals, args: readonly Vals[], kw: Kw, scope: ScopeInfo, e: CallExpr | null): Val[] {
    const out: Val[] = [];
    const callees = fvals.length > 1 ? this.dedupe(fvals) : fvals;
    for (const raw of callees) {
      // '?' marks values reached through getattr(): calls to them are only "possible".
      const possible = raw.inner !== null;
      const v = raw.inner ?? raw;
      const prev = this.confidence;
      if (possible) this.confidence = 'possible';
      this.callOne(v, args, kw, scope, e, out);
      this.confidence = prev;
    }
    return out;
  }

  private callOne(v: Val, args: readonly Vals[], kw: Kw, scope: ScopeInfo, e: CallExpr | null, out: Val[]): void {
    switch (v.tag) {
      case 'd': {
        const f = v.owner.scope;
        if (!f) break;
        if (f.ir.kind === 'class') {
          this.construct(v.owner, args, kw, scope, out);
        } else if (f.ir.kind === 'function' || f.ir.kind === 'lambda') {
          this.recordCall(scope, v.id);
          this.bindArgs(f, 0, args, kw);
          for (const r of this.returnsOf(f)) out.push(r);
        }
        break;
      }
      case 'k':
      case 'K': {
        const f = v.fn as ScopeInfo;
        this.recordCall(scope, f.ir.id);
        this.bindSelf(f, v.owner.val(v.tag === 'k' ? 'i' : 'd'));
        this.bindArgs(f, 1, args, kw);
        for (const r of this.returnsOf(f)) out.push(r);
        break;
      }
      case 'i': {
        const m: Val[] = [];
        this.attr(v, '__call__', scope, m);
        for (const r of this.callValues(m, args, kw, scope, null)) out.push(r);
        break;
      }
      case 'b':
        this.recordCall(scope, v.builtinCallee());
        this.builtinCall(v.id, args, scope, e, out);
        break;
      case 'e':
        this.recordCall(scope, v.id);
        break;
      case 'cm':
        this.containerMethod(v.owner, v.name, args, e, out);
        break;
      case 'gm':
        if (v.name === '__next__' || v.name === 'send') for (const x of this.read(this.yieldCell(v.owner))) out.push(x);
        break;
      default:
        break;
    }
  }

  private construct(cls: Owner, args: readonly Vals[], kw: Kw, scope: ScopeInfo, out: Val[]): void {
    const init = this.lookupClass(cls, '__init__');
    if (init) {
      // Live iteration, as over the old Set (see lookupClass).
      for (let k = 0; k < init.vals.length; k++) {
        const u = init.vals[k] as Val;
        const f = u.tag === 'd' ? u.owner.scope : undefined;
        if (!f || f.ir.kind !== 'function') continue;
        this.recordCall(scope, f.ir.id);
        this.bindSelf(f, cls.val('i'));
        this.bindArgs(f, 1, args, kw);
      }
    }
    out.push(cls.val('i'));
  }

  private builtinCall(name: string, args: readonly Vals[], scope: ScopeInfo, e: CallExpr | null, out: Val[]): void {
    const first = args[0] ?? EMPTY;
    switch (name) {
      case 'iter':
      case 'list':
      case 'tuple':
      case 'set':
      case 'frozenset':
      case 'reversed':
      case 'sorted':
      case 'enumerate':
      case 'staticmethod':
      case 'classmethod':
        for (const v of first) out.push(v);
        return;
      case 'zip':
        for (const a of args) for (const v of a) out.push(v);
        return;
      case 'next':
        for (const v of first) this.iterate(v, scope, out);
        return;
      case 'type':
        if (args.length === 1) for (const v of first) if (v.tag === 'i') out.push(v.owner.val('d'));
        return;
      case 'getattr': {
        const nameArg = e?.a[1];
        if (nameArg?.k !== 'str') return;
        for (const v of first) this.attr(v, nameArg.v, scope, out);
        // Mark what getattr yields so calls through it are "possible", not certain.
        for (let i = 0; i < out.length; i++) {
          const v = out[i] as Val;
          if (v.tag === 'd' || v.tag === 'k') out[i] = v.possible();
        }
        return;
      }
      default:
        return;
    }
  }

  private containerMethod(c: Owner, name: string, args: readonly Vals[], e: CallExpr | null, out: Val[]): void {
    const first = args[0] ?? EMPTY;
    const keyArg = e?.a[0];
    const key = keyArg?.k === 'str' ? keyArg.v : undefined;
    switch (name) {
      case 'append':
      case 'add':
      case 'appendleft':
        this.add(this.starCell(c), first);
        this.add(this.allCell(c), first);
        return;
      case 'insert': {
        const v = args[1] ?? EMPTY;
        this.add(this.starCell(c), v);
        this.add(this.allCell(c), v);
        return;
      }
      case 'extend':
      case 'update': {
        const vals: Val[] = [];
        for (const v of first) if (v.tag === 'c') for (const x of this.read(this.allCell(v.owner))) vals.push(x);
        this.add(this.starCell(c), vals);
        this.add(this.allCell(c), vals);
        return;
      }
      case 'setdefault': {
        const v = args[1] ?? EMPTY;
        this.add(this.cell(c, key ?? '*'), v);
        this.add(this.allCell(c), v);
        this.subscript(c.val('c'), key, out);
        return;
      }
      case 'get':
      case 'pop':
        this.subscript(c.val('c'), key, out);
        return;
      case 'values':
      case 'items':
      case 'copy':
        out.push(c.val('c'));
        return;
      default:
        return;
    }
  }

  // ---- statements ----------------------------------------------------------------------------

  private assign(t: Target, vals: Vals, scope: ScopeInfo): void {
    switch (t.k) {
      case 'n':
        this.add(this.writeKey(scope, t.n), vals);
        return;
      case 'a':
        for (const o of this.eval(t.o, scope)) {
          if (o.tag === 'i' || o.tag === 'm') this.add(this.cell(o.owner, t.n), vals);
          else if (o.tag === 'd' && o.owner.scope?.ir.kind === 'class') this.add(this.cell(o.owner, t.n), vals);
        }
        return;
      case 's':
        for (const o of this.eval(t.o, scope)) {
          if (o.tag !== 'c') continue;
          this.add(this.keyed(o.owner, t.key ?? '*'), vals);
          this.add(this.allCell(o.owner), vals);
        }
        return;
      case 't':
        this.unpack(t.e, vals, scope);
        return;
      case 'x':
        return;
    }
  }

  /**
   * `a, b = vals`: slot i of each container, else what iterating a value gives. Repeated values
   * are collected once when the target only adds them to cells (a cell ignores repeats); a nested
   * tuple target gets every one, as its unpacking may act on each.
   */
  private unpack(targets: readonly Target[], vals: Vals, scope: ScopeInfo): void {
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i] as Target;
      const stamp = target.k === 't' ? -1 : ++this.stamp;
      const sub: Val[] = [];
      for (const v of vals) {
        if (v.tag === 'c') {
          // A repeat of a container already unpacked for this target, with no cell grown since,
          // would read the same (already registered) cells and collect nothing new.
          if (stamp >= 0 && v.unpacked === stamp && v.unpackedAt === this.growths) continue;
          const at = this.read(this.slot(v.owner, i));
          const star = this.read(this.starCell(v.owner));
          const kw = this.read(this.allCell(v.owner));
          if (at.length + star.length > 0) {
            pushNew(sub, at, stamp);
            pushNew(sub, star, stamp);
          } else pushNew(sub, kw, stamp);
          v.unpacked = stamp;
          v.unpackedAt = this.growths;
        } else this.iterate(v, scope, sub);
      }
      this.assign(target, sub, scope);
    }
  }

  private stmt(st: Stmt, scope: ScopeInfo): void {
    switch (st.k) {
      case 'as': {
        if (st.t.k === 't' && st.v.k === 'l' && st.v.e.length === st.t.e.length) {
          for (let i = 0; i < st.t.e.length; i++) this.assign(st.t.e[i] as Target, this.eval(st.v.e[i] as Expr, scope), scope);
          return;
        }
        if (st.v.k !== 'c') {
          this.assign(st.t, this.eval(st.v, scope), scope);
          return;
        }
        // The callee's values, kept for the data flow (the recording used to evaluate them again,
        // with the same result: the store does not change while recording).
        const fvals = this.eval(st.v.f, scope);
        this.assign(st.t, this.evalCall(st.v, fvals, scope), scope);
        if (st.t.k === 'n' && (scope.ir.kind === 'module' || scope.ir.kind === 'class')) this.recordResult(fvals, scope, st.t.n);
        return;
      }
      case 'e':
        this.eval(st.v, scope);
        return;
      case 'r': {
        const fvals = st.v.k === 'c' ? this.eval(st.v.f, scope) : null;
        const vals = st.v.k === 'c' && fvals ? this.evalCall(st.v, fvals, scope) : this.eval(st.v, scope);
        if (scope.ir.kind === 'function' || scope.ir.kind === 'lambda') this.add(this.retCell(scope.owner), vals);
        if (fvals) this.recordResult(fvals, scope, null);
        return;
      }
      case 'y': {
        const raw = this.eval(st.v, scope);
        let vals = raw;
        if (st.from) {
          const it: Val[] = [];
          for (const v of raw) this.iterate(v, scope, it);
          vals = it;
        }
        this.add(this.yieldCell(scope.owner), vals);
        return;
      }
      case 'for': {
        const vals: Val[] = [];
        for (const v of this.eval(st.v, scope)) this.iterate(v, scope, vals);
        this.assign(st.t, vals, scope);
        return;
      }
      case 'with': {
        const entered: Val[] = [];
        for (const v of this.eval(st.v, scope)) {
          if (v.tag === 'i') {
            const en: Val[] = [];
            this.attr(v, '__enter__', scope, en);
            for (const x of this.callValues(en, [], [], scope, null)) entered.push(x);
            const ex: Val[] = [];
            this.attr(v, '__exit__', scope, ex);
            this.callValues(ex, [], [], scope, null);
          } else if (v.tag === 'g') {
            // A @contextmanager generator: the `as` target is what it yields.
            for (const x of this.read(this.yieldCell(v.owner))) entered.push(x);
          }
        }
        if (st.t) this.assign(st.t, entered, scope);
        return;
      }
      case 'exc': {
        const classes: Val[] = [];
        for (const v of this.eval(st.v, scope)) {
          if (v.tag === 'c') {
            for (const x of this.read(this.allCell(v.owner))) if (x.tag === 'd') classes.push(x);
          } else if (v.tag === 'd') classes.push(v);
        }
        if (st.t) this.add(this.writeKey(scope, st.t), classes.filter((c) => c.owner.scope?.ir.kind === 'class').map((c) => c.owner.val('i')));
        return;
      }
      case 'raise':
        // `raise C` instantiates the class.
        for (const v of this.eval(st.v, scope)) {
          if (v.tag === 'd' && v.owner.scope?.ir.kind === 'class') this.construct(v.owner, [], [], scope, []);
          else if (v.tag === 'b' && st.v.k !== 'c') this.recordCall(scope, v.builtinCallee());
        }
        return;
      case 'def':
        this.def(st, scope);
        return;
      case 'pdef':
        this.add(this.cell(this.owner(st.fn), st.p), this.eval(st.v, scope));
        return;
      case 'imp': {
        this.add(this.writeKey(scope, st.n), this.moduleVal(st.n).one());
        this.recordImport(scope, st.mod);
        return;
      }
      case 'from': {
        let vals: Vals;
        if (st.name === '') vals = this.moduleVal(st.mod).one();
        else if (this.knownModules.has(st.mod)) {
          const got: Val[] = [];
          this.attr(this.owner(st.mod).val('m'), st.name, scope, got);
          vals = got;
        } else vals = this.external(`${st.mod}.${st.name}`).one();
        this.add(this.writeKey(scope, st.n), vals);
        const def = vals.find((v) => v.tag === 'd' || v.tag === 'm');
        this.recordImport(scope, def ? def.id : st.name === '' ? st.mod : `${st.mod}.${st.name}`);
        return;
      }
      case 'star': {
        if (!this.knownModules.has(st.mod)) {
          this.recordImport(scope, st.mod);
          return;
        }
        const m = this.owner(st.mod).val('m');
        for (const n of this.exports(st.mod)) {
          const vals: Val[] = [];
          this.attr(m, n, scope, vals);
          this.add(this.writeKey(scope, n), vals);
        }
        this.recordImport(scope, st.mod);
        return;
      }
    }
  }

  private def(st: Extract<Stmt, { k: 'def' }>, scope: ScopeInfo): void {
    const info = this.scopes.get(st.id);
    if (!info) return;
    if (info.ir.kind === 'class') {
      for (let i = 0; i < info.ir.bases.length; i++) this.add(this.baseCell(info, i), this.eval(info.ir.bases[i] as Expr, scope));
    }
    let cur: Vals = info.owner.val('d').one();
    const decos = info.ir.decorators;
    for (let i = decos.length - 1; i >= 0; i--) {
      const dv = this.eval(decos[i] as Expr, scope);
      if (dv.length === 0 && !this.fallbackPhase && !this.recording) {
        this.pendingDecorated.add(this.cur);
        return;
      }
      if (info.transparentDecorator[i] === true) continue;
      for (const d of dv) if (d.tag === 'd') this.recordDecorates(d, st.id);
      const res = this.callValues(dv, [cur], [], scope, null);
      // A project decorator replaces the function with what it returns (possibly not known yet:
      // the worklist revisits). An external or unknown one is assumed to keep it callable.
      const projectDecorator = dv.some((d) => d.tag === 'd' || d.tag === 'k' || d.tag === 'K' || d.tag === 'i');
      if (projectDecorator || res.length > 0) cur = res;
    }
    this.add(this.writeKey(scope, st.n), cur);
  }

  // ---- recording -----------------------------------------------------------------------------
  //
  // While solving, each run of a constraint logs what it would record (cells and values by
  // reference); a later run of the same constraint replaces the log. At the fixpoint, every cell
  // the last run of a constraint read still holds what that run saw (a growth after the read would
  // have queued the constraint again), so that run took the path a separate recording pass takes:
  // its log, replayed in constraint order against the final cells, records exactly the same.

  private recordCall(scope: ScopeInfo, callee: string): void {
    if (this.recording) this.callNow(scope, callee, this.confidence);
    else this.log.push(OP_CALL, callee, this.confidence);
  }

  private callNow(scope: ScopeInfo, callee: string, confidence: Confidence): void {
    let m = this.out.calls.get(scope.ir.id);
    if (!m) this.out.calls.set(scope.ir.id, (m = new Map()));
    if (m.get(callee) !== 'certain') m.set(callee, confidence);
  }

  /** A read of `cell`, which holds `vals` (when logged: the values it has at the fixpoint). */
  private recordUse(scope: ScopeInfo, cell: Cell, vals: Vals): void {
    if (!this.recording) {
      this.log.push(OP_USE, cell);
      return;
    }
    const kind = cell.owner.scope?.ir.kind;
    if (kind === 'module' || kind === 'class') addTo(this.out.uses, scope.ir.id, this.useId(cell));
    // Through an import binding, the use reaches the definition itself.
    for (const v of vals) if (v.tag === 'e' || v.tag === 'd' || v.tag === 'm') addTo(this.out.uses, scope.ir.id, v.id);
  }

  /** Functions passed as a parameter flow into it (`<fn>.<param>`, the id of a use of its cell). */
  private recordFlow(vals: Vals, param: Cell): void {
    for (const v of vals) {
      if (v.tag !== 'd') continue;
      if (this.recording) addTo(this.out.dataFlow, v.id, this.useId(param));
      else this.log.push(OP_FLOW, v, param);
    }
  }

  /** Functions whose call result a statement stores in `<scope>.<name>` or returns (name null). */
  private recordResult(fvals: Vals, scope: ScopeInfo, name: string | null): void {
    let target: string | null = null;
    for (const f of fvals) {
      if (f.tag !== 'd') continue;
      target ??= name === null ? scope.ir.id : `${scope.ir.id}.${name}`;
      if (this.recording) addTo(this.out.dataFlow, f.id, target);
      else this.log.push(OP_RESULT, f, target);
    }
  }

  private recordImport(scope: ScopeInfo, target: string): void {
    if (this.recording) addTo(this.out.imports, scope.ir.id, target);
    else this.log.push(OP_IMPORT, target);
  }

  private recordDecorates(decorator: Val, fn: string): void {
    if (this.recording) addTo(this.out.decorates, decorator.id, fn);
    else this.log.push(OP_DECORATES, decorator, fn);
  }

  /** Replays the logs of the last runs in constraint order, as a recording pass would record. */
  private replayLogs(): void {
    this.recording = true;
    const log = this.log;
    for (let i = 0; i < this.constraints.length; i++) {
      const scope = (this.constraints[i] as Constraint).scope;
      const end = this.logEnd[i] as number;
      for (let k = this.logStart[i] as number; k < end; ) {
        switch (log[k]) {
          case OP_USE: {
            const cell = log[k + 1] as Cell;
            this.recordUse(scope, cell, cell.vals);
            k += 2;
            break;
          }
          case OP_CALL:
            this.callNow(scope, log[k + 1] as string, log[k + 2] as Confidence);
            k += 3;
            break;
          case OP_FLOW:
            addTo(this.out.dataFlow, (log[k + 1] as Val).id, this.useId(log[k + 2] as Cell));
            k += 3;
            break;
          case OP_RESULT:
            addTo(this.out.dataFlow, (log[k + 1] as Val).id, log[k + 2] as string);
            k += 3;
            break;
          case OP_IMPORT:
            addTo(this.out.imports, scope.ir.id, log[k + 1] as string);
            k += 2;
            break;
          case OP_DECORATES:
            addTo(this.out.decorates, (log[k + 1] as Val).id, log[k + 2] as string);
            k += 3;
            break;
          default:
            throw new Error(`gnn: bad record log entry at ${k}`);
        }
      }
    }
  }

  private useId(cell: Cell): string {
    return (cell.useId ??= `${cell.owner.id}.${cell.name}`);
  }

  private recordClasses(): void {
    for (const info of this.scopes.values()) {
      if (info.ir.kind !== 'class') continue;
      const bases: string[] = [];
      for (let i = 0; i < info.ir.bases.length; i++) {
        for (const v of info.owner.cells.get(`${i}<base>`)?.vals ?? EMPTY) if (v.tag === 'd' || v.tag === 'e') bases.push(v.id);
      }
      if (bases.length > 0) this.out.inherits.set(info.ir.id, bases);
    }
  }
}

/** An analysis with no relations yet: the solver's starting point, and the input for node-only graph builds. */
export function emptyAnalysis(scopes: Analysis['scopes'] = [], scopeModule: Analysis['scopeModule'] = new Map()): Analysis {
  return { calls: new Map(), uses: new Map(), imports: new Map(), inherits: new Map(), decorates: new Map(), dataFlow: new Map(), scopes, scopeModule };
}

/** Internal knobs, for tests. */
export interface AnalyzeOptions {
  /** Record in a second pass over all statements instead of replaying the solver's logs (same result). */
  readonly separateRecording?: boolean;
}

/** Resolves names, calls and flows across all files. Pure: the same inputs give the same output. */
export function analyze(files: readonly FileIR[], options: AnalyzeOptions = {}): Analysis {
  return new Solver(files, options).solve();
}
