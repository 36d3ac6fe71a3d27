import type { Tree } from 'web-tree-sitter';
import { lightTree, type LNode as Node } from './light-tree.js';
import type { Diagnostic } from '../types.js';
import type { Expr, FileIR, ParamIR, ScopeIR, Stmt, Target } from './ir.js';
import type { PythonParser } from './parser.js';

interface ScopeBuilder {
  id: string;
  kind: ScopeIR['kind'];
  name: string;
  parent: ScopeBuilder | null;
  line: number;
  endLine: number;
  params: ParamIR[];
  returns?: string;
  async?: boolean;
  locals: Set<string>;
  globals: Set<string>;
  nonlocals: Set<string>;
  bases: Expr[];
  decorators: Expr[];
  decoratorText: string[];
  docstring?: string;
  generator: boolean;
  stmts: Stmt[];
  vars: Map<string, number>;
  lambdas: number;
  selfName?: string;
}

const MAX_DIAGNOSTICS = 50;

/** Dotted module name of a project-relative `.py` path; `pkg/__init__.py` is `pkg`. */
export function moduleIdOf(relFile: string): { module: string; isPackage: boolean } {
  const parts = relFile.replace(/\.py$/, '').split('/');
  const isPackage = parts[parts.length - 1] === '__init__';
  if (isPackage && parts.length > 1) parts.pop();
  return { module: parts.join('.'), isPackage };
}

/** A string literal's text without prefix and quotes, trimmed (how docstrings are stored). */
export function stripQuotes(text: string): string {
  const m = /^[rRbBuUfF]*("""|'''|"|')([\s\S]*)\1$/.exec(text);
  return (m ? (m[2] ?? '') : text).trim();
}

function stringValue(node: Node): string | undefined {
  if (node.type !== 'string') return undefined;
  let out = '';
  for (const c of node.namedChildren) {
    if (c === null) continue;
    if (c.type === 'interpolation') return undefined;
    if (c.type === 'string_content' || c.type === 'escape_sequence') out += c.text;
  }
  return out;
}

/** Turns one parsed file into the resolver's intermediate form. Never throws on odd syntax. */
class Extractor {
  private readonly scopes = new Map<string, ScopeBuilder>();
  private readonly order: ScopeBuilder[] = [];
  private alloc: number;
  private all: string[] | null = null;

  constructor(
    private readonly file: string,
    private readonly module: string,
    private readonly isPackage: boolean,
    allocBase = 0,
  ) {
    this.alloc = allocBase;
  }

  /** Where each module-level statement starts, and the extractor's counters there (see {@link ChunkTable}). */
  readonly table: ChunkCounters = { starts: [], allocAt: [], stmtAt: [], scopeAt: [], bodies: new Map() };

  /**
   * Whether definitions in two different module-level statements shared one scope id (the later
   * one's statements then live in the earlier statement's scope). Within one statement (a
   * property's getter and setter) a merge is local to it.
   */
  merged = false;
  /**
   * For each such merge, the first and the last module-level statement it spans (indices): a
   * statement between them cannot be re-extracted alone (the later ones' statements live in the
   * earlier one's scope, which an edit between them would not move).
   */
  readonly merges: (readonly [number, number])[] = [];
  // Which module-level statement (as a count of statements begun) created each scope.
  private readonly scopeStatement = new Map<string, number>();
  // The type of the module-level statement being extracted.
  private topType = '';

  get allocated(): number {
    return this.alloc;
  }

  run(tree: Tree, source: string): FileIR {
    const root = lightTree(tree, source);
    const mod = this.newScope(this.module, 'module', this.module.split('.').pop() ?? this.module, null, root);
    // Asked of each definition as it is extracted: a whole-tree pass first cost as much as the
    // extraction, and gave a module starting with a documented `def` that def's docstring.
    const doc = docstringOf(root);
    if (doc !== undefined) mod.docstring = doc;
    // Same walk as block(), recording the counters at each statement so that an update can
    // re-extract one statement and splice it in (parse/splice.ts).
    const t = this.table;
    for (const c of root.namedChildren) {
      this.topType = c.type;
      t.starts.push(c.startIndex);
      t.allocAt.push(this.alloc);
      t.stmtAt.push(mod.stmts.length);
      t.scopeAt.push(this.order.length);
      this.stmt(c, mod);
    }
    return {
      file: this.file,
      module: this.module,
      isPackage: this.isPackage,
      all: this.all,
      scopes: this.order.map((s) => ({
        id: s.id,
        kind: s.kind,
        name: s.name,
        parent: s.parent?.id ?? null,
        line: s.line,
        endLine: s.endLine,
        params: s.params,
        ...(s.returns === undefined ? {} : { returns: s.returns }),
        ...(s.async ? { async: true } : {}),
        locals: [...s.locals],
        globals: [...s.globals],
        nonlocals: [...s.nonlocals],
        bases: s.bases,
        decorators: s.decorators,
        decoratorText: s.decoratorText,
        ...(s.docstring === undefined ? {} : { docstring: s.docstring }),
        generator: s.generator,
        stmts: s.stmts,
        vars: [...s.vars],
      })),
    };
  }

  private newScope(id: string, kind: ScopeIR['kind'], name: string, parent: ScopeBuilder | null, node: Node): ScopeBuilder {
    const existing = this.scopes.get(id);
    // Conditional redefinitions (`if X: def f()… else: def f()…`) share one id; merge them.
    if (existing) {
      const first = this.scopeStatement.get(id) ?? 0;
      if (first !== this.table.starts.length) {
        this.merged = true;
        this.merges.push([first - 1, this.table.starts.length - 1]);
      }
      return existing;
    }
    this.scopeStatement.set(id, this.table.starts.length);
    const s: ScopeBuilder = {
      id,
      kind,
      name,
      parent,
      line: node.startPosition.row + 1,
      endLine: node.endPosition.row + 1,
      params: [],
      locals: new Set(),
      globals: new Set(),
      nonlocals: new Set(),
      bases: [],
      decorators: [],
      decoratorText: [],
      generator: false,
      stmts: [],
      vars: new Map(),
      lambdas: 0,
    };
    this.scopes.set(id, s);
    this.order.push(s);
    return s;
  }

  private allocId(): string {
    return `${this.module}#${this.alloc++}`;
  }

  private bindName(s: ScopeBuilder, name: string, line: number, isVar: boolean): void {
    if (s.globals.has(name)) {
      let m = s;
      while (m.parent) m = m.parent;
      m.locals.add(name);
      if (isVar && !m.vars.has(name)) m.vars.set(name, line);
      return;
    }
    if (s.nonlocals.has(name)) return;
    s.locals.add(name);
    if (isVar && (s.kind === 'module' || s.kind === 'class') && !s.vars.has(name)) s.vars.set(name, line);
  }

  private block(node: Node, s: ScopeBuilder): void {
    for (const c of node.namedChildren) if (c) this.stmt(c, s);
  }

  private stmt(n: Node, s: ScopeBuilder): void {
    switch (n.type) {
      case 'comment':
      case 'pass_statement':
      case 'break_statement':
      case 'continue_statement':
      case 'future_import_statement':
        return;
      case 'expression_statement':
        for (const c of n.namedChildren) if (c) this.exprStmt(c, s);
        return;
      case 'return_statement': {
        const v = n.namedChildren[0];
        if (v) s.stmts.push({ k: 'r', v: this.expr(v, s) });
        return;
      }
      case 'function_definition':
        this.funcDef(n, s, []);
        return;
      case 'class_definition':
        this.classDef(n, s, []);
        return;
      case 'decorated_definition': {
        const decs = n.namedChildren.filter((c): c is Node => c !== null && c.type === 'decorator');
        const def = n.childForFieldName('definition');
        if (def?.type === 'function_definition') this.funcDef(def, s, decs);
        else if (def?.type === 'class_definition') this.classDef(def, s, decs);
        return;
      }
      case 'import_statement':
        this.importStmt(n, s);
        return;
      case 'import_from_statement':
        this.importFrom(n, s);
        return;
      case 'global_statement':
        for (const c of n.namedChildren) if (c?.type === 'identifier') s.globals.add(c.text);
        return;
      case 'nonlocal_statement':
        for (const c of n.namedChildren) if (c?.type === 'identifier') s.nonlocals.add(c.text);
        return;
      case 'for_statement': {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        if (left && right) s.stmts.push({ k: 'for', t: this.target(left, s), v: this.expr(right, s) });
        this.children(n, s, ['left', 'right']);
        return;
      }
      case 'with_statement':
        for (const c of n.namedChildren) {
          if (c?.type === 'with_clause') {
            for (const item of c.namedChildren) {
              const value = item?.childForFieldName('value');
              if (!value) continue;
              if (value.type === 'as_pattern') {
                const inner = value.namedChildren[0];
                const alias = value.childForFieldName('alias')?.namedChildren[0];
                if (inner) s.stmts.push({ k: 'with', v: this.expr(inner, s), t: alias ? this.target(alias, s) : null });
              } else {
                s.stmts.push({ k: 'with', v: this.expr(value, s), t: null });
              }
            }
          } else if (c?.type === 'block') {
            this.block(c, s);
          }
        }
        return;
      case 'except_clause':
      case 'except_group_clause': {
        for (const c of n.namedChildren) {
          if (!c) continue;
          if (c.type === 'block') this.block(c, s);
          else if (c.type === 'as_pattern') {
            const inner = c.namedChildren[0];
            const alias = c.childForFieldName('alias')?.namedChildren[0];
            const name = alias?.type === 'identifier' ? alias.text : null;
            if (name) this.bindName(s, name, c.startPosition.row + 1, false);
            if (inner) s.stmts.push({ k: 'exc', t: name, v: this.expr(inner, s) });
          } else if (c.type !== 'comment') {
            s.stmts.push({ k: 'exc', t: null, v: this.expr(c, s) });
          }
        }
        return;
      }
      case 'raise_statement': {
        const v = n.namedChildren[0];
        if (v) s.stmts.push({ k: 'raise', v: this.expr(v, s) });
        for (const c of n.namedChildren.slice(1)) if (c) s.stmts.push({ k: 'e', v: this.expr(c, s) });
        return;
      }
      case 'block':
        this.block(n, s);
        return;
      default:
        this.children(n, s, []);
    }
  }

  /** Compound statements: blocks are walked, other named children evaluated as expressions. */
  private children(n: Node, s: ScopeBuilder, skipFields: string[]): void {
    const skip = new Set<number>();
    for (const f of skipFields) {
      const c = n.childForFieldName(f);
      if (c) skip.add(c.id);
    }
    for (const c of n.namedChildren) {
      if (!c || skip.has(c.id) || c.type === 'comment') continue;
      if (c.type === 'block' || c.type.endsWith('_clause') || c.type.endsWith('_statement') || c.type === 'case_clause') this.stmt(c, s);
      else if (c.type === 'case_pattern' || c.type === 'identifier' && n.type === 'type_alias_statement') continue;
      else s.stmts.push({ k: 'e', v: this.expr(c, s) });
    }
  }

  private exprStmt(n: Node, s: ScopeBuilder): void {
    if (n.type === 'assignment' || n.type === 'augmented_assignment') {
      this.assignment(n, s);
      return;
    }
    if (n.type === 'yield') {
      this.yieldExpr(n, s);
      return;
    }
    // A bare string (docstrings, commented-out code) does nothing; leaving it out keeps docstring
    // edits non-semantic for the incremental fast path.
    if (n.type === 'string' && stringValue(n) !== undefined) return;
    s.stmts.push({ k: 'e', v: this.expr(n, s) });
  }

  private assignment(n: Node, s: ScopeBuilder): void {
    const targets: Node[] = [];
    let cur: Node | null = n;
    let value: Node | null = null;
    // `a = b = value` nests assignments on the right.
    while (cur && (cur.type === 'assignment' || cur.type === 'augmented_assignment')) {
      const left = cur.childForFieldName('left');
      if (left) targets.push(left);
      value = cur.childForFieldName('right');
      cur = value;
    }
    const line = n.startPosition.row + 1;
    if (!value) {
      // Annotation only (`x: int`): declares a name without a value.
      for (const t of targets) if (t.type === 'identifier') this.bindName(s, t.text, line, true);
      return;
    }
    if (s.kind === 'module' && targets.length === 1 && targets[0]?.text === '__all__') this.readAll(value, n.type === 'augmented_assignment');
    const v = value.type === 'yield' ? this.yieldExpr(value, s) : this.expr(value, s);
    for (const t of targets) s.stmts.push({ k: 'as', t: this.target(t, s), v, line });
  }

  private readAll(value: Node, append: boolean): void {
    if (value.type !== 'list' && value.type !== 'tuple') return;
    const names: string[] = [];
    for (const c of value.namedChildren) {
      const v = c ? stringValue(c) : undefined;
      if (v === undefined) return;
      names.push(v);
    }
    this.all = append && this.all ? [...this.all, ...names] : names;
  }

  private yieldExpr(n: Node, s: ScopeBuilder): Expr {
    s.generator = true;
    const inner = n.namedChildren[0];
    const from = n.children.some((c) => c.type === 'from');
    if (inner) s.stmts.push({ k: 'y', v: this.expr(inner, s), ...(from ? { from: true } : {}) });
    return { k: 'x' };
  }

  private target(n: Node, s: ScopeBuilder): Target {
    const line = n.startPosition.row + 1;
    switch (n.type) {
      case 'identifier':
        this.bindName(s, n.text, line, true);
        return { k: 'n', n: n.text };
      case 'attribute': {
        const obj = n.childForFieldName('object');
        const attr = n.childForFieldName('attribute');
        if (!obj || !attr) return { k: 'x' };
        if (obj.type === 'identifier' && s.selfName === obj.text && s.parent?.kind === 'class' && !s.parent.vars.has(attr.text)) {
          s.parent.vars.set(attr.text, line);
        }
        return { k: 'a', o: this.expr(obj, s), n: attr.text };
      }
      case 'subscript': {
        const obj = n.childForFieldName('value');
        const key = n.childForFieldName('subscript');
        if (!obj) return { k: 'x' };
        const kv = key ? this.constKey(key) : undefined;
        if (key && kv === undefined) s.stmts.push({ k: 'e', v: this.expr(key, s) });
        return kv === undefined ? { k: 's', o: this.expr(obj, s) } : { k: 's', o: this.expr(obj, s), key: kv };
      }
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
      case 'expression_list':
        return { k: 't', e: n.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment').map((c) => this.target(c, s)) };
      case 'list_splat_pattern':
      case 'parenthesized_expression': {
        const inner = n.namedChildren[0];
        return inner ? this.target(inner, s) : { k: 'x' };
      }
      default:
        return { k: 'x' };
    }
  }

  private constKey(n: Node): string | number | undefined {
    if (n.type === 'integer') {
      const v = Number(n.text);
      return Number.isSafeInteger(v) ? v : undefined;
    }
    return stringValue(n);
  }

  private params(n: Node | null, fn: ScopeBuilder, parent: ScopeBuilder): void {
    if (!n) return;
    const out: ParamIR[] = [];
    let afterStar = false;
    for (const c of n.namedChildren) {
      if (!c || c.type === 'comment') continue;
      if (c.type === 'positional_separator') {
        for (let i = 0; i < out.length; i++) {
          const p = out[i];
          if (p && p.kind === 'positional') out[i] = { ...p, kind: 'positional_only' };
        }
        continue;
      }
      if (c.type === 'keyword_separator') {
        afterStar = true;
        continue;
      }
      let node: Node = c;
      let ann: string | undefined;
      let def: Node | null = null;
      if (c.type === 'typed_parameter') {
        ann = c.childForFieldName('type')?.text;
        node = c.namedChildren[0] ?? c;
      } else if (c.type === 'default_parameter' || c.type === 'typed_default_parameter') {
        ann = c.childForFieldName('type')?.text;
        def = c.childForFieldName('value');
        node = c.childForFieldName('name') ?? c;
      }
      let kind: ParamIR['kind'] = afterStar ? 'keyword_only' : 'positional';
      if (node.type === 'list_splat_pattern') {
        kind = 'var_positional';
        afterStar = true;
        node = node.namedChildren[0] ?? node;
      } else if (node.type === 'dictionary_splat_pattern') {
        kind = 'var_keyword';
        node = node.namedChildren[0] ?? node;
      }
      if (node.type !== 'identifier') continue;
      const name = node.text;
      fn.locals.add(name);
      const p: ParamIR = { n: name, kind, ...(def ? { def: def.text } : {}), ...(ann === undefined ? {} : { ann }) };
      out.push(p);
      if (def) parent.stmts.push({ k: 'pdef', fn: fn.id, p: name, v: this.expr(def, parent) });
    }
    if (fn.params.length === 0) fn.params = out;
  }

  private decorators(decs: Node[], s: ScopeBuilder, into: ScopeBuilder): void {
    if (into.decorators.length > 0) return;
    for (const d of decs) {
      const e = d.namedChildren.find((c) => c !== null && c.type !== 'comment');
      if (!e) continue;
      into.decorators.push(this.expr(e, s));
      into.decoratorText.push(e.text);
    }
  }

  private funcDef(n: Node, s: ScopeBuilder, decs: Node[]): void {
    const nameNode = n.childForFieldName('name');
    if (!nameNode) return;
    const name = nameNode.text;
    const f = this.newScope(`${s.id}.${name}`, 'function', name, s, n);
    if (n.children.some((c) => c.type === 'async')) f.async = true;
    const ret = n.childForFieldName('return_type');
    if (ret) f.returns = ret.text;
    if (f.docstring === undefined) {
      const doc = docstringOf(n);
      if (doc !== undefined) f.docstring = doc;
    }
    this.decorators(decs, s, f);
    this.params(n.childForFieldName('parameters'), f, s);
    const first = f.params[0];
    const isStatic = f.decoratorText.includes('staticmethod');
    if (s.kind === 'class' && first && !isStatic) f.selfName = first.n;
    this.bindName(s, name, n.startPosition.row + 1, false);
    s.stmts.push({ k: 'def', n: name, id: f.id });
    const body = n.childForFieldName('body');
    if (body) this.block(body, f);
  }

  private classDef(n: Node, s: ScopeBuilder, decs: Node[]): void {
    const nameNode = n.childForFieldName('name');
    if (!nameNode) return;
    const name = nameNode.text;
    const fresh = !this.scopes.has(`${s.id}.${name}`);
    const c = this.newScope(`${s.id}.${name}`, 'class', name, s, n);
    const owner = fresh ? this.order.length - 1 : -1;
    if (c.docstring === undefined) {
      const doc = docstringOf(n);
      if (doc !== undefined) c.docstring = doc;
    }
    this.decorators(decs, s, c);
    const sup = n.childForFieldName('superclasses');
    if (sup && c.bases.length === 0) {
      for (const a of sup.namedChildren) {
        if (!a || a.type === 'comment') continue;
        if (a.type === 'keyword_argument') {
          const v = a.childForFieldName('value');
          if (v) s.stmts.push({ k: 'e', v: this.expr(v, s) });
        } else {
          c.bases.push(this.expr(a, s));
        }
      }
    }
    this.bindName(s, name, n.startPosition.row + 1, false);
    s.stmts.push({ k: 'def', n: name, id: c.id });
    const body = n.childForFieldName('body');
    if (!body) return;
    const t = this.table;
    const chunk = t.starts.length - 1;
    // Only for a class that is the whole module-level statement (not one inside `if`/`try`, whose
    // statement may go on after the class).
    const whole = this.topType === 'class_definition' || this.topType === 'decorated_definition';
    if (s.kind !== 'module' || !whole || chunk < 0 || owner < 0 || t.bodies.has(chunk)) {
      this.block(body, c);
      return;
    }
    // A class at module level: record its body statements too (same walk as block()), so an edit
    // inside one method can be re-extracted alone. The last entry is the state after the body.
    const b: ChunkCounters = { starts: [], allocAt: [], stmtAt: [], scopeAt: [], bodies: new Map(), owner };
    for (const m of body.namedChildren) {
      b.starts.push(m.startIndex);
      b.allocAt.push(this.alloc);
      b.stmtAt.push(c.stmts.length);
      b.scopeAt.push(this.order.length);
      this.stmt(m, c);
    }
    b.starts.push(-1);
    b.allocAt.push(this.alloc);
    b.stmtAt.push(c.stmts.length);
    b.scopeAt.push(this.order.length);
    t.bodies.set(chunk, b);
  }

  private importStmt(n: Node, s: ScopeBuilder): void {
    const line = n.startPosition.row + 1;
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'dotted_name') {
        const full = c.text.replace(/\s+/g, '');
        const first = full.split('.')[0] ?? full;
        this.bindName(s, first, line, false);
        s.stmts.push({ k: 'imp', n: first, mod: full, line });
      } else if (c.type === 'aliased_import') {
        const mod = c.childForFieldName('name')?.text.replace(/\s+/g, '');
        const alias = c.childForFieldName('alias')?.text;
        if (!mod || !alias) continue;
        this.bindName(s, alias, line, false);
        // An aliased import binds the leaf module itself; mark it with a trailing '=' on the name.
        s.stmts.push({ k: 'from', n: alias, mod, name: '', line });
      }
    }
  }

  private absoluteModule(n: Node): string {
    if (n.type !== 'relative_import') return n.text.replace(/\s+/g, '');
    const prefix = n.namedChildren.find((c) => c?.type === 'import_prefix')?.text ?? '.';
    const rest = n.namedChildren.find((c) => c?.type === 'dotted_name')?.text.replace(/\s+/g, '') ?? '';
    const parts = this.module.split('.');
    if (!this.isPackage) parts.pop();
    for (let i = 1; i < prefix.length; i++) parts.pop();
    if (rest) parts.push(rest);
    return parts.filter((p) => p.length > 0).join('.');
  }

  private importFrom(n: Node, s: ScopeBuilder): void {
    const line = n.startPosition.row + 1;
    const modNode = n.childForFieldName('module_name');
    if (!modNode) return;
    const mod = this.absoluteModule(modNode);
    for (const c of n.namedChildren) {
      if (!c || c.id === modNode.id) continue;
      if (c.type === 'wildcard_import') {
        s.stmts.push({ k: 'star', mod });
      } else if (c.type === 'dotted_name') {
        const name = c.text;
        this.bindName(s, name, line, false);
        s.stmts.push({ k: 'from', n: name, mod, name, line });
      } else if (c.type === 'aliased_import') {
        const name = c.childForFieldName('name')?.text;
        const alias = c.childForFieldName('alias')?.text;
        if (!name || !alias) continue;
        this.bindName(s, alias, line, false);
        s.stmts.push({ k: 'from', n: alias, mod, name, line });
      }
    }
  }

  private lambda(n: Node, s: ScopeBuilder): Expr {
    s.lambdas++;
    const l = this.newScope(`${s.id}.<lambda${s.lambdas}>`, 'lambda', `<lambda${s.lambdas}>`, s, n);
    this.params(n.childForFieldName('parameters'), l, s);
    const body = n.childForFieldName('body');
    if (body) l.stmts.push({ k: 'r', v: this.expr(body, l) });
    return { k: 'f', id: l.id };
  }

  private comprehension(n: Node, s: ScopeBuilder): Expr {
    let body: Node | null = n.childForFieldName('body');
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'for_in_clause') {
        const left = c.childForFieldName('left');
        const right = c.childForFieldName('right');
        if (left && right) s.stmts.push({ k: 'for', t: this.target(left, s), v: this.expr(right, s) });
      } else if (c.type === 'if_clause') {
        const cond = c.namedChildren[0];
        if (cond) s.stmts.push({ k: 'e', v: this.expr(cond, s) });
      }
    }
    if (body?.type === 'pair') {
      const key = body.childForFieldName('key');
      if (key) s.stmts.push({ k: 'e', v: this.expr(key, s) });
      body = body.childForFieldName('value');
    }
    return { k: 'cp', id: this.allocId(), e: body ? this.expr(body, s) : { k: 'x' } };
  }

  private args(n: Node | null, s: ScopeBuilder): Pick<Extract<Expr, { k: 'c' }>, 'a' | 'kw' | 'sa' | 'ka'> {
    const a: Expr[] = [];
    const kw: [string, Expr][] = [];
    const sa: Expr[] = [];
    const ka: Expr[] = [];
    if (n?.type === 'generator_expression') return { a: [this.comprehension(n, s)], kw };
    for (const c of n?.namedChildren ?? []) {
      if (!c || c.type === 'comment') continue;
      if (c.type === 'keyword_argument') {
        const name = c.childForFieldName('name')?.text;
        const v = c.childForFieldName('value');
        if (name && v) kw.push([name, this.expr(v, s)]);
      } else if (c.type === 'list_splat') {
        const inner = c.namedChildren[0];
        if (inner) sa.push(this.expr(inner, s));
      } else if (c.type === 'dictionary_splat') {
        const inner = c.namedChildren[0];
        if (inner) ka.push(this.expr(inner, s));
      } else {
        a.push(this.expr(c, s));
      }
    }
    return { a, kw, ...(sa.length ? { sa } : {}), ...(ka.length ? { ka } : {}) };
  }

  private subExprs(n: Node, s: ScopeBuilder): Expr {
    const e: Expr[] = [];
    for (const c of n.namedChildren) if (c && c.type !== 'comment') e.push(this.expr(c, s));
    return e.length > 0 ? { k: 'x', e } : { k: 'x' };
  }

  private expr(n: Node, s: ScopeBuilder): Expr {
    switch (n.type) {
      case 'identifier':
        return { k: 'n', n: n.text };
      case 'attribute': {
        const o = n.childForFieldName('object');
        const a = n.childForFieldName('attribute');
        return o && a ? { k: 'a', o: this.expr(o, s), n: a.text } : { k: 'x' };
      }
      case 'call': {
        const f = n.childForFieldName('function');
        if (!f) return { k: 'x' };
        const args = this.args(n.childForFieldName('arguments'), s);
        if (f.type === 'identifier' && f.text === 'super') return { k: 'sup', a: args.a };
        return { k: 'c', f: this.expr(f, s), ...args };
      }
      case 'subscript': {
        const o = n.childForFieldName('value');
        const key = n.childForFieldName('subscript');
        if (!o) return { k: 'x' };
        const kv = key ? this.constKey(key) : undefined;
        if (key && kv === undefined) s.stmts.push({ k: 'e', v: this.expr(key, s) });
        return kv === undefined ? { k: 's', o: this.expr(o, s) } : { k: 's', o: this.expr(o, s), key: kv };
      }
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list':
        return { k: 'l', id: this.allocId(), e: n.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment').map((c) => this.expr(c, s)) };
      case 'dictionary': {
        const e: [string | null, Expr][] = [];
        for (const c of n.namedChildren) {
          if (!c) continue;
          if (c.type === 'pair') {
            const key = c.childForFieldName('key');
            const v = c.childForFieldName('value');
            const kv = key ? stringValue(key) : undefined;
            if (key && kv === undefined) s.stmts.push({ k: 'e', v: this.expr(key, s) });
            if (v) e.push([kv ?? null, this.expr(v, s)]);
          } else if (c.type === 'dictionary_splat') {
            const inner = c.namedChildren[0];
            if (inner) e.push([null, { k: 's', o: this.expr(inner, s) }]);
          }
        }
        return { k: 'd', id: this.allocId(), e };
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension':
        return this.comprehension(n, s);
      case 'lambda':
        return this.lambda(n, s);
      case 'conditional_expression': {
        const [a, cond, b] = n.namedChildren;
        if (cond) s.stmts.push({ k: 'e', v: this.expr(cond, s) });
        return { k: 'u', e: [a ? this.expr(a, s) : { k: 'x' }, b ? this.expr(b, s) : { k: 'x' }] };
      }
      case 'boolean_operator': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        return { k: 'u', e: [l ? this.expr(l, s) : { k: 'x' }, r ? this.expr(r, s) : { k: 'x' }] };
      }
      case 'parenthesized_expression':
      case 'await':
      case 'list_splat':
      case 'dictionary_splat': {
        const inner = n.namedChildren.find((c) => c !== null && c.type !== 'comment');
        return inner ? this.expr(inner, s) : { k: 'x' };
      }
      case 'named_expression': {
        const name = n.childForFieldName('name');
        const v = n.childForFieldName('value');
        if (!name || !v) return { k: 'x' };
        const e = this.expr(v, s);
        // PEP 572: the walrus binds in the enclosing function, never in a comprehension.
        s.stmts.push({ k: 'as', t: this.target(name, s), v: e, line: n.startPosition.row + 1 });
        return e;
      }
      case 'yield':
        return this.yieldExpr(n, s);
      case 'string': {
        const v = stringValue(n);
        return v === undefined ? this.subExprs(n, s) : { k: 'str', v };
      }
      case 'interpolation':
      case 'concatenated_string':
      case 'binary_operator':
      case 'unary_operator':
      case 'not_operator':
      case 'comparison_operator':
      case 'slice':
      case 'format_expression':
        return this.subExprs(n, s);
      case 'integer':
      case 'float':
      case 'true':
      case 'false':
      case 'none':
      case 'ellipsis':
      case 'comment':
      case 'string_content':
        return { k: 'x' };
      default:
        return this.subExprs(n, s);
    }
  }
}

/** Collects parse diagnostics (ERROR and MISSING nodes) with positions. */
/**
 * Docstrings by the start offset of their module, class or function: the first named statement of
 * the body, when it is an expression statement holding a string. This is what
 * queries/python-docstrings.scm describes (a test holds the two equal), read from the copied tree
 * because running the query over the wasm tree cost about a tenth of extraction.
 */
/** The docstring of a module, function or class node: its body's first statement, if a string. */
export function docstringOf(owner: Node): string | undefined {
  let container: Node | null = owner;
  if (owner.type !== 'module') {
    container = owner.childForFieldName('body');
    if (container?.type !== 'block') return undefined;
  }
  const first = container.namedChildren[0];
  if (first?.type !== 'expression_statement') return undefined;
  let doc: Node | undefined;
  for (const c of first.children) if (c.type === 'string') doc = c;
  return doc ? stripQuotes(doc.text) : undefined;
}

/** Every docstring of a tree, by its owner's start offset (what the docstrings query captures). */
export function docstringsOf(root: Node): Map<number, string> {
  const out = new Map<number, string>();
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    if (n.type === 'module' || n.type === 'function_definition' || n.type === 'class_definition') {
      const doc = docstringOf(n);
      if (doc !== undefined) out.set(n.startIndex, doc);
    }
    for (const c of n.children) stack.push(c);
  }
  return out;
}

function syntaxDiagnostics(tree: Tree, pp: PythonParser, file: string): Diagnostic[] {
  if (!tree.rootNode.hasError) return [];
  const out: Diagnostic[] = [];
  for (const cap of pp.diagnostics.captures(tree.rootNode)) {
    if (out.length >= MAX_DIAGNOSTICS) break;
    const p = cap.node.startPosition;
    out.push({
      file,
      kind: 'syntax',
      message: cap.name === 'missing' ? `missing ${cap.node.type}` : 'syntax error',
      line: p.row + 1,
      column: p.column + 1,
    });
  }
  if (out.length === 0) out.push({ file, kind: 'syntax', message: 'syntax error', line: 1, column: 1 });
  return out;
}

/** The extractor's counters at each module-level statement, as it records them. */
export interface ChunkCounters {
  readonly starts: number[];
  readonly allocAt: number[];
  readonly stmtAt: number[];
  readonly scopeAt: number[];
  /** For module-level statements defining a class (by statement index): the same for its body. */
  readonly bodies: Map<number, ChunkCounters>;
  /** For a class body: the index of the class's scope. */
  readonly owner?: number;
}

/** A class body's statements: like {@link ChunkTable}, with one more entry for the state after the body. */
export interface BodyTable {
  readonly starts: Int32Array;
  readonly allocAt: Int32Array;
  readonly stmtAt: Int32Array;
  readonly scopeAt: Int32Array;
  /** Index of the class's scope in the file's scopes. */
  readonly owner: number;
}

export function bodyTableOf(c: ChunkCounters): BodyTable {
  return { owner: c.owner ?? -1, starts: Int32Array.from(c.starts), allocAt: Int32Array.from(c.allocAt), stmtAt: Int32Array.from(c.stmtAt), scopeAt: Int32Array.from(c.scopeAt) };
}

/**
 * Per module-level statement of a file: its start offset, and the extractor's counters when it
 * began (allocated value ids, module statements, scopes). Kept in memory with the source text, so
 * an edit inside one statement can be re-extracted alone (parse/splice.ts).
 */
export interface ChunkTable {
  readonly text: string;
  readonly starts: Int32Array;
  readonly allocAt: Int32Array;
  readonly stmtAt: Int32Array;
  readonly scopeAt: Int32Array;
  readonly allocEnd: number;
  /** Body tables of module-level classes, by statement index. */
  readonly bodies: ReadonlyMap<number, BodyTable>;
  /** Spans of module-level statements (first, last index) that share a merged scope. */
  readonly merges: readonly (readonly [number, number])[];
}

export interface ExtractResult {
  readonly ir: FileIR;
  readonly diagnostics: Diagnostic[];
  readonly loc: number;
  /** Present when the file parsed without errors. */
  readonly chunks?: ChunkTable;
  /** Present when the form was spliced from the previous one (parse/splice.ts): what it replaced. */
  readonly splice?: SpliceInfo;
}

/**
 * What a splice replaced. Statements [stmtFrom, oldStmtTo) of scope `container` (0: the module,
 * else a module-level class) became [stmtFrom, newStmtTo), and scopes [scopeFrom, oldScopeTo)
 * became [scopeFrom, newScopeTo). Everything else is the previous form's, except that what
 * follows the replaced text moved by `dl` lines and its value ids by `da`; scopes before
 * `scopeFrom` other than the module and the container are the previous form's very objects.
 */
export interface SpliceInfo {
  readonly container: number;
  readonly stmtFrom: number;
  readonly oldStmtTo: number;
  readonly newStmtTo: number;
  readonly scopeFrom: number;
  readonly oldScopeTo: number;
  readonly newScopeTo: number;
  readonly dl: number;
  readonly da: number;
}

export function countLines(source: string): number {
  let loc = 1;
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) loc++;
  return loc;
}

/**
 * Extracts a parsed tree (no diagnostics). `allocBase` starts the file's value-id counter, for a
 * statement extracted apart from the statements before it.
 */
export function extractTree(
  tree: Tree,
  relFile: string,
  source: string,
  allocBase = 0,
): { ir: FileIR; table: ChunkCounters; allocEnd: number; merged: boolean; merges: readonly (readonly [number, number])[] } {
  const { module, isPackage } = moduleIdOf(relFile);
  const x = new Extractor(relFile, module, isPackage, allocBase);
  const ir = x.run(tree, source);
  return { ir, table: x.table, allocEnd: x.allocated, merged: x.merged, merges: x.merges };
}

/**
 * Parses one file and extracts its intermediate form. Unparseable regions produce diagnostics;
 * whatever parsed is still indexed.
 */
export function extractFile(pp: PythonParser, relFile: string, source: string): ExtractResult {
  const { module, isPackage } = moduleIdOf(relFile);
  const empty: FileIR = { file: relFile, module, isPackage, all: null, scopes: [{ id: module, kind: 'module', name: module.split('.').pop() ?? module, parent: null, line: 1, endLine: 1, params: [], locals: [], globals: [], nonlocals: [], bases: [], decorators: [], decoratorText: [], generator: false, stmts: [], vars: [] }] };
  const loc = countLines(source);
  const tree = pp.parser.parse(source);
  if (!tree) return { ir: empty, diagnostics: [{ file: relFile, kind: 'syntax', message: 'parser returned no tree' }], loc };
  try {
    const diagnostics = syntaxDiagnostics(tree, pp, relFile);
    try {
      const x = extractTree(tree, relFile, source);
      // A definition merged into another statement's scope mixes statements of two places in
      // one scope: the table records the statements spanned, which are never spliced.
      if (diagnostics.length > 0) return { ir: x.ir, diagnostics, loc };
      const t = x.table;
      const chunks: ChunkTable = {
        text: source,
        starts: Int32Array.from(t.starts),
        allocAt: Int32Array.from(t.allocAt),
        stmtAt: Int32Array.from(t.stmtAt),
        scopeAt: Int32Array.from(t.scopeAt),
        allocEnd: x.allocEnd,
        bodies: new Map([...t.bodies].map(([k, b]) => [k, bodyTableOf(b)])),
        merges: x.merges,
      };
      return { ir: x.ir, diagnostics, loc, chunks };
    } catch (e) {
      if (e instanceof RangeError) {
        return { ir: empty, diagnostics: [...diagnostics, { file: relFile, kind: 'too_deep', message: 'nesting too deep to analyse; file indexed as an empty module' }], loc };
      }
      throw e;
    }
  } finally {
    tree.delete();
  }
}
