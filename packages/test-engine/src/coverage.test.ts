import { describe, expect, it } from 'vitest';
import { parseCoverageJson } from './coverage.js';

const json = JSON.stringify({
  files: {
    '/ws/pkg/a.py': { executed_lines: [1, 2, 4], missing_lines: [5], contexts: { '1': [''], '2': ['tests/test_a.py::test_x|run'] }, summary: { percent_covered: 75, num_statements: 4, covered_lines: 3 } },
  },
  totals: { percent_covered: 75 },
});

describe('parseCoverageJson', () => {
  it('keys files relative to the workspace and measures only executable changed lines', () => {
    const d = parseCoverageJson(json, '/ws', { 'pkg/a.py': [2, 3, 5], 'other.py': [1] })._unsafeUnwrap();
    expect(d.report.files['pkg/a.py']).toEqual({ percent: 75, statements: 4, covered: 3, missingLines: [5] });
    expect(d.report.changed).toEqual({ percent: 50, covered: 1, total: 2, files: { 'pkg/a.py': { covered: [2], missing: [5] }, 'other.py': { covered: [], missing: [] } } });
    expect(d.contexts['pkg/a.py']).toEqual({ 1: [], 2: ['tests/test_a.py::test_x'] });
  });
  it('reports 100% when no executable line changed, and a typed error for bad JSON', () => {
    expect(parseCoverageJson(json, '/ws', { 'pkg/a.py': [3] })._unsafeUnwrap().report.changed?.percent).toBe(100);
    expect(parseCoverageJson('{', '/ws')._unsafeUnwrapErr().kind).toBe('coverage_invalid');
  });
});
