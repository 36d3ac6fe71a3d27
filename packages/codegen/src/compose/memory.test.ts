import { describe, expect, it } from 'vitest';
import { validateMistakeInput } from '@yantra/learning';
import { mistakesFrom } from './memory.js';

const files = [{ path: 'shop/shipping.py', before: null, after: 'def f():\n    return 1\n' }];
const base = { model: 'anthropic/claude', projectRoot: '/p', files };

describe('mistakesFrom: failing gates become learning evidence', () => {
  it('turns failing tests into test records the learning package accepts', () => {
    const out = mistakesFrom({
      ...base,
      gate: 'tests',
      summary: '1 failed',
      details: {
        report: {
          tests: [
            { nodeId: 'tests/test_s.py::test_a', outcome: 'failed', durationMs: 1, message: 'assert 1 == 0', traceback: 'AssertionError' },
            { nodeId: 'tests/test_s.py::test_b', outcome: 'passed', durationMs: 1 },
          ],
        },
      },
    });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ source: 'test', failure: { nodeId: 'tests/test_s.py::test_a' }, filePath: 'shop/shipping.py' });
    expect(validateMistakeInput(out[0])).toMatchObject({ ok: true });
  });

  it('keeps only high and critical security findings', () => {
    const finding = (severity: string) => ({
      id: severity,
      engine: 'semgrep',
      rule: 'sql-injection',
      cwe: ['CWE-89'],
      owasp: [],
      severity,
      confidence: 'high',
      file: 'shop/shipping.py',
      range: { startLine: 2, startCol: 1, endLine: 2, endCol: 9 },
      message: 'SQL built from strings',
      snippet: 'x',
    });
    const out = mistakesFrom({ ...base, gate: 'security', summary: 's', details: { findings: [finding('critical'), finding('low')] } });
    expect(out.map((m) => m.source)).toEqual(['security']);
    expect(validateMistakeInput(out[0])).toMatchObject({ ok: true });
  });

  it('records graph breakages with their first site, and syntax failures as syntax mistakes', () => {
    const graph = mistakesFrom({
      ...base,
      gate: 'graph',
      summary: 'g',
      details: { breakages: [{ kind: 'removed_or_renamed', symbol: 'shop.pricing.apply_discount', explanation: 'removed', sites: [{ file: 'shop/__init__.py', line: 4, symbol: 'shop' }] }] },
    });
    expect(graph[0]).toMatchObject({ source: 'graph', breakage: { file: 'shop/__init__.py', line: 4 } });
    const syntax = mistakesFrom({ ...base, gate: 'syntax', summary: 'shop/shipping.py:1: SyntaxError: expected ":"' });
    expect(syntax[0]).toMatchObject({ source: 'manual', category: 'syntax' });
    for (const m of [...graph, ...syntax]) expect(validateMistakeInput(m)).toMatchObject({ ok: true });
  });
});
