import type { Node as TsNode } from 'web-tree-sitter';
import type { PythonParser } from '../parse/parser.js';

/** One call expression, as much of it as the guard needs to check it against a signature. */
export interface CallSite {
  readonly line: number;
  /** Source text of the called expression (`f`, `mod.f`, `self.m`, `super().m`). */
  readonly callee: string;
  /** Last name of the callee (`m` for `self.m`). */
  readonly name: string;
  /** The receiver text when the callee is an attribute (`self`, `super()`, `Cls`). */
  readonly receiver: string | null;
  readonly positional: number;
  readonly keywords: readonly string[];
  /** `*x` or `**x` in the arguments: the count is unknown, so the site is never judged. */
  readonly splat: boolean;
  /** Arity of the tuple target when the call is unpacked (`a, b = f()`). */
  readonly unpack?: number;
}

/** Names a file reads and binds, for finding names the change left unresolved. */
export interface NameFacts {
  readonly loads: Map<string, number>;
  readonly bound: Set<string>;
}

/** Everything the guard reads from one file's syntax tree. */
export interface FileFacts {
  readonly calls: CallSite[];
  readonly names: NameFacts;
  readonly syntaxErrors: { line: number; message: string }[];
  /** Returned tuple arity by function (start line of the def); -1 when returns disagree or are not tuples. */
  readonly returnArity: Map<number, number>;
}

const BINDING_PARENTS = new Set(['parameters', 'lambda_parameters', 'default_parameter', 'typed_parameter', 'typed_default_parameter', 'list_splat_pattern', 'dictionary_splat_pattern', 'keyword_separator']);

function callFacts(node: TsNode): CallSite {
  const fn = node.childForFieldName('function');
  const args = node.childForFieldName('arguments');
  let positional = 0;
  const keywords: string[] = [];
  let splat = false;
  if (args?.type === 'generator_expression') positional = 1;
  else if (args) {
    for (const a of args.namedChildren) {
      if (!a) continue;
      if (a.type === 'keyword_argument') keywords.push(a.childForFieldName('name')?.text ?? '');
      else if (a.type === 'list_splat' || a.type === 'dictionary_splat') splat = true;
      else if (a.type !== 'comment') positional++;
    }
  }
  const isAttr = fn?.type === 'attribute';
  const name = isAttr ? (fn.childForFieldName('attribute')?.text ?? '') : (fn?.text ?? '');
  const receiver = isAttr ? (fn.childForFieldName('object')?.text ?? null) : null;
  let unpack: number | undefined;
  const parent = node.parent;
  if (parent?.type === 'assignment' && parent.childForFieldName('right')?.id === node.id) {
    const left = parent.childForFieldName('left');
    if (left && (left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'list_pattern')) {
      const items = left.namedChildren.filter((c) => c !== null);
      if (!items.some((c) => c.type === 'list_splat_pattern')) unpack = items.length;
    }
  }
  return { line: node.startPosition.row + 1, callee: fn?.text ?? '', name, receiver, positional, keywords, splat, ...(unpack === undefined ? {} : { unpack }) };
}

function returnTupleArity(ret: TsNode): number {
  const v = ret.namedChildren[0];
  if (!v) return -1;
  if (v.type === 'expression_list' || v.type === 'tuple') {
    const items = v.namedChildren.filter((c) => c !== null);
    return items.some((c) => c.type === 'list_splat') ? -1 : items.length;
  }
  return -1;
}

/**
 * Parses one file and collects call sites, name loads and bindings, syntax errors and the
 * tuple arity of each function's returns. Iterative walk: deeply nested files must not overflow.
 */
export function extractFacts(pp: PythonParser, source: string): FileFacts {
  const tree = pp.parser.parse(source);
  const calls: CallSite[] = [];
  const loads = new Map<string, number>();
  const bound = new Set<string>();
  const syntaxErrors: { line: number; message: string }[] = [];
  const returnArity = new Map<number, number>();
  if (!tree) return { calls, names: { loads, bound }, syntaxErrors: [{ line: 1, message: 'parser returned no tree' }], returnArity };
  try {
    const fnStack: { line: number; node: TsNode }[] = [];
    const stack: TsNode[] = [tree.rootNode];
    while (stack.length > 0) {
      const n = stack.pop();
      if (!n) break;
      if (n.type === 'ERROR' || n.isMissing) {
        syntaxErrors.push({ line: n.startPosition.row + 1, message: n.isMissing ? `missing ${n.type}` : `invalid syntax near '${n.text.slice(0, 30).split('\n')[0]}'` });
      }
      switch (n.type) {
        case 'call':
          calls.push(callFacts(n));
          break;
        case 'function_definition':
        case 'class_definition': {
          const nm = n.childForFieldName('name')?.text;
          if (nm) bound.add(nm);
          if (n.type === 'function_definition') fnStack.push({ line: n.startPosition.row + 1, node: n });
          break;
        }
        case 'return_statement': {
          // The innermost enclosing def: the last on fnStack whose range holds this node.
          for (let i = fnStack.length - 1; i >= 0; i--) {
            const f = fnStack[i];
            if (f && f.node.startIndex <= n.startIndex && n.endIndex <= f.node.endIndex) {
              const a = returnTupleArity(n);
              const prev = returnArity.get(f.line);
              returnArity.set(f.line, prev === undefined || prev === a ? a : -1);
              break;
            }
          }
          break;
        }
        case 'identifier': {
          const p = n.parent;
          const t = n.text;
          if (!p) break;
          if (p.type === 'attribute' && p.childForFieldName('attribute')?.id === n.id) break;
          if (p.type === 'keyword_argument' && p.childForFieldName('name')?.id === n.id) break;
          if (BINDING_PARENTS.has(p.type)) {
            bound.add(t);
            break;
          }
          if ((p.type === 'function_definition' || p.type === 'class_definition') && p.childForFieldName('name')?.id === n.id) break;
          if (p.type === 'dotted_name' || p.type === 'aliased_import' || p.type === 'import_from_statement' || p.type === 'global_statement' || p.type === 'nonlocal_statement') {
            bound.add(t);
            break;
          }
          if (isStoreContext(n)) bound.add(t);
          else if (!loads.has(t)) loads.set(t, n.startPosition.row + 1);
          break;
        }
        default:
          break;
      }
      const kids = n.children;
      for (let i = kids.length - 1; i >= 0; i--) {
        const k = kids[i];
        if (k) stack.push(k);
      }
    }
  } finally {
    tree.delete();
  }
  return { calls, names: { loads, bound }, syntaxErrors, returnArity };
}

/** Whether an identifier is an assignment / loop / with / except / comprehension / walrus target. */
function isStoreContext(n: TsNode): boolean {
  let cur: TsNode = n;
  for (let p = n.parent; p; cur = p, p = p.parent) {
    switch (p.type) {
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'list_splat_pattern':
      case 'as_pattern_target':
        continue;
      case 'assignment':
      case 'augmented_assignment':
        return p.childForFieldName('left')?.id === cur.id;
      case 'for_statement':
      case 'for_in_clause':
        return p.childForFieldName('left')?.id === cur.id;
      case 'named_expression':
        return p.childForFieldName('name')?.id === cur.id;
      case 'as_pattern':
        return p.childForFieldName('alias')?.id === cur.id || cur.type === 'as_pattern_target';
      case 'except_clause':
        return false;
      default:
        return false;
    }
  }
  return false;
}
