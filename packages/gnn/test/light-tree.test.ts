import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lightTree, type LNode } from '../src/parse/light-tree.js';
import { loadPythonParser, rawCursorOps } from '../src/parse/parser.js';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures');

function pyFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) return pyFiles(p);
    return n.endsWith('.py') ? [p] : [];
  });
}

// A flat, comparable form of the whole tree.
function shape(n: LNode, out: unknown[] = []): unknown[] {
  out.push([n.id, n.type, n.isNamed, n.field, n.startIndex, n.endIndex, n.children.length]);
  for (const c of n.children) shape(c, out);
  return out;
}

describe('lightTree', () => {
  it('walks wasm directly when this process started the runtime', async () => {
    await loadPythonParser();
    expect(rawCursorOps()).not.toBeNull();
  });

  it('copies every fixture file exactly as the TreeCursor walk does, broken and non-ASCII files included', async () => {
    const pp = await loadPythonParser();
    const files = pyFiles(FIXTURES);
    expect(files.length).toBeGreaterThan(300);
    let errors = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const tree = pp.parser.parse(text);
      if (!tree) throw new Error(`no tree for ${f}`);
      try {
        if (tree.rootNode.hasError) errors++;
        const direct = lightTree(tree, text);
        const viaCursor = lightTree(tree, text, null);
        expect(shape(direct), f).toEqual(shape(viaCursor));
        // The tree is still usable afterwards: the cursor was handed back before it was freed.
        expect(tree.rootNode.endIndex).toBe(text.length);
      } finally {
        tree.delete();
      }
    }
    expect(errors).toBeGreaterThan(0);
  });

  it('gives UTF-16 offsets, so a node’s text is a plain slice', async () => {
    const pp = await loadPythonParser();
    const text = readFileSync(path.join(FIXTURES, 'parse', 'broken-unicode.py'), 'utf8');
    const tree = pp.parser.parse(text);
    if (!tree) throw new Error('no tree');
    try {
      const root = lightTree(tree, text);
      const names: string[] = [];
      const visit = (n: LNode) => {
        if (n.type === 'identifier') names.push(n.text);
        n.children.forEach(visit);
      };
      visit(root);
      expect(names).toContain('namé');
      expect(names).toContain('broken');
      expect(names).toContain('print');
    } finally {
      tree.delete();
    }
  });
});
