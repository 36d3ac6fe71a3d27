import type { ParamIR, ScopeIR } from '../parse/ir.js';

/*
 * The solver's store, in objects instead of strings. The analysis used to represent abstract values
 * as tagged strings (`i:pkg.mod.Cls`) and find cells by (owner, name) strings; the hot paths then
 * spent most of their time slicing, concatenating and hashing those strings. Here every value is
 * interned once to a `Val` that already holds what the solver needs (its owner, its function), so
 * the same value is always the same object and sets of values compare by identity.
 *
 * The mapping to the string form is one-to-one (`Val.s`), so the solver keeps exactly the old
 * semantics, including the insertion order the per-cell cap depends on.
 */

/** Value kinds, named by the tag of the string form (see analysis.ts). '?' marks a getattr() result. */
export type Tag = 'd' | 'm' | 'i' | 'k' | 'K' | 's' | 'e' | 'b' | 'c' | 'cm' | 'g' | 'gm' | '?';

/** What the solver knows about one project scope. */
export interface ScopeInfo {
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
  /** LEGB results per name read here: the cell, a builtin value, or null. */
  readonly names: Map<string, Cell | Val | null>;
  /** The cell an assignment to a name writes, per name. */
  readonly writes: Map<string, Cell>;
  /** The store owner named by this scope's id (set once all scopes are known). */
  owner: Owner;
  /** Per parameter index: its cell (filled lazily). */
  readonly paramCells: (Cell | undefined)[];
  /** Per base index: its slot cell (filled lazily). */
  readonly baseCells: (Cell | undefined)[];
  /** The owners of the `*args` tuple and `**kwargs` dict (filled lazily). */
  varArgs: Owner | null;
  kwArgs: Owner | null;
  readonly varPos: ParamIR | undefined;
  readonly varKw: ParamIR | undefined;
  /** Per decorator: true when the decorator leaves the function as it is (property setters…). */
  readonly transparentDecorator: readonly boolean[];
}

/** An allocation-free empty result (never mutated: results are read-only arrays; not frozen, as frozen arrays would make every loop over results polymorphic). */
export const EMPTY: readonly Val[] = [];

/**
 * One variable of the store. Values are appended, never removed or reordered. An array handed out
 * by a read during the current statement is never mutated: a growth then replaces it (see
 * Solver.add), so such a caller keeps a snapshot, as the old `[...set]` copies gave it.
 */
export class Cell {
  vals: readonly Val[] = EMPTY;
  /** The statement run (Solver.runId) that last got `vals` from a read. */
  lent = -1;
  /** Constraints that read this cell, re-run when it grows (in registration order, no repeats). */
  readers: number[] | null = null;
  /** An index of `readers` once it is long (a short list is scanned). */
  readerSet: Set<number> | null = null;
  /** `<owner>.<name>`, the id of a use of this cell (recording only). */
  useId: string | null = null;
  /** The constraint registered last: most reads repeat it, and this skips the Set lookup. */
  lastReader = -1;

  constructor(
    readonly owner: Owner,
    readonly name: string,
  ) {}
}

/**
 * Everything named by one id: a scope, class, module or allocation site. Ids can be shared (a
 * module and a same-named def elsewhere), and then so are the cells, as with the string keys.
 */
export class Owner {
  readonly cells = new Map<string, Cell>();
  /** Cells named "0", "1", … (tuple slots), the same objects as in `cells`. */
  readonly slots: (Cell | undefined)[] = [];
  /** The cells `<all>`, `*`, `<yield>` and `<ret>` once used, the same objects as in `cells`. */
  all: Cell | null = null;
  star: Cell | null = null;
  yields: Cell | null = null;
  ret: Cell | null = null;
  /** Cached MRO (when this is a class), the base cells it read and their sizes then. */
  mro: Owner[] | null = null;
  mroKeys: Cell[] = [];
  mroSizes: number[] = [];
  /** The constraint that read all of `mroKeys` (so is registered on them), or -1. */
  mroReadBy = -1;
  // The values naming this owner, created on first use.
  private d: Val | null = null;
  private m: Val | null = null;
  private i: Val | null = null;
  private c: Val | null = null;
  private g: Val | null = null;
  /** Bound methods `k:`/`K:` of this class, per function; `s:<this>|<after>` per `after`. */
  private boundInstance: Map<ScopeInfo, Val> | null = null;
  private boundClass: Map<ScopeInfo, Val> | null = null;
  private supers: Map<string, Val> | null = null;

  constructor(
    readonly id: string,
    readonly scope: ScopeInfo | undefined,
  ) {}

  /** The value `<tag>:<id>` for the tags that name an owner. */
  val(tag: 'd' | 'm' | 'i' | 'c' | 'g'): Val {
    switch (tag) {
      case 'd':
        return (this.d ??= this.make('d'));
      case 'm':
        return (this.m ??= this.make('m'));
      case 'i':
        return (this.i ??= this.make('i'));
      case 'c':
        return (this.c ??= this.make('c'));
      case 'g':
        return (this.g ??= this.make('g'));
    }
  }

  private make(tag: 'd' | 'm' | 'i' | 'c' | 'g'): Val {
    return new Val(`${tag}:${this.id}`, tag, this.id, this, null, '', null);
  }

  bound(tag: 'k' | 'K', f: ScopeInfo): Val {
    const m = tag === 'k' ? (this.boundInstance ??= new Map()) : (this.boundClass ??= new Map());
    let v = m.get(f);
    if (!v) m.set(f, (v = new Val(`${tag}:${this.id}|${f.ir.id}`, tag, `${this.id}|${f.ir.id}`, this, f, '', null)));
    return v;
  }

  superVal(after: string): Val {
    const m = (this.supers ??= new Map());
    let v = m.get(after);
    if (!v) m.set(after, (v = new Val(`s:${this.id}|${after}`, 's', `${this.id}|${after}`, this, null, after, null)));
    return v;
  }
}

/** The owner of values that name none (externals, builtins, '?'), and of scopes being set up: never read through. */
export const NO_OWNER = new Owner('', undefined);

/** One interned abstract value. */
export class Val {
  /** Dedupe stamp: see Solver.dedupe. */
  mark = 0;
  /** Solver.unpack: the stamp of the last unpacking of this container and the growth count then. */
  unpacked = 0;
  unpackedAt = -1;
  private single: readonly Val[] | null = null;
  /** Memoized attribute results (e:, c:, g:, m: values), per attribute name. */
  private attrs: Map<string, Val | null> | null = null;
  private maybe: Val | null = null;
  private callee: string | null = null;
  /** For e: values, the number of dotted parts of the id. */
  readonly depth: number;

  constructor(
    /** The string form, `<tag>:<id>`. */
    readonly s: string,
    readonly tag: Tag,
    /** The string form after the tag (what the old code got from `v.slice(2)`). */
    readonly id: string,
    /** d, m, i, c, g: the owner named by `id`; k, K, s: the class; cm, gm: the container or generator. */
    readonly owner: Owner,
    /** k, K: the bound function. */
    readonly fn: ScopeInfo | null,
    /** s: the class after which lookups start; cm, gm: the method name. */
    readonly name: string,
    /** '?': the value getattr() yielded. */
    readonly inner: Val | null,
  ) {
    this.depth = tag === 'e' ? id.split('.').length : 0;
  }

  /** `[this]`, allocated once (read-only). */
  one(): readonly Val[] {
    return (this.single ??= [this]);
  }

  /** The memoized attribute value for `name`, or undefined when not computed yet. */
  attrMemo(name: string): Val | null | undefined {
    return this.attrs?.get(name);
  }

  setAttrMemo(name: string, v: Val | null): Val | null {
    (this.attrs ??= new Map()).set(name, v);
    return v;
  }

  /** The '?'-marked form: a getattr() result, calls to which are only "possible". */
  possible(): Val {
    return (this.maybe ??= new Val(`?${this.s}`, '?', '', NO_OWNER, null, '', this));
  }

  /** b: the callee id of a call to this builtin. */
  builtinCallee(): string {
    return (this.callee ??= `<builtin>.${this.id}`);
  }

  /** `cm:`/`gm:` method values of a container or generator value. */
  method(tag: 'cm' | 'gm', name: string): Val {
    return this.attrMemo(name) ?? (this.setAttrMemo(name, new Val(`${tag}:${this.id}|${name}`, tag, `${this.id}|${name}`, this.owner, null, name, null)) as Val);
  }

  /** A value that names no owner (e:, b:). */
  static plain(tag: 'e' | 'b', id: string): Val {
    return new Val(`${tag}:${id}`, tag, id, NO_OWNER, null, '', null);
  }
}
