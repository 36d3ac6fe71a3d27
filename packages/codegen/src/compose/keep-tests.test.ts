import type { CoverageDetail, TestCaseResult } from '@yantra/test-engine';
import { describe, expect, it } from 'vitest';
import { keepGeneratedTests } from './keep-tests.js';

const pass = (nodeId: string): TestCaseResult => ({ nodeId, outcome: 'passed', durationMs: 1 });

/** Coverage of `shop/shipping.py` (changed lines 9–12) and `shop/pricing.py` (untouched), with per-test contexts. */
function coverage(contexts: Record<string, Record<number, string[]>>): CoverageDetail {
  const executed: Record<string, Set<number>> = {};
  const statements: Record<string, Set<number>> = {
    'shop/shipping.py': new Set([1, 3, 9, 10, 11, 12]),
    'shop/pricing.py': new Set([1, 5, 6, 7]),
  };
  for (const [file, lines] of Object.entries(contexts)) executed[file] = new Set(Object.keys(lines).map(Number));
  return { report: { percent: 0, files: {} }, contexts, executed, statements };
}

describe('keepGeneratedTests (the test-engine keep rule on the model’s test files)', () => {
  it('keeps a file that covers changed lines and drops one that covers none', () => {
    const verdicts = keepGeneratedTests({
      generated: ['tests/test_shipping.py', 'tests/test_discount_again.py'],
      tests: [pass('tests/test_shipping.py::test_cost'), pass('tests/test_discount_again.py::test_half_price'), pass('tests/test_pricing.py::test_discount')],
      coverage: coverage({
        // Lines 1 and 3 ran at import time (no context).
        'shop/shipping.py': { 1: [], 3: [], 9: ['tests/test_shipping.py::test_cost'], 10: ['tests/test_shipping.py::test_cost'], 12: ['tests/test_shipping.py::test_cost'] },
        'shop/pricing.py': { 5: ['tests/test_discount_again.py::test_half_price', 'tests/test_pricing.py::test_discount'], 6: ['tests/test_discount_again.py::test_half_price'] },
      }),
      changedLines: { 'shop/shipping.py': [1, 3, 9, 10, 11, 12] },
    });
    expect(verdicts).toEqual([
      { path: 'tests/test_shipping.py', kept: true, nodeIds: ['tests/test_shipping.py::test_cost'], newLines: ['shop/shipping.py:10', 'shop/shipping.py:12', 'shop/shipping.py:9'] },
      { path: 'tests/test_discount_again.py', kept: false, reason: 'no_new_coverage', nodeIds: ['tests/test_discount_again.py::test_half_price'], newLines: [] },
    ]);
  });

  it('drops a second file whose changed lines the first kept file already covers, and reports failures with their message', () => {
    const verdicts = keepGeneratedTests({
      generated: ['tests/test_a.py', 'tests/test_b.py', 'tests/test_c.py'],
      tests: [pass('tests/test_a.py::test_x'), pass('tests/test_b.py::test_y'), { nodeId: 'tests/test_c.py::test_z', outcome: 'failed', durationMs: 1, message: 'assert 0 == 300' }],
      coverage: coverage({ 'shop/shipping.py': { 9: ['tests/test_a.py::test_x', 'tests/test_b.py::test_y'] } }),
      changedLines: { 'shop/shipping.py': [9] },
    });
    expect(verdicts.map((v) => [v.path, v.kept, v.reason])).toEqual([
      ['tests/test_a.py', true, undefined],
      ['tests/test_b.py', false, 'no_new_coverage'],
      ['tests/test_c.py', false, 'failed'],
    ]);
    expect(verdicts[2]?.message).toBe('tests/test_c.py::test_z: assert 0 == 300');
  });

  it('judges a tests-only change against every code statement the existing tests miss', () => {
    const verdicts = keepGeneratedTests({
      generated: ['tests/test_more_pricing.py', 'tests/test_same_pricing.py'],
      tests: [pass('tests/test_more_pricing.py::test_a'), pass('tests/test_same_pricing.py::test_b'), pass('tests/test_pricing.py::test_old')],
      coverage: coverage({
        'shop/pricing.py': { 5: ['tests/test_pricing.py::test_old', 'tests/test_same_pricing.py::test_b'], 7: ['tests/test_more_pricing.py::test_a'] },
      }),
      changedLines: {},
    });
    expect(verdicts.map((v) => [v.path, v.kept, v.newLines])).toEqual([
      ['tests/test_more_pricing.py', true, ['shop/pricing.py:7']],
      ['tests/test_same_pricing.py', false, []],
    ]);
  });

  it('keeps passing files when coverage is unavailable, and marks files that did not run', () => {
    const verdicts = keepGeneratedTests({
      generated: ['tests/test_a.py', 'tests/test_gone.py'],
      tests: [pass('tests/test_a.py::test_x')],
      coverage: undefined,
      changedLines: { 'shop/shipping.py': [9] },
    });
    expect(verdicts.map((v) => [v.path, v.kept, v.reason])).toEqual([
      ['tests/test_a.py', true, undefined],
      ['tests/test_gone.py', false, 'not_run'],
    ]);
    // Coverage without per-test contexts is no evidence either.
    const noContexts = keepGeneratedTests({
      generated: ['tests/test_a.py'],
      tests: [pass('tests/test_a.py::test_x')],
      coverage: coverage({ 'shop/shipping.py': { 9: [] } }),
      changedLines: { 'shop/shipping.py': [9] },
    });
    expect(noContexts.map((v) => v.kept)).toEqual([true]);
  });
});
