import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { describeUnknown, makeError } from '@yantra/shared';
import { ResultAsync } from 'neverthrow';
import type { GnnError } from '../errors.js';
import { extractFile, moduleIdOf } from '../parse/extract.js';
import type { FileIR, ScopeIR } from '../parse/ir.js';
import { loadPythonParser, type PythonParser } from '../parse/parser.js';
import { PYTHON_BUILTINS } from '../resolve/builtins.js';
import type { GraphNode, Parameter } from '../types.js';
import { extractFacts, type CallSite, type FileFacts } from './call-sites.js';
import { callMismatch, formatParams, overrideMismatch, sameSignature, visibleParams } from './signature.js';
import type { Breakage, BreakageKind, BreakageSite, ValidateChangeOptions, ValidationResult } from './types.js';

const REF_KINDS = new Set(['calls', 'uses', 'imports', 'inherits', 'decorates']);
const SYMBOL_KINDS = new Set(['function', 'class', 'method', 'variable', 'module']);
const MODULE_DUNDERS = new Set(['__name__', '__file__', '__doc__', '__package__', '__spec__', '__loader__', '__path__', '__builtins__', '__debug__', '__dict__', '__class__', '__module__', '__qualname__', '__annotations__', 'reveal_type']);

interface AfterFile {
  readonly rel: string;
  readonly text: string | null;
  readonly ir: FileIR | null;
  readonly facts: FileFacts | null;
}

function readText(abs: string): string | null {
  try {
    const buf = readFileSync(abs);
    return buf.includes(0) ? null : buf.toString('utf8');
  } catch {
    return null;
  }
}

function toRel(root: string, p: string): string | null {
  const rel = path.relative(root, path.resolve(root, p)).split(path.sep).join('/');
  return rel.startsWith('..') || !rel.endsWith('.py') ? null : rel;
}

/** The tracked state of one validation: caches per file, collected breakages keyed for merging. */
class Checker {
  private readonly texts = new Map<string, string | null>();
  private readonly facts = new Map<string, FileFacts | null>();
  private readonly lines = new Map<string, string[]>();
  private readonly oldFacts = new Map<string, FileFacts | null>();
  private readonly found = new Map<string, { kind: BreakageKind; symbol: string; sites: Map<string, BreakageSite>; explanation: string }>();
  readonly after = new Map<string, AfterFile>();
  readonly afterScopes = new Map<string, ScopeIR>();
  readonly afterModuleNames = new Map<string, Set<string> | 'any'>();
  readonly changedModules = new Set<string>();
  complete = true;

  constructor(
    private readonly opts: ValidateChangeOptions,
    private readonly pp: PythonParser,
  ) {}

  get g() {
    return this.opts.before.graph;
  }

  text(rel: string): string | null {
    if (!this.texts.has(rel)) this.texts.set(rel, readText(path.join(this.opts.shadowRoot, rel)));
    return this.texts.get(rel) ?? null;
  }

  fileFacts(rel: string): FileFacts | null {
    if (!this.facts.has(rel)) {
      const t = this.text(rel);
      this.facts.set(rel, t === null ? null : extractFacts(this.pp, t));
    }
    return this.facts.get(rel) ?? null;
  }

  add(kind: BreakageKind, symbol: string, explanation: string, sites: readonly BreakageSite[]): void {
    const key = `${kind}\u0000${symbol}`;
    let b = this.found.get(key);
    if (!b) {
      b = { kind, symbol, sites: new Map(), explanation };
      this.found.set(key, b);
    }
    for (const s of sites) b.sites.set(`${s.file}:${s.line}:${s.symbol}`, s);
  }

  breakages(): Breakage[] {
    return [...this.found.values()].map((b) => ({ kind: b.kind, symbol: b.symbol, sites: [...b.sites.values()].sort((x, y) => (x.file === y.file ? x.line - y.line : x.file < y.file ? -1 : 1)), explanation: b.explanation }));
  }

  /** The line range of a referencing scope in the changed project, or null when it is gone. */
  rangeOf(id: string, node: GraphNode): { file: string; start: number; end: number } | null {
    if (this.after.has(node.file)) {
      const s = this.afterScopes.get(id);
      if (!s) return null;
      return { file: node.file, start: s.line, end: s.kind === 'module' ? Number.MAX_SAFE_INTEGER : s.endLine };
    }
    return { file: node.file, start: node.kind === 'module' ? 1 : node.lineStart, end: node.kind === 'module' ? Number.MAX_SAFE_INTEGER : node.lineEnd };
  }

  /** The first line in the range that still mentions `name` as a word, or null when none does. */
  mention(file: string, start: number, end: number, name: string): number | null {
    const t = this.text(file);
    if (t === null) {
      this.complete = false;
      return null;
    }
    let lines = this.lines.get(file);
    if (!lines) {
      lines = t.split('\n');
      this.lines.set(file, lines);
    }
    const re = new RegExp(`(^|[^A-Za-z0-9_])${name.replace(/[^A-Za-z0-9_]/g, '')}([^A-Za-z0-9_]|$)`);
    for (let i = Math.max(1, start); i <= Math.min(end, lines.length); i++) if (re.test(lines[i - 1] ?? '')) return i;
    return null;
  }

  /** Facts of a changed file's old text, when the old text is at hand and differs (parsed once). */
  beforeFacts(rel: string, sameTree: boolean): FileFacts | null {
    if (sameTree) return null;
    if (!this.oldFacts.has(rel)) {
      const t = readText(path.join(this.opts.before.root, rel));
      this.oldFacts.set(rel, t === null || t === this.text(rel) ? null : extractFacts(this.pp, t));
    }
    return this.oldFacts.get(rel) ?? null;
  }

  /** Calls inside a scope's range whose last name is `name`. */
  callsIn(file: string, start: number, end: number, name: string): CallSite[] {
    const f = this.fileFacts(file);
    if (!f) {
      this.complete = false;
      return [];
    }
    return f.calls.filter((c) => c.line >= start && c.line <= end && c.name === name);
  }

  /** Sources of references (calls, imports, uses, inherits, decorates) into `id`. */
  referrers(id: string, kinds: ReadonlySet<string> = REF_KINDS): string[] {
    if (!this.g.hasNode(id)) return [];
    const out = new Set<string>();
    this.g.forEachInEdge(id, (_e, attr) => {
      if (kinds.has(attr.kind) && attr.source !== id) out.add(attr.source);
    });
    return [...out];
  }
}

function afterIds(ir: FileIR): Set<string> {
  const ids = new Set<string>();
  for (const s of ir.scopes) {
    ids.add(s.id);
    if (s.kind === 'module' || s.kind === 'class') for (const [n] of s.vars) ids.add(`${s.id}.${n}`);
    if (s.kind === 'module') for (const st of s.stmts) if (st.k === 'imp' || st.k === 'from') ids.add(`${s.id}.${st.n}`);
  }
  return ids;
}

function isBoundCall(node: GraphNode, call: CallSite): boolean {
  const decos = node.decorators ?? [];
  if (decos.includes('staticmethod')) return false;
  if (decos.includes('classmethod')) return true;
  if (node.kind !== 'method') return false;
  if (call.receiver === null) return false;
  // Cls.method(obj, ...) passes self explicitly; a receiver naming the class is unbound.
  const cls = node.id.split('.').slice(-2, -1)[0];
  return call.receiver !== cls;
}

function paramsOf(s: ScopeIR): Parameter[] {
  return s.params.map((p) => ({ name: p.n, kind: p.kind, ...(p.def === undefined ? {} : { default: p.def }) }));
}

function arityNear(facts: FileFacts | null, line: number): number | undefined {
  if (!facts) return undefined;
  for (let l = line; l <= line + 6; l++) {
    const a = facts.returnArity.get(l);
    if (a !== undefined) return a;
  }
  return undefined;
}

function run(opts: ValidateChangeOptions, pp: PythonParser): ValidationResult {
  const t0 = performance.now();
  const c = new Checker(opts, pp);
  const g = opts.before.graph;
  const beforeRoot = opts.before.root;
  const sameTree = path.resolve(beforeRoot) === path.resolve(opts.shadowRoot);

  // 1. The changed files as they are now, and what they define.
  const rels = new Set<string>();
  for (const p of opts.changedFiles) {
    const r = toRel(opts.shadowRoot, p);
    if (r) rels.add(r);
  }
  for (const rel of rels) {
    const text = c.text(rel);
    const ir = text === null ? null : extractFile(pp, rel, text).ir;
    const facts = text === null ? null : c.fileFacts(rel);
    c.after.set(rel, { rel, text, ir, facts });
    const { module } = moduleIdOf(rel);
    c.changedModules.add(module);
    if (ir) {
      for (const s of ir.scopes) c.afterScopes.set(s.id, s);
      const mod = ir.scopes.find((s) => s.kind === 'module');
      const star = mod?.stmts.some((st) => st.k === 'star') ?? false;
      c.afterModuleNames.set(module, star ? 'any' : new Set([...(mod?.locals ?? []), ...(mod?.vars.map(([n]) => n) ?? [])]));
    }
  }
  const removedFiles = new Set([...c.after.values()].filter((a) => a.text === null).map((a) => a.rel));
  const moduleExistsAfter = (m: string): boolean => {
    if (c.changedModules.has(m)) return c.afterModuleNames.has(m);
    const n = g.hasNode(m) ? g.getNodeAttributes(m) : undefined;
    return n?.kind === 'module';
  };
  const isProjectModule = (m: string): boolean => {
    const top = m.split('.')[0] ?? m;
    if (g.hasNode(top) && g.getNodeAttributes(top).kind === 'module') return true;
    for (const cm of c.changedModules) if (cm === top || cm.startsWith(`${top}.`)) return true;
    return false;
  };
  const nameInModule = (m: string, n: string): boolean => {
    if (moduleExistsAfter(`${m}.${n}`)) return true;
    if (c.changedModules.has(m)) {
      const names = c.afterModuleNames.get(m);
      return names === 'any' || (names?.has(n) ?? false);
    }
    if (!g.hasNode(`${m}.${n}`)) {
      // Unchanged modules with `from x import *` export names the graph does not list.
      return !g.hasNode(m) || g.getNodeAttributes(m).kind !== 'module' ? true : hasStar(m);
    }
    return true;
  };
  const starCache = new Map<string, boolean>();
  const hasStar = (m: string): boolean => {
    let v = starCache.get(m);
    if (v === undefined) {
      const n = g.getNodeAttributes(m);
      const t = c.text(n.file);
      v = t === null || /^from\s+\S+\s+import\s+\*/m.test(t) || /^def __getattr__/m.test(t);
      starCache.set(m, v);
    }
    return v;
  };

  // 2. Syntax errors in the changed files (only new ones when the old text is at hand).
  for (const a of c.after.values()) {
    if (!a.facts || a.facts.syntaxErrors.length === 0) continue;
    const oldCount = c.beforeFacts(a.rel, sameTree)?.syntaxErrors.length ?? 0;
    if (oldCount >= a.facts.syntaxErrors.length) continue;
    const first = a.facts.syntaxErrors[0];
    c.add('syntax_error', moduleIdOf(a.rel).module, `${a.rel}:${first?.line ?? 1}: ${first?.message ?? 'syntax error'}; the file no longer parses`, a.facts.syntaxErrors.map((e) => ({ file: a.rel, line: e.line, symbol: moduleIdOf(a.rel).module })));
  }

  // 3. Symbols of the changed files before the change.
  const beforeNodes: GraphNode[] = [];
  for (const rel of rels) {
    const m = moduleIdOf(rel).module;
    if (!g.hasNode(m)) continue;
    const stack = [m];
    while (stack.length > 0) {
      const id = stack.pop();
      if (id === undefined) break;
      const n = g.getNodeAttributes(id);
      if (n.file !== rel) continue;
      beforeNodes.push(n);
      g.forEachOutEdge(id, (_e, attr) => {
        if (attr.kind === 'contains') stack.push(attr.target);
      });
    }
  }
  const idsAfter = new Set<string>();
  for (const a of c.after.values()) if (a.ir) for (const id of afterIds(a.ir)) idsAfter.add(id);

  // A file that no longer parses reports its syntax errors; what it seems to lose is noise.
  const broken = new Set([...c.after.values()].filter((a) => (a.facts?.syntaxErrors.length ?? 0) > 0).map((a) => a.rel));
  const removedIds = new Set(beforeNodes.filter((n) => SYMBOL_KINDS.has(n.kind) && !idsAfter.has(n.id)).map((n) => n.id));
  const containerRemoved = (id: string): boolean => {
    for (let i = id.lastIndexOf('.'); i > 0; i = id.lastIndexOf('.', i - 1)) if (removedIds.has(id.slice(0, i))) return true;
    return false;
  };

  // 4. Removed or renamed symbols that something still references (reported at the outermost removed one).
  for (const n of beforeNodes) {
    if (!removedIds.has(n.id) || broken.has(n.file) || (containerRemoved(n.id) && !removedFiles.has(n.file))) continue;
    const fileGone = removedFiles.has(n.file);
    const sites: BreakageSite[] = [];
    let viaSuper = false;
    for (const src of c.referrers(n.id)) {
      if (src.startsWith(`${n.id}.`)) continue;
      const sn = g.getNodeAttributes(src);
      if (sn.file === '' || removedFiles.has(sn.file)) continue;
      const r = c.rangeOf(src, sn);
      if (!r) continue;
      // Dunder methods are reached through syntax (`Cls()`, `obj()`), not by name.
      const dunder = n.name.startsWith('__') && n.name.endsWith('__');
      const needle = n.name === '__init__' ? (n.id.split('.').slice(-2, -1)[0] ?? n.name) : n.name;
      const line = c.mention(r.file, r.start, r.end, needle) ?? (dunder ? r.start : null);
      if (line === null) continue;
      if (c.callsIn(r.file, r.start, r.end, n.name).some((call) => call.receiver?.startsWith('super(') === true)) viaSuper = true;
      sites.push({ file: r.file, line, symbol: src });
    }
    if (sites.length === 0) continue;
    if (fileGone) {
      c.add('module_removed', moduleIdOf(n.file).module, `module ${moduleIdOf(n.file).module} (${n.file}) was moved or deleted but is still imported or used`, sites);
    } else if (viaSuper && n.kind === 'method') {
      c.add('override_incompatible', n.id, `base method ${n.id} was removed but subclasses still call it through super()`, sites);
    } else {
      c.add('removed_or_renamed', n.id, `${n.kind} ${n.id} was removed or renamed but is still ${n.kind === 'class' ? 'referenced or subclassed' : 'referenced'}`, sites);
    }
  }

  // 5. Imports from changed or deleted modules, in unchanged importers and in the changed files.
  const importers = new Set<string>();
  for (const n of beforeNodes) {
    if (n.kind !== 'module') continue;
    for (const src of c.referrers(n.id, new Set(['imports', 'uses', 'calls']))) {
      const f = g.getNodeAttributes(src).file;
      if (f && !c.after.has(f)) importers.add(f);
    }
  }
  for (const n of beforeNodes) {
    if (n.kind === 'module') continue;
    for (const src of c.referrers(n.id, new Set(['imports']))) {
      const f = g.getNodeAttributes(src).file;
      if (f && !c.after.has(f)) importers.add(f);
    }
  }
  const checkImports = (rel: string, ir: FileIR, introducedOnly: () => Set<string> | null) => {
    for (const s of ir.scopes) {
      for (const st of s.stmts) {
        if (st.k !== 'imp' && st.k !== 'from') continue;
        if (!isProjectModule(st.mod)) continue;
        const key = st.k === 'from' ? `${st.mod}:${st.name}` : st.mod;
        const site = { file: rel, line: st.line, symbol: s.id };
        const fromOk = st.k !== 'from' || st.name === '*' || nameInModule(st.mod, st.name);
        if (moduleExistsAfter(st.mod) && fromOk) continue;
        if (introducedOnly()?.has(key)) continue;
        if (!moduleExistsAfter(st.mod)) {
          const wasThere = g.hasNode(st.mod) && g.getNodeAttributes(st.mod).kind === 'module';
          if (wasThere && c.changedModules.has(st.mod)) c.add('module_removed', st.mod, `module ${st.mod} was moved or deleted but is still imported`, [site]);
          else if (!wasThere || c.after.has(rel)) c.add('unresolved_import', st.mod, `import of ${st.mod} does not resolve: no such module in the project`, [site]);
          continue;
        }
        if (st.k === 'from' && st.name !== '*' && !nameInModule(st.mod, st.name)) {
          const id = `${st.mod}.${st.name}`;
          if (c.changedModules.has(st.mod) && g.hasNode(id) && !c.after.has(rel)) c.add('removed_or_renamed', id, `${id} was removed or renamed but is still imported`, [site]);
          else c.add('unresolved_import', id, `'from ${st.mod} import ${st.name}' does not resolve: ${st.mod} defines no ${st.name}`, [site]);
        }
      }
    }
  };
  const unresolvedImportKeys = (ir: FileIR): Set<string> => {
    const out = new Set<string>();
    for (const s of ir.scopes)
      for (const st of s.stmts) {
        if (st.k !== 'imp' && st.k !== 'from') continue;
        const key = st.k === 'from' ? `${st.mod}:${st.name}` : st.mod;
        const bn = st.k === 'from' ? `${st.mod}.${st.name}` : st.mod;
        if (isProjectModule(st.mod) && !g.hasNode(bn) && !(g.hasNode(st.mod) && st.k === 'from' && hasStar(st.mod))) out.add(key);
      }
    return out;
  };
  // Only names a changed module lost can break an importer; files that never mention one are skipped unparsed.
  const lost = new Set<string>();
  for (const n of beforeNodes) {
    const parent = n.id.slice(0, n.id.length - n.name.length - 1);
    if (n.kind !== 'module' && c.changedModules.has(parent) && !idsAfter.has(n.id)) lost.add(n.name);
    if (n.kind === 'module' && removedFiles.has(n.file)) lost.add(n.name);
  }
  const lostRe = lost.size === 0 ? null : new RegExp(`\\b(${[...lost].map((x) => x.replace(/[^A-Za-z0-9_]/g, '')).join('|')})\\b`);
  for (const rel of lostRe ? importers : []) {
    const t = c.text(rel);
    if (t === null || !lostRe?.test(t)) continue;
    checkImports(rel, extractFile(pp, rel, t).ir, () => null);
  }
  for (const a of c.after.values()) {
    if (!a.ir) continue;
    // Imports that were already unresolved before the change are not the change's fault.
    let already: Set<string> | null | undefined;
    const alreadyBroken = (): Set<string> | null => {
      if (already === undefined) {
        const oldText = sameTree ? null : readText(path.join(beforeRoot, a.rel));
        already = oldText === null || oldText === a.text ? null : unresolvedImportKeys(extractFile(pp, a.rel, oldText).ir);
      }
      return already;
    };
    checkImports(a.rel, a.ir, alreadyBroken);
  }

  // 6. Names the change left unbound in the changed files.
  for (const a of c.after.values()) {
    if (!a.ir || !a.facts || a.facts.syntaxErrors.length > 0) continue;
    if (a.ir.scopes.some((s) => s.stmts.some((st) => st.k === 'star'))) continue;
    const unbound = (f: FileFacts) => [...f.names.loads].filter(([n]) => !f.names.bound.has(n) && !PYTHON_BUILTINS.has(n) && !MODULE_DUNDERS.has(n));
    const now = unbound(a.facts);
    if (now.length === 0) continue;
    const old = c.beforeFacts(a.rel, sameTree);
    const before = old === null ? new Set<string>() : new Set(unbound(old).map(([n]) => n));
    for (const [name, line] of now) {
      if (before.has(name)) continue;
      const scope = [...a.ir.scopes].reverse().find((s) => s.line <= line && (s.kind === 'module' || line <= s.endLine));
      c.add('unresolved_name', `${a.ir.module}:${name}`, `name '${name}' is not defined anywhere in ${a.rel} (not imported, assigned or a builtin)`, [{ file: a.rel, line, symbol: scope?.id ?? a.ir.module }]);
    }
  }

  // 7. Signatures, overrides and return shapes of callables that still exist.
  for (const n of beforeNodes) {
    if ((n.kind !== 'function' && n.kind !== 'method') || !n.signature || broken.has(n.file)) continue;
    const s = c.afterScopes.get(n.id);
    if (!s || s.kind !== 'function') continue;
    const afterFile = c.after.get(n.file);
    const newParams = paramsOf(s);
    const oldParams = n.signature.params;
    const callerIds = new Set(c.referrers(n.id, new Set(['calls'])));
    const isInit = n.name === '__init__';
    const clsId = n.kind === 'method' ? n.id.slice(0, n.id.length - n.name.length - 1) : null;
    if (isInit && clsId) for (const src of c.referrers(clsId, new Set(['calls']))) callerIds.add(src);

    const sites = (check: (call: CallSite, bound: boolean) => string | null): { sites: BreakageSite[]; reason: string } => {
      const out: BreakageSite[] = [];
      let reason = '';
      for (const src of callerIds) {
        const sn = g.getNodeAttributes(src);
        if (sn.file === '' || removedFiles.has(sn.file)) continue;
        const r = c.rangeOf(src, sn);
        if (!r) continue;
        const names = isInit && clsId ? [n.name, clsId.split('.').pop() ?? ''] : [n.name];
        for (const name of names) {
          for (const call of c.callsIn(r.file, r.start, r.end, name)) {
            const bound = isInit ? true : isBoundCall(n, call);
            const why = check(call, bound);
            if (why) {
              out.push({ file: r.file, line: call.line, symbol: src });
              reason ||= why;
            }
          }
        }
      }
      return { sites: out, reason };
    };

    if (!sameSignature(oldParams, newParams)) {
      const r = sites((call, bound) => {
        if (callMismatch(visibleParams(oldParams, bound), call) !== null) return null;
        return callMismatch(visibleParams(newParams, bound), call);
      });
      if (r.sites.length > 0) c.add('signature_incompatible', n.id, `${n.id}${formatParams(newParams)} changed from ${formatParams(oldParams)}: it ${r.reason}`, r.sites);
      // An override must still take every call its base takes.
      if (n.kind === 'method' && clsId && g.hasNode(clsId)) {
        g.forEachOutEdge(clsId, (_e, attr) => {
          if (attr.kind !== 'inherits') return;
          const baseId = `${attr.target}.${n.name}`;
          const base = g.hasNode(baseId) ? g.getNodeAttributes(baseId) : undefined;
          if (!base?.signature) return;
          const newWhy = overrideMismatch(base.signature.params, newParams);
          if (newWhy === null || overrideMismatch(base.signature.params, oldParams) !== null) return;
          const s2 = c.afterScopes.get(n.id);
          c.add('override_incompatible', n.id, `${n.id} overrides ${baseId} but ${newWhy}`, [{ file: n.file, line: s2?.line ?? n.lineStart, symbol: n.id }]);
        });
      }
    }

    // Return shape: tuple unpacking at call sites that no longer matches what is returned.
    if (afterFile?.facts) {
      const newArity = arityNear(afterFile.facts, s.line);
      if (newArity !== undefined && newArity >= 0) {
        const oldArity = arityNear(c.beforeFacts(n.file, sameTree), n.lineStart);
        if (oldArity !== newArity) {
          const r = sites((call) => (call.unpack !== undefined && call.unpack !== newArity ? `unpacks ${call.unpack} values` : null));
          if (r.sites.length > 0) c.add('return_shape_changed', n.id, `${n.id} now returns a ${newArity}-tuple but a caller ${r.reason}`, r.sites);
        }
      }
    }
  }
  return { complete: c.complete, breakages: c.breakages(), ms: performance.now() - t0 };
}

/**
 * Checks a change against the project's graph before it: every symbol, signature, import and
 * return shape the rest of the project relies on must still fit. Only the changed files and the
 * files that reference their symbols are parsed; the graph of the rest is reused as it is.
 *
 * @example
 * const r = await validateChange({ before: engine, shadowRoot: '/tmp/shadow', changedFiles: ['pkg/a.py'] });
 * r.map((v) => v.breakages.map((b) => b.explanation));
 */
export function validateChange(options: ValidateChangeOptions): ResultAsync<ValidationResult, GnnError> {
  return ResultAsync.fromPromise(
    loadPythonParser().then((pp) => run(options, pp)),
    (e): GnnError => makeError('internal', `validateChange failed: ${describeUnknown(e)}`),
  );
}
