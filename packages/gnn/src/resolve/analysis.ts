import type { Confidence } from '../types.js';
import type { Expr, FileIR, ParamIR, ScopeIR, Stmt, Target } from '../parse/ir.js';
import { PYTHON_BUILTINS } from './builtins.js';
import { c3, dfsOrder } from './mro.js';

/*
 * A flow-insensitive points-to analysis over all files, solved with a worklist: every statement is
 * a constraint; when a variable's value set grows, the statements that read it run again.
 *
 * Abstract values are strings with a one-letter tag:
 *   d:<id>       a function, lambda or class defined in the project
 *   m:<module>   a project module (or namespace package)
 *   i:<class>    an instance of a project class
 *   k:<cls>|<fn> a method bound to an instance of <cls>;  K:<cls>|<fn> a classmethod bound to <cls>
 *   s:<class>    the object super() returns inside <class>
 *   e:<dotted>   something outside the project (os.path.join)
 *   b:<name>     a builtin
 *   c:<alloc>    a list/tuple/set/dict/comprehension allocated at a site; slots hold its elements
 *   cm:<alloc>|<method>   a method of such a container;  g:<fn> a generator object
 */

const ALL = '<all>';
const MAX_EXTERNAL_DEPTH = 6;
/**
 * Largest value set kept per variable. Real code has a few huge "anything" variables; capping
 * them bounds time and memory. The solver is deterministic, so the cut is the same on every run.
 */
const MAX_SET = 32;

interface ScopeInfo {
  readonly ir: ScopeIR;
  readonly module: string;
  readonly locals: Set<string>;
  readonly globals: ReadonlySet<string>;
  readonly nonlocals: ReadonlySet<string>;
  readonly parent: ScopeInfo | null;
  readonly isMethod: boolean;
  readonly isStatic: boolean;
  readonly isClassMethod: boolean;
  readonly isProperty: boolean;
  /** The class this function is a method of (for super() and self). */
  readonly ownerClass: string | null;
  /** LEGB results per name read here: the cell, a builtin (`b:name`), or null. */
  readonly names: Map<string, Cell | string | null>;
  /** The cell an assignment to a name writes, per name. */
  readonly writes: Map<string, Cell>;
}

/**
 * One variable of the store: `owner` is a scope, class, module or allocation id and `name` the
 * slot. Cells are found once per (owner, name) and then held directly, so hot paths never build
 * or hash key strings.
 */
interface Cell {
  readonly owner: string;
  readonly name: string;
  vals: Set<string> | null;
  /** Constraints that read this cell, re-run when it grows. */
  readers: Set<number> | null;
  /** A class base slot: growing it invalidates cached MROs. */
  readonly base: boolean;
}

interface Constraint {
  readonly scope: ScopeInfo;
  readonly st: Stmt;
}

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

class Solver {
  private readonly scopes = new Map<string, ScopeInfo>();
  private readonly modules = new Map<string, FileIR>();
  /** Modules plus every dotted prefix of one (namespace packages). */
  private readonly knownModules = new Set<string>();
  private readonly cells = new Map<string, Map<string, Cell>>();
  private readonly constraints: Constraint[] = [];
  private readonly queued: Uint8Array;
  private readonly queue: number[] = [];
  private head = 0;
  private fallbackPhase = false;
  private readonly pendingDecorated = new Set<number>();
  private cur = -1;
  private recording = false;
  private readonly mroCache = new Map<string, { mro: string[]; keys: Cell[] }>();
  private baseEpoch = 0;
  private mroEpoch = 0;
  private readonly empty: ReadonlySet<string> = new Set();
  private confidence: Confidence = 'certain';

  readonly out: Analysis;

  constructor(files: readonly FileIR[]) {
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
          globals: new Set(s.globals),
          nonlocals: new Set(s.nonlocals),
          parent,
          isMethod,
          isStatic: deco.includes('staticmethod'),
          isClassMethod: deco.includes('classmethod'),
          isProperty: deco.some((d) => d === 'property' || d.endsWith('cached_property')),
          ownerClass: isMethod && parent ? parent.ir.id : (parent?.ownerClass ?? null),
          names: new Map(),
          writes: new Map(),
        };
        this.scopes.set(s.id, info);
        allScopes.push(s);
        scopeModule.set(s.id, f.module);
      }
    }
    this.expandStarImports();
    for (const info of this.scopes.values()) {
      for (const st of info.ir.stmts) this.constraints.push({ scope: info, st });
      this.seedParams(info);
    }
    this.queued = new Uint8Array(this.constraints.length);
    this.out = emptyAnalysis(allScopes, scopeModule);
  }

  solve(): Analysis {
    for (let i = 0; i < this.constraints.length; i++) this.enqueue(i);
    this.drain();
    // Decorators still unknown after the fixpoint are assumed to keep the function callable.
    this.fallbackPhase = true;
    for (const i of this.pendingDecorated) this.enqueue(i);
    this.drain();
    this.recording = true;
    for (let i = 0; i < this.constraints.length; i++) {
      this.cur = i;
      this.run(i);
    }
    this.recordClasses();
    return this.out;
  }

  private drain(): void {
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
    this.queue.length = 0;
    this.head = 0;
  }

  private run(i: number): void {
    const c = this.constraints[i];
    if (c) this.stmt(c.st, c.scope);
  }

  private enqueue(i: number): void {
    if (this.queued[i]) return;
    this.queued[i] = 1;
    this.queue.push(i);
  }

  // ---- the value store -------------------------------------------------------------------

  private cell(owner: string, name: string): Cell {
    let byName = this.cells.get(owner);
    if (!byName) this.cells.set(owner, (byName = new Map()));
    let c = byName.get(name);
    if (!c) byName.set(name, (c = { owner, name, vals: null, readers: null, base: name.endsWith('<base>') }));
    return c;
  }

  private read(c: Cell): ReadonlySet<string> {
    if (!this.recording && this.cur >= 0) (c.readers ??= new Set()).add(this.cur);
    return c.vals ?? this.empty;
  }

  private read2(owner: string, name: string | number): ReadonlySet<string> {
    return this.read(this.cell(owner, typeof name === 'number' ? String(name) : name));
  }

  private add(c: Cell, values: Iterable<string>): void {
    if (this.recording) return;
    let set = c.vals;
    let changed = false;
    for (const v of values) {
      if (!set) c.vals = set = new Set();
      if (set.size >= MAX_SET) break;
      if (!set.has(v)) {
        set.add(v);
        changed = true;
      }
    }
    if (!changed) return;
    if (c.base) this.baseEpoch++;
    if (c.readers) for (const i of c.readers) this.enqueue(i);
  }

  private add2(owner: string, name: string | number, values: Iterable<string>): void {
    if (this.recording) return;
    this.add(this.cell(owner, typeof name === 'number' ? String(name) : name), values);
  }

  /** The values of a cell without registering a reader (for the recording of results). */
  private peek(owner: string, name: string): ReadonlySet<string> {
    return this.cells.get(owner)?.get(name)?.vals ?? this.empty;
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
      if (p.kind === 'var_positional') this.add2(s.id, p.n, [`c:${s.id}#va`]);
      if (p.kind === 'var_keyword') this.add2(s.id, p.n, [`c:${s.id}#kw`]);
    }
    const first = s.params[0];
    if (info.isMethod && !info.isStatic && first && info.parent) {
      this.add2(s.id, first.n, [info.isClassMethod ? `d:${info.parent.ir.id}` : `i:${info.parent.ir.id}`]);
    }
  }

  // ---- names ---------------------------------------------------------------------------------

  private moduleScope(info: ScopeInfo): ScopeInfo {
    let m = info;
    while (m.parent) m = m.parent;
    return m;
  }

  /** LEGB lookup: the cell a name reads, `b:<name>` for a builtin, or null. */
  private resolveName(scope: ScopeInfo, n: string): Cell | string | null {
    const cached = scope.names.get(n);
    if (cached !== undefined) return cached;
    let out: Cell | string | null = null;
    if (scope.globals.has(n)) {
      const m = this.moduleScope(scope);
      out = m.locals.has(n) ? this.cell(m.ir.id, n) : PYTHON_BUILTINS.has(n) ? `b:${n}` : null;
    } else {
      let s: ScopeInfo | null = scope;
      let first = true;
      while (s) {
        const skip = !first && s.ir.kind === 'class';
        if (!skip && (s.locals.has(n) || (first && s.nonlocals.has(n) && false))) {
          out = this.cell(s.ir.id, n);
          break;
        }
        first = false;
        s = s.parent;
      }
      if (out === null && PYTHON_BUILTINS.has(n)) out = `b:${n}`;
    }
    scope.names.set(n, out);
    return out;
  }

  private writeKey(scope: ScopeInfo, n: string): Cell {
    let c = scope.writes.get(n);
    if (!c) scope.writes.set(n, (c = this.cell(this.writeOwner(scope, n), n)));
    return c;
  }

  private writeOwner(scope: ScopeInfo, n: string): string {
    if (scope.globals.has(n)) return this.moduleScope(scope).ir.id;
    if (scope.nonlocals.has(n)) {
      for (let s = scope.parent; s; s = s.parent) if (s.ir.kind !== 'class' && s.locals.has(n)) return s.ir.id;
    }
    return scope.ir.id;
  }

  // ---- classes -------------------------------------------------------------------------------

  private basesOf(c: string, keys: Cell[]): string[] {
    const info = this.scopes.get(c);
    if (!info) return [];
    const out: string[] = [];
    for (let i = 0; i < info.ir.bases.length; i++) {
      const key = this.cell(c, `${i}<base>`);
      keys.push(key);
      for (const v of this.read(key)) if (v.startsWith('d:') && this.scopes.get(v.slice(2))?.ir.kind === 'class') out.push(v.slice(2));
    }
    return out;
  }

  private mro(c: string): string[] {
    if (this.mroEpoch !== this.baseEpoch) {
      this.mroCache.clear();
      this.mroEpoch = this.baseEpoch;
    }
    const hit = this.mroCache.get(c);
    if (hit) {
      for (const k of hit.keys) this.read(k);
      return hit.mro;
    }
    const keys: Cell[] = [];
    const memo = new Map<string, string[]>();
    const bases = (x: string) => {
      let b = memo.get(x);
      if (!b) memo.set(x, (b = this.basesOf(x, keys)));
      return b;
    };
    const mro = c3(c, bases) ?? dfsOrder(c, bases);
    this.mroCache.set(c, { mro, keys });
    return mro;
  }

  /** Values of attribute `n` found along the MRO of class `c` (skipping `c` itself for super()). */
  private lookupClass(c: string, n: string, after?: string): { owner: string; values: ReadonlySet<string> } | null {
    let mro = this.mro(c);
    if (after !== undefined) {
      const at = mro.indexOf(after);
      mro = at >= 0 ? mro.slice(at + 1) : this.mro(after).slice(1);
    }
    for (let i = 0; i < mro.length; i++) {
      const cls = mro[i] as string;
      const info = this.scopes.get(cls);
      const values = this.read2(cls, n);
      if (values.size > 0 || info?.locals.has(n)) return { owner: cls, values };
    }
    return null;
  }

  private bindMethodValues(cls: string, values: ReadonlySet<string>, viaInstance: boolean, scope: ScopeInfo, out: string[]): void {
    for (const u of values) {
      if (u.startsWith('d:')) {
        const f = this.scopes.get(u.slice(2));
        if (f?.isMethod) {
          if (f.isStatic) out.push(u);
          else if (f.isClassMethod) out.push(`K:${cls}|${f.ir.id}`);
          else if (f.isProperty && viaInstance) {
            this.recordCall(scope, f.ir.id);
            this.bindSelf(f, `i:${cls}`);
            for (const r of this.returnsOf(f)) out.push(r);
          } else if (viaInstance) out.push(`k:${cls}|${f.ir.id}`);
          else out.push(u);
          continue;
        }
      }
      out.push(u);
    }
  }

  // ---- expressions ---------------------------------------------------------------------------

  private eval(e: Expr, scope: ScopeInfo): string[] {
    const out = this.eval1(e, scope);
    return out.length > 1 ? [...new Set(out)] : out;
  }

  private eval1(e: Expr, scope: ScopeInfo): string[] {
    switch (e.k) {
      case 'n': {
        const key = this.resolveName(scope, e.n);
        if (key === null) return [];
        if (typeof key === 'string') return [key];
        const vals = this.read(key);
        if (this.recording) this.recordUse(scope, key.owner, key.name, vals);
        return [...vals];
      }
      case 'a': {
        const out: string[] = [];
        for (const v of this.eval(e.o, scope)) this.attr(v, e.n, scope, out);
        return out;
      }
      case 'c':
        return this.call(e, scope);
      case 's': {
        const out: string[] = [];
        for (const v of this.eval(e.o, scope)) this.subscript(v, e.key, out);
        return out;
      }
      case 'l': {
        for (let i = 0; i < e.e.length; i++) {
          const el = e.e[i] as Expr;
          const vals = this.eval(el, scope);
          this.add2(e.id, i, vals);
          this.add2(e.id, ALL, vals);
        }
        return [`c:${e.id}`];
      }
      case 'd': {
        for (const [k, el] of e.e) {
          const vals = this.eval(el, scope);
          this.add2(e.id, k ?? '*', vals);
          this.add2(e.id, ALL, vals);
        }
        return [`c:${e.id}`];
      }
      case 'cp': {
        const vals = this.eval(e.e, scope);
        this.add2(e.id, `*`, vals);
        this.add2(e.id, ALL, vals);
        return [`c:${e.id}`];
      }
      case 'f':
        return [`d:${e.id}`];
      case 'm':
        return [`m:${e.id}`];
      case 'u': {
        const out: string[] = [];
        for (const x of e.e) for (const v of this.eval(x, scope)) out.push(v);
        return out;
      }
      case 'sup': {
        const explicit = e.a[0] ? this.eval(e.a[0], scope).filter((v) => v.startsWith('d:')) : [];
        if (e.a[1]) this.eval(e.a[1], scope);
        if (explicit.length > 0) return explicit.map((v) => `s:${v.slice(2)}|${v.slice(2)}`);
        if (!scope.ownerClass) return [];
        // Zero-argument super() continues the MRO of self's dynamic class after the owner.
        let method: ScopeInfo | null = scope;
        while (method && !method.isMethod) method = method.parent;
        const first = method?.ir.params[0];
        const out: string[] = [];
        if (method && first) for (const v of this.read2(method.ir.id, first.n)) if (v.startsWith('i:') || v.startsWith('d:')) out.push(`s:${v.slice(2)}|${scope.ownerClass}`);
        return out.length > 0 ? out : [`s:${scope.ownerClass}|${scope.ownerClass}`];
      }
      case 'str':
        return [];
      case 'x':
        if (e.e) for (const x of e.e) this.eval(x, scope);
        return [];
    }
  }

  private attr(v: string, n: string, scope: ScopeInfo, out: string[]): void {
    const tag = v.slice(0, v.indexOf(':'));
    const id = v.slice(tag.length + 1);
    switch (tag) {
      case 'm': {
        const info = this.scopes.get(id);
        if (info?.ir.kind === 'module' && info.locals.has(n)) {
          const vals = this.read2(id, n);
          if (this.recording) this.recordUse(scope, id, n, vals);
          for (const x of vals) out.push(x);
        }
        const sub = `${id}.${n}`;
        if (this.knownModules.has(sub)) out.push(`m:${sub}`);
        return;
      }
      case 'e':
        if (id.split('.').length < MAX_EXTERNAL_DEPTH) out.push(`e:${id}.${n}`);
        return;
      case 'd': {
        const info = this.scopes.get(id);
        if (info?.ir.kind !== 'class') return;
        const found = this.lookupClass(id, n);
        if (found) {
          if (this.recording) this.recordUse(scope, found.owner, n, found.values);
          this.bindMethodValues(id, found.values, false, scope, out);
        }
        return;
      }
      case 's': {
        const bar = id.indexOf('|');
        const dyn = id.slice(0, bar);
        const owner = id.slice(bar + 1);
        const found = this.lookupClass(dyn, n, owner);
        if (found) {
          if (this.recording) this.recordUse(scope, found.owner, n, found.values);
          this.bindMethodValues(dyn, found.values, true, scope, out);
        }
        return;
      }
      case 'i': {
        const found = this.lookupClass(id, n);
        if (found) {
          if (this.recording) this.recordUse(scope, found.owner, n, found.values);
          this.bindMethodValues(id, found.values, true, scope, out);
        }
        return;
      }
      case 'c':
        out.push(`cm:${id}|${n}`);
        return;
      case 'g':
        out.push(`gm:${id}|${n}`);
        return;
      default:
        return;
    }
  }

  private subscript(v: string, key: string | number | undefined, out: string[]): void {
    if (v.startsWith('c:')) {
      const id = v.slice(2);
      if (key === undefined) for (const x of this.read2(id, ALL)) out.push(x);
      else {
        for (const x of this.read2(id, key)) out.push(x);
        for (const x of this.read2(id, `*`)) out.push(x);
      }
    } else if (v.startsWith('g:')) {
      for (const x of this.read2(v.slice(2), `<yield>`)) out.push(x);
    }
  }

  /** The values iterating over `v` produces; records __iter__/__next__ calls on project classes. */
  private iterate(v: string, scope: ScopeInfo, out: string[]): void {
    if (v.startsWith('c:')) {
      for (const x of this.read2(v.slice(2), ALL)) out.push(x);
    } else if (v.startsWith('g:')) {
      for (const x of this.read2(v.slice(2), `<yield>`)) out.push(x);
    } else if (v.startsWith('i:')) {
      const it: string[] = [];
      this.attr(v, '__iter__', scope, it);
      const iters = this.callValues(it, [], [], scope, null);
      for (const r of iters) {
        if (r.startsWith('g:')) this.iterate(r, scope, out);
        else if (r.startsWith('i:')) {
          const nx: string[] = [];
          this.attr(r, '__next__', scope, nx);
          for (const x of this.callValues(nx, [], [], scope, null)) out.push(x);
        }
      }
    }
  }

  private returnsOf(f: ScopeInfo): string[] {
    if (f.ir.generator) return [`g:${f.ir.id}`];
    return [...this.read2(f.ir.id, `<ret>`)];
  }

  private bindSelf(f: ScopeInfo, value: string): void {
    const first = f.ir.params[0];
    if (first) this.add2(f.ir.id, first.n, [value]);
  }

  private bindArgs(f: ScopeInfo, offset: number, args: readonly string[][], kw: readonly (readonly [string, string[]])[]): void {
    const params: readonly ParamIR[] = f.ir.params;
    const varPos = params.find((p) => p.kind === 'var_positional');
    const varKw = params.find((p) => p.kind === 'var_keyword');
    for (let i = 0; i < args.length; i++) {
      const vals = args[i] as string[];
      const p = params[offset + i];
      if (p && (p.kind === 'positional' || p.kind === 'positional_only')) {
        this.add2(f.ir.id, p.n, vals);
        if (this.recording) this.recordFlow(vals, `${f.ir.id}.${p.n}`);
      } else if (varPos) {
        this.add2(`${f.ir.id}#va`, `*`, vals);
        this.add2(`${f.ir.id}#va`, ALL, vals);
      }
    }
    for (const [name, vals] of kw) {
      const p = params.find((x) => x.n === name && x.kind !== 'positional_only' && x.kind !== 'var_positional' && x.kind !== 'var_keyword');
      if (p) {
        this.add2(f.ir.id, p.n, vals);
        if (this.recording) this.recordFlow(vals, `${f.ir.id}.${p.n}`);
      } else if (varKw) {
        this.add2(`${f.ir.id}#kw`, name, vals);
        this.add2(`${f.ir.id}#kw`, ALL, vals);
      }
    }
  }

  private call(e: Extract<Expr, { k: 'c' }>, scope: ScopeInfo): string[] {
    const fvals = this.eval(e.f, scope);
    const args = e.a.map((a) => this.eval(a, scope));
    const kw = e.kw.map(([n, x]) => [n, this.eval(x, scope)] as const);
    if (e.sa) {
      // f(*xs): every element may land in any remaining positional slot.
      const spread: string[] = [];
      for (const x of e.sa) for (const v of this.eval(x, scope)) this.iterate(v, scope, spread);
      for (let i = 0; i < 4; i++) args.push(spread);
    }
    if (e.ka) {
      const spread: string[] = [];
      for (const x of e.ka) for (const v of this.eval(x, scope)) this.subscript(v, undefined, spread);
      const names = new Set<string>();
      for (const v of fvals) {
        const f = v.startsWith('d:') ? this.scopes.get(v.slice(2)) : undefined;
        for (const p of f?.ir.params ?? []) names.add(p.n);
      }
      for (const n of names) kw.push([n, spread]);
    }
    if (fvals.length === 0) return [];
    // getattr(obj, "name") with a constant name: resolvable, but only "possibly" what runs.
    return this.callValues(fvals, args, kw, scope, e);
  }

  private callValues(fvals: readonly string[], args: string[][], kw: (readonly [string, string[]])[], scope: ScopeInfo, e: Extract<Expr, { k: 'c' }> | null): string[] {
    const out: string[] = [];
    for (const raw of new Set(fvals)) {
      // '?' marks values reached through getattr(): calls to them are only "possible".
      const possible = raw.startsWith('?');
      const v = possible ? raw.slice(1) : raw;
      const prev = this.confidence;
      if (possible) this.confidence = 'possible';
      this.callOne(v, args, kw, scope, e, out);
      this.confidence = prev;
    }
    return out;
  }

  private callOne(v: string, args: string[][], kw: (readonly [string, string[]])[], scope: ScopeInfo, e: Extract<Expr, { k: 'c' }> | null, out: string[]): void {
    {
      const tag = v.slice(0, v.indexOf(':'));
      const id = v.slice(tag.length + 1);
      switch (tag) {
        case 'd': {
          const f = this.scopes.get(id);
          if (!f) break;
          if (f.ir.kind === 'class') {
            this.construct(id, args, kw, scope, out);
          } else if (f.ir.kind === 'function' || f.ir.kind === 'lambda') {
            this.recordCall(scope, id);
            this.bindArgs(f, 0, args, kw);
            for (const r of this.returnsOf(f)) out.push(r);
          }
          break;
        }
        case 'k':
        case 'K': {
          const bar = id.indexOf('|');
          const cls = id.slice(0, bar);
          const f = this.scopes.get(id.slice(bar + 1));
          if (!f) break;
          this.recordCall(scope, f.ir.id);
          this.bindSelf(f, tag === 'k' ? `i:${cls}` : `d:${cls}`);
          this.bindArgs(f, 1, args, kw);
          for (const r of this.returnsOf(f)) out.push(r);
          break;
        }
        case 'i': {
          const m: string[] = [];
          this.attr(v, '__call__', scope, m);
          for (const r of this.callValues(m, args, kw, scope, null)) out.push(r);
          break;
        }
        case 'b':
          this.recordCall(scope, `<builtin>.${id}`);
          this.builtinCall(id, args, scope, e, out);
          break;
        case 'e':
          this.recordCall(scope, id);
          break;
        case 'cm':
          this.containerMethod(id, args, e, out);
          break;
        case 'gm': {
          const bar = id.indexOf('|');
          const name = id.slice(bar + 1);
          if (name === '__next__' || name === 'send') for (const x of this.read2(id.slice(0, bar), `<yield>`)) out.push(x);
          break;
        }
        default:
          break;
      }
    }
  }

  private construct(cls: string, args: string[][], kw: (readonly [string, string[]])[], scope: ScopeInfo, out: string[]): void {
    const init = this.lookupClass(cls, '__init__');
    if (init) {
      for (const u of init.values) {
        const f = u.startsWith('d:') ? this.scopes.get(u.slice(2)) : undefined;
        if (!f || f.ir.kind !== 'function') continue;
        this.recordCall(scope, f.ir.id);
        this.bindSelf(f, `i:${cls}`);
        this.bindArgs(f, 1, args, kw);
      }
    }
    out.push(`i:${cls}`);
  }

  private builtinCall(name: string, args: string[][], scope: ScopeInfo, e: Extract<Expr, { k: 'c' }> | null, out: string[]): void {
    const first = args[0] ?? [];
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
        if (args.length === 1) for (const v of first) if (v.startsWith('i:')) out.push(`d:${v.slice(2)}`);
        return;
      case 'getattr': {
        const nameArg = e?.a[1];
        if (nameArg?.k !== 'str') return;
        for (const v of first) this.attr(v, nameArg.v, scope, out);
        // Mark what getattr yields so calls through it are "possible", not certain.
        for (let i = 0; i < out.length; i++) if (out[i]?.startsWith('d:') || out[i]?.startsWith('k:')) out[i] = `?${out[i] as string}`;
        return;
      }
      default:
        return;
    }
  }

  private containerMethod(id: string, args: string[][], e: Extract<Expr, { k: 'c' }> | null, out: string[]): void {
    const bar = id.indexOf('|');
    const c = id.slice(0, bar);
    const name = id.slice(bar + 1);
    const first = args[0] ?? [];
    const keyArg = e?.a[0];
    const key = keyArg?.k === 'str' ? keyArg.v : undefined;
    switch (name) {
      case 'append':
      case 'add':
      case 'appendleft':
        this.add2(c, `*`, first);
        this.add2(c, ALL, first);
        return;
      case 'insert': {
        const v = args[1] ?? [];
        this.add2(c, `*`, v);
        this.add2(c, ALL, v);
        return;
      }
      case 'extend':
      case 'update': {
        const vals: string[] = [];
        for (const v of first) if (v.startsWith('c:')) for (const x of this.read2(v.slice(2), ALL)) vals.push(x);
        this.add2(c, `*`, vals);
        this.add2(c, ALL, vals);
        return;
      }
      case 'setdefault': {
        const v = args[1] ?? [];
        this.add2(c, key ?? '*', v);
        this.add2(c, ALL, v);
        this.subscript(`c:${c}`, key, out);
        return;
      }
      case 'get':
      case 'pop':
        this.subscript(`c:${c}`, key, out);
        return;
      case 'values':
      case 'items':
      case 'copy':
        out.push(`c:${c}`);
        return;
      default:
        return;
    }
  }

  // ---- statements ----------------------------------------------------------------------------

  private assign(t: Target, vals: readonly string[], scope: ScopeInfo): void {
    switch (t.k) {
      case 'n':
        this.add(this.writeKey(scope, t.n), vals);
        return;
      case 'a':
        for (const o of this.eval(t.o, scope)) {
          if (o.startsWith('i:') || o.startsWith('m:')) this.add2(o.slice(2), t.n, vals);
          else if (o.startsWith('d:') && this.scopes.get(o.slice(2))?.ir.kind === 'class') this.add2(o.slice(2), t.n, vals);
        }
        return;
      case 's':
        for (const o of this.eval(t.o, scope)) {
          if (!o.startsWith('c:')) continue;
          this.add2(o.slice(2), t.key ?? '*', vals);
          this.add2(o.slice(2), ALL, vals);
        }
        return;
      case 't':
        for (let i = 0; i < t.e.length; i++) {
          const sub: string[] = [];
          for (const v of vals) {
            if (v.startsWith('c:')) {
              const id = v.slice(2);
              const at = this.read2(id, i);
              const star = this.read2(id, `*`);
              const kw = this.read2(id, `<all>`);
              if (at.size + star.size > 0) {
                for (const x of at) sub.push(x);
                for (const x of star) sub.push(x);
              } else for (const x of kw) sub.push(x);
            } else this.iterate(v, scope, sub);
          }
          this.assign(t.e[i] as Target, sub, scope);
        }
        return;
      case 'x':
        return;
    }
  }

  private stmt(st: Stmt, scope: ScopeInfo): void {
    switch (st.k) {
      case 'as': {
        if (st.t.k === 't' && st.v.k === 'l' && st.v.e.length === st.t.e.length) {
          for (let i = 0; i < st.t.e.length; i++) this.assign(st.t.e[i] as Target, this.eval(st.v.e[i] as Expr, scope), scope);
          return;
        }
        const vals = this.eval(st.v, scope);
        this.assign(st.t, vals, scope);
        if (this.recording && st.t.k === 'n' && (scope.ir.kind === 'module' || scope.ir.kind === 'class') && st.v.k === 'c') {
          const target = `${scope.ir.id}.${st.t.n}`;
          for (const f of this.eval(st.v.f, scope)) if (f.startsWith('d:')) addTo(this.out.dataFlow, f.slice(2), target);
        }
        return;
      }
      case 'e':
        this.eval(st.v, scope);
        return;
      case 'r': {
        const vals = this.eval(st.v, scope);
        if (scope.ir.kind === 'function' || scope.ir.kind === 'lambda') this.add2(scope.ir.id, `<ret>`, vals);
        if (this.recording && st.v.k === 'c') for (const f of this.eval(st.v.f, scope)) if (f.startsWith('d:')) addTo(this.out.dataFlow, f.slice(2), scope.ir.id);
        return;
      }
      case 'y': {
        const raw = this.eval(st.v, scope);
        let vals = raw;
        if (st.from) {
          vals = [];
          for (const v of raw) this.iterate(v, scope, vals);
        }
        this.add2(scope.ir.id, `<yield>`, vals);
        return;
      }
      case 'for': {
        const vals: string[] = [];
        for (const v of this.eval(st.v, scope)) this.iterate(v, scope, vals);
        this.assign(st.t, vals, scope);
        return;
      }
      case 'with': {
        const entered: string[] = [];
        for (const v of this.eval(st.v, scope)) {
          if (v.startsWith('i:')) {
            const en: string[] = [];
            this.attr(v, '__enter__', scope, en);
            for (const x of this.callValues(en, [], [], scope, null)) entered.push(x);
            const ex: string[] = [];
            this.attr(v, '__exit__', scope, ex);
            this.callValues(ex, [], [], scope, null);
          } else if (v.startsWith('g:')) {
            // A @contextmanager generator: the `as` target is what it yields.
            for (const x of this.read2(v.slice(2), `<yield>`)) entered.push(x);
          }
        }
        if (st.t) this.assign(st.t, entered, scope);
        return;
      }
      case 'exc': {
        const classes: string[] = [];
        for (const v of this.eval(st.v, scope)) {
          if (v.startsWith('c:')) {
            for (const x of this.read2(v.slice(2), ALL)) if (x.startsWith('d:')) classes.push(x);
          } else if (v.startsWith('d:')) classes.push(v);
        }
        if (st.t) this.add(this.writeKey(scope, st.t), classes.filter((c) => this.scopes.get(c.slice(2))?.ir.kind === 'class').map((c) => `i:${c.slice(2)}`));
        return;
      }
      case 'raise':
        // `raise C` instantiates the class.
        for (const v of this.eval(st.v, scope)) {
          if (v.startsWith('d:') && this.scopes.get(v.slice(2))?.ir.kind === 'class') this.construct(v.slice(2), [], [], scope, []);
          else if (v.startsWith('b:') && st.v.k !== 'c') this.recordCall(scope, `<builtin>.${v.slice(2)}`);
        }
        return;
      case 'def':
        this.def(st, scope);
        return;
      case 'pdef':
        this.add2(st.fn, st.p, this.eval(st.v, scope));
        return;
      case 'imp': {
        const first = st.n;
        const value = this.knownModules.has(first) ? `m:${first}` : `e:${first}`;
        this.add(this.writeKey(scope, st.n), [value]);
        if (this.recording) addTo(this.out.imports, scope.ir.id, st.mod);
        return;
      }
      case 'from': {
        let vals: string[];
        if (st.name === '') vals = [this.knownModules.has(st.mod) ? `m:${st.mod}` : `e:${st.mod}`];
        else if (this.knownModules.has(st.mod)) {
          vals = [];
          this.attr(`m:${st.mod}`, st.name, scope, vals);
        } else vals = [`e:${st.mod}.${st.name}`];
        this.add(this.writeKey(scope, st.n), vals);
        if (this.recording) {
          let target = st.name === '' ? st.mod : `${st.mod}.${st.name}`;
          const def = vals.find((v) => v.startsWith('d:') || v.startsWith('m:'));
          if (def) target = def.slice(2);
          addTo(this.out.imports, scope.ir.id, target);
        }
        return;
      }
      case 'star': {
        if (!this.knownModules.has(st.mod)) {
          if (this.recording) addTo(this.out.imports, scope.ir.id, st.mod);
          return;
        }
        for (const n of this.exportedNames(st.mod, new Set())) {
          const vals: string[] = [];
          this.attr(`m:${st.mod}`, n, scope, vals);
          this.add(this.writeKey(scope, n), vals);
        }
        if (this.recording) addTo(this.out.imports, scope.ir.id, st.mod);
        return;
      }
    }
  }

  private def(st: Extract<Stmt, { k: 'def' }>, scope: ScopeInfo): void {
    const info = this.scopes.get(st.id);
    if (!info) return;
    if (info.ir.kind === 'class') {
      for (let i = 0; i < info.ir.bases.length; i++) this.add2(st.id, `${i}<base>`, this.eval(info.ir.bases[i] as Expr, scope));
    }
    let cur: string[] = [`d:${st.id}`];
    const decos = info.ir.decorators;
    for (let i = decos.length - 1; i >= 0; i--) {
      const text = info.ir.decoratorText[i] ?? '';
      const dv = this.eval(decos[i] as Expr, scope);
      if (dv.length === 0 && !this.fallbackPhase && !this.recording) {
        this.pendingDecorated.add(this.cur);
        return;
      }
      if (text === 'staticmethod' || text === 'classmethod' || text === 'property' || /\.(setter|getter|deleter)$/.test(text)) continue;
      if (this.recording) for (const d of dv) if (d.startsWith('d:')) addTo(this.out.decorates, d.slice(2), st.id);
      const res = this.callValues(dv, [cur], [], scope, null);
      // A project decorator replaces the function with what it returns (possibly not known yet:
      // the worklist revisits). An external or unknown one is assumed to keep it callable.
      const projectDecorator = dv.some((d) => d.startsWith('d:') || d.startsWith('k:') || d.startsWith('K:') || d.startsWith('i:'));
      if (projectDecorator || res.length > 0) cur = res;
    }
    this.add(this.writeKey(scope, st.n), cur);
  }

  // ---- recording -----------------------------------------------------------------------------

  private recordCall(scope: ScopeInfo, callee: string): void {
    if (!this.recording) return;
    let m = this.out.calls.get(scope.ir.id);
    if (!m) this.out.calls.set(scope.ir.id, (m = new Map()));
    if (m.get(callee) !== 'certain') m.set(callee, this.confidence);
  }

  private recordUse(scope: ScopeInfo, owner: string, name: string, vals: ReadonlySet<string>): void {
    const kind = this.scopes.get(owner)?.ir.kind;
    if (kind === 'module' || kind === 'class') addTo(this.out.uses, scope.ir.id, `${owner}.${name}`);
    // Through an import binding, the use reaches the definition itself.
    for (const v of vals) if (v.startsWith('e:') || v.startsWith('d:') || v.startsWith('m:')) addTo(this.out.uses, scope.ir.id, v.slice(2));
  }

  private recordFlow(vals: readonly string[], target: string): void {
    for (const v of vals) if (v.startsWith('d:')) addTo(this.out.dataFlow, v.slice(2), target);
  }

  private recordClasses(): void {
    for (const info of this.scopes.values()) {
      if (info.ir.kind !== 'class') continue;
      const bases: string[] = [];
      for (let i = 0; i < info.ir.bases.length; i++) {
        for (const v of this.peek(info.ir.id, `${i}<base>`)) if (v.startsWith('d:') || v.startsWith('e:')) bases.push(v.slice(2));
      }
      if (bases.length > 0) this.out.inherits.set(info.ir.id, bases);
    }
  }
}

/** Resolves names, calls and flows across all files. Pure: the same inputs give the same output. */
/** An analysis with no relations yet: the solver's starting point, and the input for node-only graph builds. */
export function emptyAnalysis(scopes: Analysis['scopes'] = [], scopeModule: Analysis['scopeModule'] = new Map()): Analysis {
  return { calls: new Map(), uses: new Map(), imports: new Map(), inherits: new Map(), decorates: new Map(), dataFlow: new Map(), scopes, scopeModule };
}

export function analyze(files: readonly FileIR[]): Analysis {
  return new Solver(files).solve();
}
