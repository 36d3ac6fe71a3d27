import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Language, Parser, Query } from 'web-tree-sitter';

/** A ready Python parser with the package's queries compiled. */
export interface PythonParser {
  readonly parser: Parser;
  readonly language: Language;
  readonly docstrings: Query;
  readonly diagnostics: Query;
}

let shared: Promise<PythonParser> | undefined;

/**
 * The wasm exports a tree cursor walk needs, called without web-tree-sitter's per-call copying
 * of the cursor into and out of its transfer buffer (see light-tree.ts). Each takes the tree's
 * address and works on the cursor held in the transfer buffer.
 */
export interface RawCursorOps {
  readonly transferBuffer: number;
  heap32(): Int32Array;
  readonly gotoFirstChild: (tree: number) => number;
  readonly gotoNextSibling: (tree: number) => number;
  readonly gotoParent: (tree: number) => number;
  readonly typeId: (tree: number) => number;
  readonly fieldId: (tree: number) => number;
  readonly startIndex: (tree: number) => number;
  readonly endIndex: (tree: number) => number;
}

let rawOps: RawCursorOps | null = null;

/** The raw cursor operations, or null when this process's web-tree-sitter runtime was started elsewhere. */
export function rawCursorOps(): RawCursorOps | null {
  return rawOps;
}

type Fn = (tree: number) => number;

// web-tree-sitter's runtime is an Emscripten module built on the options object given to
// Parser.init, so the wasm exports end up on that object. If another library started the
// runtime first, the object stays empty and the cursor API is used instead.
function rawOpsOf(m: Record<string, unknown>): RawCursorOps | null {
  const fn = (name: string): Fn | null => (typeof m[name] === 'function' ? (m[name] as Fn) : null);
  const init = m['_ts_init'];
  const ops = {
    gotoFirstChild: fn('_ts_tree_cursor_goto_first_child_wasm'),
    gotoNextSibling: fn('_ts_tree_cursor_goto_next_sibling_wasm'),
    gotoParent: fn('_ts_tree_cursor_goto_parent_wasm'),
    typeId: fn('_ts_tree_cursor_current_node_type_id_wasm'),
    fieldId: fn('_ts_tree_cursor_current_field_id_wasm'),
    startIndex: fn('_ts_tree_cursor_start_index_wasm'),
    endIndex: fn('_ts_tree_cursor_end_index_wasm'),
  };
  if (typeof init !== 'function' || !(m['HEAP32'] instanceof Int32Array) || Object.values(ops).some((f) => f === null)) return null;
  return {
    // ts_init only writes the two ABI version numbers into the buffer and returns its address.
    transferBuffer: (init as () => number)(),
    // Read each time: the view is replaced when wasm memory grows.
    heap32: () => m['HEAP32'] as Int32Array,
    ...(ops as { [K in keyof typeof ops]: Fn }),
  };
}

function queriesDir(): string {
  // Source (src/parse) and built (dist) layouts differ, so walk up to the folder holding queries/.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'queries');
    if (existsSync(path.join(candidate, 'python-docstrings.scm'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('gnn: queries/ folder not found next to the package');
}

/**
 * Loads web-tree-sitter and the Python grammar once per process (lazily, never at import).
 * The wasm runtime is global, so one parser is shared by every engine.
 */
export function loadPythonParser(): Promise<PythonParser> {
  shared ??= (async () => {
    const runtime: Record<string, unknown> = {};
    await Parser.init(runtime as Parameters<typeof Parser.init>[0]);
    rawOps = rawOpsOf(runtime);
    const require = createRequire(import.meta.url);
    const language = await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
    const parser = new Parser();
    parser.setLanguage(language);
    const dir = queriesDir();
    const load = (name: string) => new Query(language, readFileSync(path.join(dir, name), 'utf8'));
    return { parser, language, docstrings: load('python-docstrings.scm'), diagnostics: load('python-diagnostics.scm') };
  })();
  return shared;
}
