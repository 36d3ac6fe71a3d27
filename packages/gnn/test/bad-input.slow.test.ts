import { describe, expect, it } from 'vitest';
import { GOOD, useScratch } from './bad-input-support.js';

const { dirWith, build } = useScratch();

// Big inputs: slow on a loaded machine, so they get a longer timeout (not skipped).
describe('bad input: very large and very deep files', () => {
  it('a 5 MB generated file', async () => {
    const parts: string[] = ['def f0():\n    return 0\n'];
    let i = 1;
    while (parts.reduce((s, p) => s + p.length, 0) < 5 * 1024 * 1024) {
      const chunk: string[] = [];
      // Generated code is mostly data: each function carries a large docstring.
      for (let k = 0; k < 100; k++, i++) chunk.push(`def f${i}(a, b=${i}, *args, **kw):\n    """Function ${i}. ${'lorem ipsum '.repeat(70)}"""\n    return f${i - 1}() + a + b\n`);
      parts.push(chunk.join('\n'));
    }
    const { e, report } = await build(dirWith({ 'big.py': parts.join('\n'), 'good.py': GOOD }));
    expect(Buffer.byteLength(parts.join('\n'))).toBeGreaterThan(5 * 1024 * 1024);
    expect(report.loc).toBeGreaterThan(15_000);
    expect(e.node(`big.f${i - 1}`)?.kind).toBe('function');
    expect(e.callees(`big.f${i - 1}`).map((n) => n.id)).toEqual([`big.f${i - 2}`]);
    expect(e.callees('good.caller').map((n) => n.id)).toEqual(['good.good']);
  }, 240_000);

  it('1,000-deep nesting of expressions and blocks', async () => {
    const parens = `x = ${'('.repeat(1000)}1${')'.repeat(1000)}\n`;
    const lists = `y = ${'['.repeat(1000)}${']'.repeat(1000)}\n`;
    let blocks = '';
    for (let d = 0; d < 1000; d++) blocks += `${' '.repeat(d)}if x:\n`;
    blocks += `${' '.repeat(1000)}good()\n`;
    const { e, report } = await build(dirWith({ 'deep.py': `from good import good\n${parens}${lists}${blocks}`, 'good.py': GOOD }));
    expect(e.node('deep')?.kind).toBe('module');
    expect(report.files).toBe(2);
    expect(e.callees('deep').map((n) => n.id)).toEqual(['good.good']);
    expect(e.callees('good.caller').map((n) => n.id)).toEqual(['good.good']);
  }, 240_000);
});
