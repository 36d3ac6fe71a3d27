import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractFile, type ExtractResult } from '../src/parse/extract.js';
import { loadPythonParser, type PythonParser } from '../src/parse/parser.js';
import { respliceFile, sameJson, SpliceMemo } from '../src/parse/splice.js';
import { rng } from '../src/rng.js';
import { applyDelta, fileNodesDelta, fillGraph, newCodeGraph } from '../src/graph/code-graph.js';
import { fileNodes } from '../src/graph/build-graph.js';
import { moduleIdOf } from '../src/parse/extract.js';
import { sameSemantics, sameStructure } from '../src/resolve/semantic-key.js';
import { MADE_UP, sameSemanticsSpliced, sameStructureSpliced } from '../src/resolve/splice-compare.js';

// How often the replaced-part comparisons decided "same semantics" and how often that was true.
const decided = { local: 0, same: 0 };

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures');

function pyFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...pyFiles(p));
    else if (name.endsWith('.py')) out.push(p);
  }
  return out;
}

// Edits made at an indented line: each either keeps the file valid or makes it invalid; both must
// end in the full extraction's result (or a refusal).
const EDITS: ((indent: string, k: number) => string[])[] = [
  (indent, k) => [`${indent}_added_${k} = ${k}`],
  (indent, k) => [`${indent}_added_${k} = [len, {1: (x for x in ())}, lambda q: [q]]`],
  (indent, k) => [`${indent}self.attr_${k} = print(${k})`],
  (indent) => [`${indent}global counter`, `${indent}counter = 1`],
  () => [''],
  (_indent, k) => [`top_${k} = 1`],
  (indent) => [`${indent}def fresh(self):`, `${indent}    return [1]`],
  (indent) => [`${indent}x = (`],
];

function compare(pp: PythonParser, rel: string, text: string, edited: string): 'spliced' | 'refused' {
  return compareFrom(pp, extractFile(pp, rel, text), rel, edited).outcome;
}

/** Splices `edited` from a previous extraction and checks it against a full extraction. */
function compareFrom(pp: PythonParser, before: ExtractResult, rel: string, edited: string, memo?: SpliceMemo): { outcome: 'spliced' | 'refused'; next: ExtractResult } {
  const full = extractFile(pp, rel, edited);
  if (!before.chunks) return { outcome: 'refused', next: full };
  const spliced = respliceFile(pp, { ir: before.ir, chunks: before.chunks }, edited, memo);
  if (spliced === null) return { outcome: 'refused', next: full };
  expect(full.diagnostics).toEqual([]);
  expect(sameJson(spliced.ir, full.ir)).toBe(true);
  // The comparisons of the replaced part decide as the whole-file ones do.
  const info = spliced.splice;
  expect(info).toBeDefined();
  if (!info) return { outcome: 'refused', next: full };
  const structure = sameStructure(before.ir, spliced.ir);
  expect(sameStructureSpliced(before.ir, spliced.ir, info)).toBe(structure);
  const semantics = sameSemantics(before.ir, spliced.ir);
  const local = sameSemanticsSpliced(before.ir, spliced.ir, info, before.chunks.text);
  if (local === true) expect(semantics).toBe(true);
  if (local === true) decided.local++;
  if (semantics) decided.same++;
  // The node delta that skips the scopes the splice kept gives the full extraction's nodes.
  if (structure) {
    const g = newCodeGraph();
    fillGraph(g, fileNodes(before.ir).values(), []);
    const delta = fileNodesDelta(g, [{ ir: spliced.ir, previous: before.ir }]);
    expect(delta).not.toBeNull();
    if (delta) applyDelta(g, delta);
    const nodes: string[] = [];
    g.forEachNode((_id, n) => nodes.push(JSON.stringify(n)));
    expect(nodes.sort()).toEqual([...fileNodes(full.ir).values()].map((n) => JSON.stringify(n)).sort());
  }
  expect(spliced.loc).toBe(full.loc);
  const a = spliced.chunks;
  const b = full.chunks;
  expect(a && b).toBeTruthy();
  if (!a || !b) return { outcome: 'refused', next: full };
  expect([...a.starts, ...a.allocAt, ...a.stmtAt, ...a.scopeAt, a.allocEnd]).toEqual([...b.starts, ...b.allocAt, ...b.stmtAt, ...b.scopeAt, b.allocEnd]);
  expect([...a.bodies.keys()].sort()).toEqual([...b.bodies.keys()].sort());
  for (const [k, t] of a.bodies) {
    const u = b.bodies.get(k);
    expect(u && [t.owner, ...t.starts, ...t.allocAt, ...t.stmtAt, ...t.scopeAt]).toEqual(u && [u.owner, ...u.starts, ...u.allocAt, ...u.stmtAt, ...u.scopeAt]);
  }
  return { outcome: 'spliced', next: spliced };
}

describe('re-extracting one edited statement', () => {
  let pp: PythonParser;
  beforeAll(async () => {
    pp = await loadPythonParser();
  });

  it('equals a full extraction after every edit at every indented line of the sample, and is used for edits inside definitions', () => {
    const file = path.join(FIXTURES, 'splice', 'sample.py');
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const counts = { spliced: 0, refused: 0 };
    for (let at = 0; at < lines.length; at++) {
      const line = lines[at] as string;
      if (!/^\s+\S/.test(line)) continue;
      const indent = /^\s*/.exec(line)?.[0] ?? '';
      EDITS.forEach((edit, k) => {
        const next = [...lines];
        next.splice(at + 1, 0, ...edit(indent, k));
        counts[compare(pp, 'pkg/sample.py', text, next.join('\n'))]++;
      });
      // Deleting the line, and editing it in place.
      counts[compare(pp, 'pkg/sample.py', text, [...lines.slice(0, at), ...lines.slice(at + 1)].join('\n'))]++;
      counts[compare(pp, 'pkg/sample.py', text, [...lines.slice(0, at), `${line}  # edited`, ...lines.slice(at + 1)].join('\n'))]++;
    }
    expect(counts.spliced).toBeGreaterThan(150);
    expect(counts.refused).toBeGreaterThan(50);
    // Most edits that keep the semantics are recognized from the replaced part alone.
    expect(decided.local).toBeGreaterThan(decided.same * 0.9);
  });

  it('is used for a statement added at the end of a method and of a function, and refused for a new module-level statement', () => {
    const text = readFileSync(path.join(FIXTURES, 'splice', 'sample.py'), 'utf8');
    const lines = text.split('\n');
    const method = lines.indexOf('        self.cache = {}');
    const fn = lines.indexOf('    return fn');
    for (const [at, indent] of [[method, '        '], [fn, '    ']] as const) {
      const next = [...lines];
      next.splice(at + 1, 0, `${indent}_bench = 1`);
      const local = decided.local;
      expect(compare(pp, 'pkg/sample.py', text, next.join('\n'))).toBe('spliced');
      expect(decided.local).toBe(local + 1);
    }
    const next = [...lines];
    next.splice(fn + 1, 0, 'late = 1');
    expect(compare(pp, 'pkg/sample.py', text, next.join('\n'))).toBe('refused');
  });

  it.each(['sample.py', 'merged.py', 'compound.py'])('stays equal to a full extraction along sequences of edits, each spliced from the previous result (%s)', (name) => {
    let text = readFileSync(path.join(FIXTURES, 'splice', name), 'utf8');
    let cur = extractFile(pp, 'pkg/sample.py', text);
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const counts = { spliced: 0, refused: 0 };
    for (let step = 0; step < 150; step++) {
      const lines = text.split('\n');
      const indented = lines.map((l, at) => [l, at] as const).filter(([l]) => /^\s+\S/.test(l));
      const [line, at] = indented[next() % indented.length] as readonly [string, number];
      const indent = /^\s*/.exec(line)?.[0] ?? '';
      const edit = EDITS[next() % EDITS.length] as (typeof EDITS)[number];
      const edited = [...lines];
      // Invalid edits are undone in the next step's text; a dedented statement (top_k) can split
      // a class, turning its later methods into module functions.
      edited.splice(at + 1, 0, ...edit(indent, step));
      const r = compareFrom(pp, cur, 'pkg/sample.py', edited.join('\n'));
      counts[r.outcome]++;
      if (r.next.diagnostics.length > 0) continue;
      cur = r.next;
      text = edited.join('\n');
    }
    expect(counts.spliced).toBeGreaterThan(name === 'merged.py' ? 10 : 40);
  });

  it('equals a full extraction around non-ASCII text (the new version is parsed incrementally from the old)', () => {
    const text = [
      'class Café:',
      '    def naïve(self, ключ="значение"):',
      '        """Docstring with 中文 and 🎉 emoji."""',
      '        s = "🎉🎉 é"  # 注释',
      '        return s',
      '',
      '    @décor("ü")',
      '    def other(self):',
      '        return "🎉"',
      '',
      '',
      'def top(ß=1):',
      '    """Straße 🎉."""',
      '    return ß',
      '',
    ].join('\n');
    for (const [from, to] of [
      ['        return s', '        t = "日本 🎉"\n        return s'],
      ['"🎉🎉 é"', '"🎉 é 🎉🎉"'],
      ['        return "🎉"', '        x = 1\n        return "🎉🎉"'],
      ['    return ß', '    γ = 2\n    return ß'],
      ['Docstring with 中文', 'Doc 中文 changed'],
    ]) {
      expect(compare(pp, 'pkg/uni.py', text, text.replace(from as string, to as string))).toBe('spliced');
    }
  });

  it('replaces a module-level if, try, for or with statement whole, like a definition', () => {
    const text = readFileSync(path.join(FIXTURES, 'splice', 'compound.py'), 'utf8');
    for (const [from, to] of [
      ['            return dumps(data)', '            _x = 1\n            return dumps(data)'],
      ['        return repr(obj)', '        return repr(obj)\n    dumps.ok = 1'],
      ['            return REGISTRY.get(name)', '            return REGISTRY.get(name) or [name]'],
      ['        return _null.closed', '        global REGISTRY\n        return _null.closed'],
      ['        return probe()', '        return probe(), (lambda: 1)'],
    ]) {
      expect(compare(pp, 'pkg/compound.py', text, text.replace(from as string, to as string))).toBe('spliced');
    }
    // A lambda numbered at module level (in the for loop's body) refuses it.
    expect(compare(pp, 'pkg/compound.py', text, text.replace('    REGISTRY[_name] = _make()', '    REGISTRY[_name] = _make() or (lambda: 0)'))).toBe('refused');
  });

  it('is refused within the span of definitions that share an id (their statements mix in one scope), and used before and after it', () => {
    const text = readFileSync(path.join(FIXTURES, 'splice', 'merged.py'), 'utf8');
    // Statements: import, before, platform, caller, platform, after.
    expect(extractFile(pp, 'pkg/merged.py', text).chunks?.merges).toEqual([[2, 4]]);
    // A line added between the two definitions moves the second one's statements, which live in
    // the first one's scope.
    for (const [from, to] of [
      ['    return platform()', '    x = 1\n    return platform()'],
      ['    return "windows"', '    x = 1\n    return "windows"'],
      ['    return name', '    x = 1\n    return name'],
    ]) {
      expect(compare(pp, 'pkg/merged.py', text, text.replace(from as string, to as string))).toBe('refused');
    }
    // Before the span everything in it moves as one; after it nothing in it moves.
    expect(compare(pp, 'pkg/merged.py', text, text.replace('    return sys.argv', '    x = [1]\n\n    return sys.argv'))).toBe('spliced');
    expect(compare(pp, 'pkg/merged.py', text, text.replace('    return caller()', '    x = {2: 3}\n    return caller()'))).toBe('spliced');
  });

  it('makes up no string outside MADE_UP: every other string of a form is copied from the source text', () => {
    const IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_]*$/u;
    const files = [...pyFiles(path.join(FIXTURES, 'callgraph')), ...pyFiles(path.join(FIXTURES, 'splice')), ...pyFiles(path.join(FIXTURES, 'project'))];
    let checked = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const rel = path.relative(FIXTURES, file).split(path.sep).join('/');
      const parts = moduleIdOf(rel).module.split('.');
      const visit = (v: unknown): void => {
        if (typeof v === 'string') {
          checked++;
          if (IDENTIFIER.test(v) && !MADE_UP.has(v) && !parts.includes(v) && !text.includes(v)) expect.fail(`${rel}: ${v}`);
        } else if (Array.isArray(v)) v.forEach(visit);
        else if (typeof v === 'object' && v !== null) {
          for (const [k, x] of Object.entries(v)) {
            visit(k);
            visit(x);
          }
        }
      };
      visit(extractFile(pp, rel, text).ir);
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('with a memo of the last splice, successive edits of one definition skip its old text and still equal a full extraction', () => {
    const text = readFileSync(path.join(FIXTURES, 'splice', 'sample.py'), 'utf8');
    const random = rng(0x2545f491);
    const next = (n: number) => Math.floor(random() * n);
    for (const anchor of ['        self.cache = {}', '    return fn']) {
      const memo = new SpliceMemo();
      let lines = text.split('\n');
      let before = extractFile(pp, 'pkg/sample.py', text);
      let spliced = 0;
      let at = lines.indexOf(anchor);
      const indent = /^\s*/.exec(anchor)?.[0] ?? '';
      expect(at).toBeGreaterThan(0);
      // Typing in one body: add, change and remove lines next to the anchor, 25 times.
      for (let k = 0; k < 25; k++) {
        const edited = [...lines];
        const op = next(3);
        if (op === 0) edited.splice(at + 1, 0, `${indent}_typed_${k} = len([${k}])`);
        else if (op === 1) edited[at] = `${edited[at] as string}  # ${k}`;
        else if (lines[at + 1]?.startsWith(`${indent}_typed_`)) edited.splice(at + 1, 1);
        else edited.splice(at + 1, 0, `${indent}pass`);
        const r = compareFrom(pp, before, 'pkg/sample.py', edited.join('\n'), memo);
        if (r.outcome === 'spliced') spliced++;
        before = r.next;
        lines = edited;
        at = lines.findIndex((l) => l.startsWith(anchor));
      }
      expect(spliced).toBe(25);
      // Every edit after the first found its old text in the memo.
      expect(memo.hits).toBe(24);
      memo.clear();
    }
  });

  it('a memo of an older text of the same definition, or of another definition, is not used', () => {
    const text = readFileSync(path.join(FIXTURES, 'splice', 'sample.py'), 'utf8');
    const lines = text.split('\n');
    const original = extractFile(pp, 'pkg/sample.py', text);
    const memo = new SpliceMemo();
    const method = lines.indexOf('        self.cache = {}');
    const fn = lines.indexOf('    return fn');
    const first = [...lines];
    first.splice(method + 1, 0, '        _one = 1');
    const a = compareFrom(pp, original, 'pkg/sample.py', first.join('\n'), memo);
    expect(a.outcome).toBe('spliced');
    // The same method edited from its text before the first edit: the memo holds the edited text.
    const again = [...lines];
    again.splice(method + 1, 0, '        _again = [2]');
    expect(compareFrom(pp, original, 'pkg/sample.py', again.join('\n'), memo).outcome).toBe('spliced');
    expect(memo.hits).toBe(0);
    // Another definition: the memo holds the method.
    const other = [...lines];
    other.splice(fn + 1, 0, '    _two = 2');
    expect(compareFrom(pp, original, 'pkg/sample.py', other.join('\n'), memo).outcome).toBe('spliced');
    expect(memo.hits).toBe(0);
    memo.clear();
  });

  it('equals a full extraction for edits in every call-graph fixture file', () => {
    let spliced = 0;
    for (const file of pyFiles(path.join(FIXTURES, 'callgraph'))) {
      const text = readFileSync(file, 'utf8');
      const lines = text.split('\n');
      const rel = path.relative(FIXTURES, file).split(path.sep).join('/');
      for (let at = 0; at < lines.length; at++) {
        const line = lines[at] as string;
        if (!/^\s+\S/.test(line)) continue;
        const indent = /^\s*/.exec(line)?.[0] ?? '';
        const next = [...lines];
        next.splice(at + 1, 0, `${indent}_added = [print(1)]`);
        if (compare(pp, rel, text, next.join('\n')) === 'spliced') spliced++;
      }
    }
    expect(spliced).toBeGreaterThan(100);
  });
});
