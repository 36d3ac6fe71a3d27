import type { Language, Tree } from 'web-tree-sitter';

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
export class LNode {
  readonly children: LNode[] = [];
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

  get text(): string {
    return this.src.text.slice(this.startIndex, this.endIndex);
  }

  get namedChildren(): LNode[] {
    this.named ??= this.children.filter((c) => c.isNamed);
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

export function lightTree(tree: Tree, text: string): LNode {
  const src: SourceInfo = { text, lineStarts: lineStarts(text) };
  const language = tree.language;
  const { types, fields } = language;
  let named = namedTypes.get(language);
  if (!named) namedTypes.set(language, (named = []));
  const isNamed = (typeId: number): boolean => (named[typeId] ??= language.nodeTypeIsNamed(typeId));
  const cursor = tree.walk();
  let id = 0;
  try {
    const root = new LNode(id++, cursor.nodeType, true, null, cursor.startIndex, cursor.endIndex, src);
    const stack: LNode[] = [root];
    if (!cursor.gotoFirstChild()) return root;
    for (;;) {
      // Each cursor getter crosses into wasm; type and field names come from the language's tables.
      const typeId = cursor.nodeTypeId;
      const node = new LNode(id++, types[typeId] || 'ERROR', isNamed(typeId), fields[cursor.currentFieldId] ?? null, cursor.startIndex, cursor.endIndex, src);
      (stack[stack.length - 1] as LNode).children.push(node);
      if (cursor.gotoFirstChild()) {
        stack.push(node);
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (stack.length === 1) return root;
        cursor.gotoParent();
        stack.pop();
      }
    }
  } finally {
    cursor.delete();
  }
}
