import { describe, expect, it } from 'vitest';
import type { FinalOutcome } from '../events.js';
import { createProgressRenderer, summaryTable } from './render.js';

const intent = { action: 'fix', target: 'x', constraints: [], mentionedSymbols: ['total'], mentionedFiles: [], allowsTestEdits: false, allowsDeletions: false };

describe('human progress and summary', () => {
  it('says when an ambiguous request was settled by the LLM, and stays quiet otherwise', () => {
    let out = '';
    const render = createProgressRenderer((t) => (out += t));
    render({ type: 'intent', runId: 'r', intent, source: 'parsed', ambiguity: [] });
    expect(out).toBe('');
    render({ type: 'intent', runId: 'r', intent, source: 'llm', ambiguity: ['`total` matches 2 symbols: a.total, b.total'], fallback: { accepted: true, ms: 5 } });
    expect(out).toBe('  ? ambiguous (`total` matches 2 symbols: a.total, b.total): the LLM settled the intent\n');
  });

  it('lists the dropped generated tests in the summary table', () => {
    const outcome: FinalOutcome = {
      status: 'committed',
      runId: 'r',
      files: ['shop/shipping.py', 'tests/test_shipping.py'],
      attempts: 1,
      gates: { tests: 'passed' },
      usage: { inputTokens: 1, outputTokens: 2 },
      costUsd: 0,
      ms: 1200,
      dropped: [{ path: 'tests/test_again.py', reason: 'no_new_coverage' }],
    };
    expect(summaryTable(outcome)).toMatch(/^dropped\s+tests\/test_again\.py \(no_new_coverage\)$/m);
  });
});
