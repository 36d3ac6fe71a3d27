import { describe, expect, it } from 'vitest';
import { listCases, runCase, type CaseResult } from './callgraph-fixtures.js';

// Every fixture under fixtures/callgraph/<category>/<case>/ must produce exactly its callgraph.json;
// the summary reports precision and recall over all edges.
describe('PyCG-format call graphs of the fixture cases', () => {
  const cases = listCases();
  const results: CaseResult[] = [];

  it('has at least 120 cases over the 18 categories', () => {
    expect(cases.length).toBeGreaterThanOrEqual(120);
    const cats = new Set(cases.map((c) => c.split('/')[0]));
    for (const c of ['args', 'assignments', 'builtins', 'classes', 'decorators', 'dicts', 'direct_calls', 'dynamic', 'exceptions', 'external', 'functions', 'generators', 'imports', 'kwargs', 'lambdas', 'lists', 'mro', 'returns']) {
      expect(cats.has(c), c).toBe(true);
    }
  });

  it.each(cases)('%s', async (name) => {
    const r = await runCase(name);
    results.push(r);
    expect(r.actual).toEqual(r.expected);
  });

  it('reaches precision >= 0.99 and recall >= 0.95 over all edges', async () => {
    const all = results.length === cases.length ? results : await Promise.all(cases.map(runCase));
    const tp = all.reduce((s, r) => s + r.tp, 0);
    const fp = all.reduce((s, r) => s + r.fp.length, 0);
    const fn = all.reduce((s, r) => s + r.fn.length, 0);
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    process.stderr.write(`call-graph fixtures: ${all.length} cases, ${tp} edges found, ${fp} false, ${fn} missed; precision ${precision.toFixed(4)}, recall ${recall.toFixed(4)}\n`);
    expect(precision).toBeGreaterThanOrEqual(0.99);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });
});
