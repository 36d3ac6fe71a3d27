import type { Language, Tree, TreeCursor } from 'web-tree-sitter';
import { rawCursorOps, type RawCursorOps } from './parser.js';

interface SourceInfo {
  readonly text: string;
  readonly lineStarts: Int32Array;
}

/**
 * A plain-JS copy of a syntax tree, made in one cursor pass. Reading node properties through
 * web-tree-sitter crosses into wasm and allocates on every access; the extractor reads each node
 * many times, so copying first is about ten times faster. Offsets are UTF-16 indices (what
 * web-tree-sitter reports for JS strings), so `text` is a plain slice.
 */
// Shared by every leaf (most nodes): one array per node was a large part of a copy's garbage.
const NO_CHILDREN: LNode[] = Object.freeze([]) as unknown as LNode[];

export class LNode {
  private kids: LNode[] = NO_CHILDREN;
  private named?: LNode[];

  constructor(
    readonly id: number,
    readonly type: string,
    readonly isNamed: boolean,
    readonly field: string | null,
    readonly startIndex: number,
    readonly endIndex: number,
    private readonly src: SourceInfo,
  ) {}

  get children(): LNode[] {
    return this.kids;
  }

  /** Used while copying only. */
  append(child: LNode): void {
    if (this.kids === NO_CHILDREN) this.kids = [child];
    else this.kids.push(child);
  }

  get text(): string {
    return this.src.text.slice(this.startIndex, this.endIndex);
  }

  get namedChildren(): LNode[] {
    this.named ??= this.kids === NO_CHILDREN ? NO_CHILDREN : this.kids.filter((c) => c.isNamed);
    return this.named;
  }

  childForFieldName(field: string): LNode | null {
    for (const c of this.children) if (c.field === field) return c;
    return null;
  }

  private row(index: number): number {
    const ls = this.src.lineStarts;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((ls[mid] as number) <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  get startPosition(): { row: number; column: number } {
    const row = this.row(this.startIndex);
    return { row, column: this.startIndex - (this.src.lineStarts[row] as number) };
  }

  get endPosition(): { row: number; column: number } {
    const row = this.row(Math.max(this.startIndex, this.endIndex - 1));
    return { row, column: this.endIndex - (this.src.lineStarts[row] as number) };
  }
}

function lineStarts(text: string): Int32Array {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return Int32Array.from(starts);
}

// Whether each node type id is named, per language: asked of wasm once per type, not per node.
const namedTypes = new WeakMap<Language, boolean[]>();

/** The cursor moves and reads a copy needs, over the TreeCursor API or the wasm exports. */
interface Walker {
  first(): boolean;
  next(): boolean;
  parent(): void;
  typeId(): number;
  fieldId(): number;
  start(): number;
  end(): number;
}

// Each getter crosses into wasm, copying the cursor's four words in and out around the call.
function cursorWalker(c: TreeCursor): Walker {
  return {
    first: () => c.gotoFirstChild(),
    next: () => c.gotoNextSibling(),
    parent: () => void c.gotoParent(),
    typeId: () => c.nodeTypeId,
    fieldId: () => c.currentFieldId,
    start: () => c.startIndex,
    end: () => c.endIndex,
  };
}

/*
 * The wasm exports directly. Every TreeCursor method copies the cursor's four words into wasm's
 * transfer buffer and back around its call, which is most of a walk's cost (2.2 million nodes in
 * the stdlib: 1.8 s against 0.7 s). Here the words stay in the buffer for the whole walk (a
 * TreeCursor getter put them there) and go back into the TreeCursor at the end (restoreCursor),
 * so that `delete()` frees the cursor's current stack.
 */
function rawWalker(raw: RawCursorOps, tree: Tree): Walker {
  const t = (tree as unknown as { 0: number })[0];
  return {
    first: () => raw.gotoFirstChild(t) === 1,
    next: () => raw.gotoNextSibling(t) === 1,
    parent: () => void raw.gotoParent(t),
    typeId: () => raw.typeId(t),
    fieldId: () => raw.fieldId(t),
    start: () => raw.startIndex(t),
    end: () => raw.endIndex(t),
  };
}

function restoreCursor(raw: RawCursorOps, cursor: TreeCursor): void {
  const handles = (cursor as unknown as { handles: number[] }).handles;
  const heap = raw.heap32();
  const at = raw.transferBuffer >> 2;
  for (let i = 0; i < 4; i++) handles[i] = heap[at + i] as number;
}

/**
 * Copies a tree. `raw` defaults to the direct wasm walk when this process has it; null takes the
 * TreeCursor API (the same result, slower).
 */
export function lightTree(tree: Tree, text: string, raw: RawCursorOps | null = rawCursorOps()): LNode {
  const src: SourceInfo = { text, lineStarts: lineStarts(text) };
  const language = tree.language;
  const { types, fields } = language;
  let named = namedTypes.get(language);
  if (!named) namedTypes.set(language, (named = []));
  const isNamed = (typeId: number): boolean => (named[typeId] ??= language.nodeTypeIsNamed(typeId));
  const cursor = tree.walk();
  try {
    let id = 0;
    // Read through the TreeCursor in both cases: this also puts the cursor into the transfer buffer.
    const root = new LNode(id++, cursor.nodeType, true, null, cursor.startIndex, cursor.endIndex, src);
    const w = raw ? rawWalker(raw, tree) : cursorWalker(cursor);
    try {
      const stack: LNode[] = [root];
      if (!w.first()) return root;
      for (;;) {
        // Type and field names come from the language's tables, not from wasm.
        const typeId = w.typeId();
        const node = new LNode(id++, types[typeId] || 'ERROR', isNamed(typeId), fields[w.fieldId()] ?? null, w.start(), w.end(), src);
        (stack[stack.length - 1] as LNode).append(node);
        if (w.first()) {
          stack.push(node);
          continue;
        }
        while (!w.next()) {
          if (stack.length === 1) return root;
          w.parent();
          stack.pop();
        }
      }
    } finally {
      if (raw) restoreCursor(raw, cursor);
    }
  } finally {
    cursor.delete();
  }
}
