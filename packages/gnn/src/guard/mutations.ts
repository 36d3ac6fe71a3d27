import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Node as TsNode } from 'web-tree-sitter';
import type { GraphEngine } from '../engine.js';
import type { PythonParser } from '../parse/parser.js';
import type { GraphNode } from '../types.js';
import { extractFacts } from './call-sites.js';
import { callMismatch, visibleParams } from './signature.js';

/** One programmatic change to a real project, and whether it must be blocked. */
export interface Mutation {
  readonly id: string;
  readonly what: string;
  readonly breaking: boolean;
  readonly file: string;
  /** The file's new text, or null to delete it. */
  readonly text: string | null;
}

interface DefInfo {
  readonly row: number;
  readonly endRow: number;
  readonly name: string;
  readonly kind: 'function' | 'class';
  readonly header: string;
  readonly params: string;
  readonly paramNames: string[];
  readonly hasStar: boolean;
  readonly hasKwSplat: boolean;
  readonly firstBodyRow: number;
  readonly bodyIndent: string;
  readonly returns: { row: number; text: string; tuple: number }[];
}

function defsOf(pp: PythonParser, text: string): Map<number, DefInfo> {
  const out = new Map<number, DefInfo>();
  const tree = pp.parser.parse(text);
  if (!tree) return out;
  try {
    const stack: TsNode[] = [tree.rootNode];
    while (stack.length > 0) {
      const n = stack.pop();
      if (!n) break;
      if (n.type === 'function_definition' || n.type === 'class_definition') {
        const name = n.childForFieldName('name')?.text ?? '';
        const params = n.childForFieldName('parameters');
        const body = n.childForFieldName('body');
        const pn = params?.namedChildren.filter((c) => c !== null) ?? [];
        const names = pn.map((c) => (c.type === 'identifier' ? c.text : (c.childForFieldName('name')?.text ?? c.namedChildren[0]?.text ?? '')));
        let first = body?.namedChildren[0] ?? null;
        if (first?.type === 'expression_statement' && first.namedChildren[0]?.type === 'string') first = body?.namedChildren[1] ?? null;
        const returns: DefInfo['returns'] = [];
        const walk: TsNode[] = body ? [body] : [];
        while (walk.length > 0) {
          const b = walk.pop();
          if (!b) break;
          if (b.type === 'function_definition' || b.type === 'class_definition' || b.type === 'lambda') continue;
          if (b.type === 'return_statement') {
            const v = b.namedChildren[0];
            const tuple = v && (v.type === 'expression_list' || v.type === 'tuple') ? v.namedChildren.length : -1;
            returns.push({ row: b.startPosition.row, text: b.text, tuple });
          }
          for (const k of b.namedChildren) if (k) walk.push(k);
        }
        const headerEnd = body ? body.startPosition.row : n.startPosition.row;
        out.set(n.startPosition.row, {
          row: n.startPosition.row,
          endRow: n.endPosition.row,
          name,
          kind: n.type === 'class_definition' ? 'class' : 'function',
          header: text.split('\n').slice(n.startPosition.row, Math.max(n.startPosition.row + 1, headerEnd)).join('\n'),
          params: params?.text ?? '',
          paramNames: names,
          // `*args: T` / `**kw: T` are typed_parameters wrapping the splat pattern.
          hasStar: pn.some((c) => c.type === 'list_splat_pattern' || c.type === 'keyword_separator' || (c.type === 'typed_parameter' && c.namedChildren[0]?.type === 'list_splat_pattern')),
          hasKwSplat: pn.some((c) => c.type === 'dictionary_splat_pattern' || (c.type === 'typed_parameter' && c.namedChildren[0]?.type === 'dictionary_splat_pattern')),
          firstBodyRow: first ? first.startPosition.row : -1,
          bodyIndent: first ? ' '.repeat(first.startPosition.column) : '',
          returns,
        });
      }
      for (const k of n.namedChildren) if (k) stack.push(k);
    }
  } finally {
    tree.delete();
  }
  return out;
}

function replaceHeader(text: string, d: DefInfo, newParams: string): string | null {
  const lines = text.split('\n');
  const headerLines = d.header.split('\n').length;
  const head = lines.slice(d.row, d.row + headerLines).join('\n');
  const at = head.indexOf(d.params);
  if (at < 0) return null;
  const replaced = head.slice(0, at) + newParams + head.slice(at + d.params.length);
  return [...lines.slice(0, d.row), replaced, ...lines.slice(d.row + headerLines)].join('\n');
}

function withParam(d: DefInfo, param: string): string | null {
  if (d.hasKwSplat) return null;
  const inner = d.params.slice(1, -1).replace(/,\s*$/, '').trimEnd();
  if (inner.includes('#')) return null;
  const sep = d.hasStar ? param : `*, ${param}`;
  return inner.trim() === '' ? `(${sep})` : `(${inner}, ${sep})`;
}

/**
 * Generates breaking and compatible mutations of one project from its graph. Deterministic:
 * symbols are visited in id order; at most `perKind` of each kind per project.
 */
export function generateMutations(engine: GraphEngine, pp: PythonParser, perKind: number): Mutation[] {
  const g = engine.graph;
  const texts = new Map<string, string>();
  const textOf = (f: string) => {
    let t = texts.get(f);
    if (t === undefined) {
      t = readFileSync(path.join(engine.root, f), 'utf8');
      texts.set(f, t);
    }
    return t;
  };
  const defsCache = new Map<string, Map<number, DefInfo>>();
  const defs = (f: string) => {
    let d = defsCache.get(f);
    if (!d) {
      d = defsOf(pp, textOf(f));
      defsCache.set(f, d);
    }
    return d;
  };
  const defOf = (n: GraphNode): DefInfo | undefined => {
    const d = defs(n.file);
    for (let r = n.lineStart - 1; r <= n.lineStart + 8; r++) {
      const x = d.get(r);
      if (x && x.name === n.name) return x;
    }
    return undefined;
  };
  const refsFromOtherFiles = (n: GraphNode) => {
    const out: GraphNode[] = [];
    g.forEachInEdge(n.id, (_e, a) => {
      if (a.kind === 'contains' || a.kind === 'data_flow') return;
      const s = g.getNodeAttributes(a.source);
      if (s.file && s.file !== n.file && !s.id.startsWith(`${n.id}.`)) out.push(s);
    });
    return out;
  };
  const callSites = (n: GraphNode) => {
    const out: { file: string; call: ReturnType<typeof extractFacts>['calls'][number] }[] = [];
    const callers = new Set<string>();
    g.forEachInEdge(n.id, (_e, a) => {
      if (a.kind === 'calls') callers.add(a.source);
    });
    for (const c of callers) {
      const s = g.getNodeAttributes(c);
      if (!s.file) continue;
      const facts = extractFacts(pp, textOf(s.file));
      const end = s.kind === 'module' ? Number.MAX_SAFE_INTEGER : s.lineEnd;
      for (const call of facts.calls) if (call.name === n.name && call.line >= s.lineStart && call.line <= end) out.push({ file: s.file, call });
    }
    return out;
  };

  const nodes: GraphNode[] = [];
  g.forEachNode((_id, n) => {
    if (n.file && (n.kind === 'function' || n.kind === 'method' || n.kind === 'class' || n.kind === 'module')) nodes.push(n);
  });
  nodes.sort((a, b) => (a.id < b.id ? -1 : 1));
  const out: Mutation[] = [];
  const count = new Map<string, number>();
  const push = (what: string, breaking: boolean, file: string, text: string | null, sym: string) => {
    const c = count.get(what) ?? 0;
    if (c >= perKind) return;
    count.set(what, c + 1);
    out.push({ id: `${what}:${sym}`, what, breaking, file, text });
  };
  const full = (what: string) => (count.get(what) ?? 0) >= perKind;
  let i = 0;
  let lastModule: string | null = null;
  for (const n of nodes) {
    i++;
    const refs = n.kind === 'module' ? [] : refsFromOtherFiles(n);
    const text = textOf(n.file);
    const lines = text.split('\n');
    if (n.kind === 'module') {
      const importers: GraphNode[] = [];
      g.forEachInEdge(n.id, (_e, a) => {
        const s = g.getNodeAttributes(a.source);
        if (a.kind === 'imports' && s.file && s.file !== n.file) importers.push(s);
      });
      if (importers.length > 0 && !n.file.endsWith('__init__.py')) push('delete_module', true, n.file, null, n.id);
      if (!full('add_function')) push('add_function', false, n.file, `${text.replace(/\n*$/, '')}\n\n\ndef zz_added_${i}(value, extra=None):\n    return value\n`, n.id);
      if (!full('add_import')) push('add_import', false, n.file, `${text.replace(/\n*$/, '')}\n\nimport os as _zz_os_${i}  # noqa\n`, n.id);
      // Import a missing name from another plain module (a package may define a module __getattr__).
      if (!full('unresolved_import') && lastModule && lastModule !== n.id) push('unresolved_import', true, n.file, `${text.replace(/\n*$/, '')}\n\nfrom ${lastModule} import zz_missing_${i}  # noqa\n`, n.id);
      if (!n.file.endsWith('__init__.py') && !/^def __getattr__/m.test(text)) lastModule = n.id;
      continue;
    }
    const d = defOf(n);
    if (!d) continue;
    // Conditionally defined twice (per platform, try/except): removing one copy breaks nothing.
    if (text.split(new RegExp(`\\b(def|class)\\s+${d.name}\\b`)).length > 4) continue;
    // A def that shadows a module-level assignment of the same name leaves the name bound when removed.
    if (new RegExp(`^${d.name}\\s*[:=]`, 'm').test(text)) continue;
    const top = n.id.split('.').length === n.file.replace(/\.py$/, '').replace(/\/__init__$/, '').split('/').length + 1;
    if (refs.length > 0 && top && !full('remove_def')) {
      push('remove_def', true, n.file, [...lines.slice(0, d.row), ...lines.slice(d.endRow + 1)].join('\n'), n.id);
    } else if (refs.length > 0 && !full('rename_def')) {
      const line = lines[d.row] ?? '';
      const renamed = line.replace(new RegExp(`\\b(def|class)\\s+${d.name}\\b`), `$1 ${d.name}_zz_renamed`);
      if (renamed !== line) push('rename_def', true, n.file, [...lines.slice(0, d.row), renamed, ...lines.slice(d.row + 1)].join('\n'), n.id);
    }
    if (d.kind === 'function' && !full('syntax_error') && i % 3 === 0) {
      const line = lines[d.row] ?? '';
      if (d.header.split('\n').length === 1 && /:\s*(#.*)?$/.test(line)) push('syntax_error', true, n.file, [...lines.slice(0, d.row), line.replace(/:\s*(#.*)?$/, ''), ...lines.slice(d.row + 1)].join('\n'), n.id);
    }
    if (d.kind === 'function' && d.firstBodyRow > d.row && !full('unresolved_name') && i % 2 === 0) {
      push('unresolved_name', true, n.file, [...lines.slice(0, d.firstBodyRow), `${d.bodyIndent}zz_undefined_helper_${i}()`, ...lines.slice(d.firstBodyRow)].join('\n'), n.id);
    }
    if (d.kind === 'function' && d.firstBodyRow > d.row && !full('internal_refactor')) {
      push('internal_refactor', false, n.file, [...lines.slice(0, d.firstBodyRow), `${d.bodyIndent}_zz_local_${i} = None`, ...lines.slice(d.firstBodyRow)].join('\n'), n.id);
    }
    if (d.kind === 'function' && n.signature) {
      const sites = callSites(n).filter((s) => !s.call.splat);
      const bound = (call: (typeof sites)[number]['call']) => n.kind === 'method' && call.receiver !== null && !(n.decorators ?? []).includes('staticmethod');
      const okSites = sites.filter((s) => callMismatch(visibleParams(n.signature?.params ?? [], bound(s.call)), s.call) === null);
      const np = withParam(d, `zz_required_${i}`);
      if (np && okSites.length > 0 && !full('add_required_param')) {
        const t = replaceHeader(text, d, np);
        if (t) push('add_required_param', true, n.file, t, n.id);
      }
      const op = withParam(d, `zz_optional_${i}=None`);
      if (op && !full('add_optional_param')) {
        const t = replaceHeader(text, d, op);
        if (t) push('add_optional_param', false, n.file, t, n.id);
      }
      const kwSite = okSites.find((s) => s.call.keywords.some((k) => d.paramNames.includes(k)));
      const kw = kwSite?.call.keywords.find((k) => d.paramNames.includes(k));
      if (kw && !d.hasKwSplat && !full('rename_keyword')) {
        const t = replaceHeader(text, d, d.params.replace(new RegExp(`\\b${kw}\\b`), `${kw}_zz`));
        if (t) push('rename_keyword', true, n.file, t, n.id);
      }
      const unpacks = okSites.filter((s) => s.call.unpack !== undefined);
      if (unpacks.length > 0 && d.returns.length > 0 && d.returns.every((r) => r.tuple > 0 && r.tuple === unpacks[0]?.call.unpack) && !full('return_shape')) {
        let t = lines.slice();
        for (const r of d.returns) t[r.row] = (t[r.row] ?? '').replace(/\s*(#.*)?$/, ', None');
        if (d.returns.every((r) => !r.text.includes('\n'))) push('return_shape', true, n.file, t.join('\n'), n.id);
        t = [];
      }
      if (refs.length === 0 && n.name.startsWith('_') && !n.name.startsWith('__') && !full('rename_unused_private')) {
        const line = lines[d.row] ?? '';
        const mentions = text.split(new RegExp(`\\b${n.name}\\b`)).length - 1;
        if (mentions === 1) push('rename_unused_private', false, n.file, [...lines.slice(0, d.row), line.replace(new RegExp(`\\bdef\\s+${n.name}\\b`), `def ${n.name}_zz`), ...lines.slice(d.row + 1)].join('\n'), n.id);
      }
    }
  }
  return out;
}
