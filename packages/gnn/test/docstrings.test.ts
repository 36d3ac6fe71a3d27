import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { docstringsOf, extractFile, stripQuotes } from '../src/parse/extract.js';
import { lightTree } from '../src/parse/light-tree.js';
import { loadPythonParser } from '../src/parse/parser.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

function pythonFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) pythonFiles(p, out);
    else if (p.endsWith('.py')) out.push(p);
  }
  return out;
}

describe('docstrings read from the copied tree', () => {
  it('equal what queries/python-docstrings.scm captures, on every fixture file and tricky layouts', async () => {
    const pp = await loadPythonParser();
    const tricky = [
      '#!/usr/bin/env python\n# comment\n"""Module doc."""\nx = 1\n',
      'def f():\n    # a comment first\n    "doc"\n    return 1\n',
      'class C:\n    x = 1\n    "not a doc"\n',
      'def g(): "inline doc"\n',
      'def h():\n    "a" "b"\n',
      '@dec\nclass D(B):\n    r"""raw doc"""\n    def m(self):\n        \'\'\'m doc\'\'\'\n',
      'def broken(:\n    "doc"\n',
      '"""only"""',
    ];
    const sources = [...pythonFiles(FIXTURES).map((f) => readFileSync(f, 'utf8')), ...tricky];
    let docs = 0;
    for (const src of sources) {
      const tree = pp.parser.parse(src);
      if (!tree) continue;
      try {
        const expected = new Map<number, string>();
        for (const cap of pp.docstrings.captures(tree.rootNode)) {
          const owner = cap.name === 'doc.module' ? tree.rootNode : cap.node.parent?.parent?.parent;
          if (owner) expected.set(owner.startIndex, stripQuotes(cap.node.text));
        }
        const got = docstringsOf(lightTree(tree, src));
        expect([...got].sort(([a], [b]) => a - b), src.slice(0, 80)).toEqual([...expected].sort(([a], [b]) => a - b));
        docs += expected.size;
      } finally {
        tree.delete();
      }
    }
    expect(docs).toBeGreaterThan(20);
  });

  it('gives a module no docstring when it starts with a documented definition', async () => {
    const pp = await loadPythonParser();
    const docsOf = (name: string) => {
      const src = readFileSync(path.join(FIXTURES, 'docstrings', name), 'utf8');
      const { ir } = extractFile(pp, name, src);
      return Object.fromEntries(ir.scopes.map((s) => [s.id, s.docstring ?? null]));
    };
    expect(docsOf('def-first.py')).toEqual({
      'def-first': null,
      'def-first.First': "The class's docstring, not the module's.",
      'def-first.helper': "The function's docstring.",
    });
    expect(docsOf('module-doc.py')).toEqual({
      'module-doc': "The module's docstring.",
      'module-doc.helper': "The function's docstring.",
    });
  });
});
