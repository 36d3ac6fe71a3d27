import { describe, expect, it } from 'vitest';
import { extractFile } from '../src/parse/extract.js';
import { loadPythonParser } from '../src/parse/parser.js';
import { sameSemantics, sameStructure } from '../src/resolve/semantic-key.js';

async function ir(src: string) {
  return extractFile(await loadPythonParser(), 'pkg/m.py', src).ir;
}

const BASE = 'import os\n\ndef f(a, b=1):\n    """doc"""\n    x = g(a)\n    return x\n\ndef g(v):\n    yield v\n';

describe('what an update may reuse', () => {
  it.each([
    ['a docstring, a comment and shifted lines', '# top\n\n' + BASE.replace('"""doc"""', '"""other doc"""'), true, true],
    ['an annotation and a default text', BASE.replace('def f(a, b=1):', 'def f(a: int, b=2):'), true, true],
    ['a constant assigned to a fresh local', BASE.replace('    return x\n', '    _tmp = 3\n    return x\n'), true, true],
    ['a constant local that is read', BASE.replace('    return x\n', '    _tmp = 3\n    return _tmp\n'), false, true],
    ['a constant local shadowing the called name', BASE.replace('    x = g(a)\n', '    g = 3\n    x = g(a)\n'), false, true],
    ['yield becoming yield from (a field only one side has)', BASE.replace('yield v', 'yield from v'), false, true],
    ['a call gaining *args (a field only one side has)', BASE.replace('g(a)', 'g(*a)'), false, true],
    ['a new call', BASE.replace('    return x\n', '    print(x)\n    return x\n'), false, true],
    ['a renamed function', BASE.replace('def g(v)', 'def h(v)'), false, false],
    ['a new module variable', BASE + 'LIMIT = 3\n', false, false],
  ])('%s', async (_name, changed, semantics, structure) => {
    const before = await ir(BASE);
    const after = await ir(changed);
    expect(sameSemantics(before, after)).toBe(semantics);
    expect(sameSemantics(after, before)).toBe(semantics);
    expect(sameStructure(before, after)).toBe(structure);
  });
});
