import { describe, expect, it } from 'vitest';
import type { CoverageDetail } from '../coverage.js';
import type { TestCaseResult } from '../report.js';
import { applyKeepRule, pruneTests } from './keep.js';

const T = 'tests/test_gen.py';
const coverage: CoverageDetail = {
  report: { percent: 0, files: {} },
  statements: { 'm.py': new Set([1, 2, 3, 4, 5, 6]) },
  executed: { 'm.py': new Set([1, 2, 3, 4, 5]) },
  contexts: { 'm.py': { 1: [], 2: ['tests/test_old.py::test_a', `${T}::test_dup`], 3: [`${T}::test_new`, `${T}::test_more[1]`], 4: [`${T}::test_more[2]`], 5: [`${T}::test_fails`] } },
};
const res = (name: string, outcome: TestCaseResult['outcome'], message?: string): TestCaseResult => ({ nodeId: `${T}::${name}`, outcome, durationMs: 1, ...(message ? { message } : {}) });

describe('applyKeepRule', () => {
  const r = applyKeepRule({
    testFile: T,
    names: ['test_dup', 'test_new', 'test_more', 'test_fails', 'test_missing', 'test_skip'],
    tests: [res('test_dup', 'passed'), res('test_new', 'passed'), res('test_more[1]', 'passed'), res('test_more[2]', 'passed'), res('test_fails', 'failed', 'assert 0'), res('test_skip', 'skipped')],
    coverage,
    targetFile: 'm.py',
    changedLines: [1, 2, 3, 4, 5, 6, 99],
  });
  it('counts import-time lines and lines run by existing tests as the baseline', () => {
    expect(r.baseline).toEqual([1, 2]);
    expect(r.statements).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('keeps passing tests that add changed lines, greedily in file order, and says why the others go', () => {
    expect(r.verdicts.map((v) => [v.name, v.kept ? 'kept' : v.reason, v.newLines])).toEqual([
      ['test_dup', 'no_new_coverage', []],
      ['test_new', 'kept', [3]],
      ['test_more', 'kept', [4]],
      ['test_fails', 'failed', []],
      ['test_missing', 'not_run', []],
      ['test_skip', 'skipped', []],
    ]);
    expect(r.verdicts.find((v) => v.name === 'test_fails')?.message).toBe('assert 0');
  });
});

describe('pruneTests', () => {
  it('removes rejected tests with their decorators and keeps the rest intact', () => {
    const code = ['import pytest', '', '', '@pytest.mark.slow', 'def test_a():', '    assert 1', '', '', 'def test_b():', '    assert 2', ''].join('\n');
    expect(pruneTests(code, [{ start: 4, end: 6 }])).toBe('import pytest\n\n\ndef test_b():\n    assert 2\n');
  });
});
