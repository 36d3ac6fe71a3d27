import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { errAsync } from 'neverthrow';
import { afterEach, describe, expect, it } from 'vitest';
import { llmFixtureRoot, scriptedLlm } from '../fixture-support/scripted-llm.js';
import { removeAll, workspaceFrom } from '../fixture-support/workspaces.js';
import { generateTests } from './generate.js';

const cleanup: string[] = [];
afterEach(() => removeAll(cleanup));

async function ws(): Promise<string> {
  const dir = await workspaceFrom('gen-target');
  cleanup.push(dir);
  return dir;
}

const verdicts = (tests: readonly { name: string; kept: boolean; reason?: string }[]) =>
  Object.fromEntries(tests.map((t) => [t.name, t.kept ? 'kept' : t.reason]));

describe('generateTests with a scripted LLM (real pytest and coverage)', () => {
  it('keeps only passing tests that add changed-line coverage, repairs a failure, and writes a new file', async () => {
    const dir = await ws();
    const expected = JSON.parse(await readFile(path.join(llmFixtureRoot, 'repair', 'expected.json'), 'utf8')) as {
      llmCalls: number; firstAttempt: Record<string, string>; final: Record<string, string>; coverageAfter: number; keptPassRate: number;
    };
    const existing = await readFile(path.join(dir, 'tests', 'test_existing.py'), 'utf8');
    const llm = await scriptedLlm('repair', 2);
    const report = (await generateTests({ workspace: dir, file: 'shop/pricing.py', complete: llm.complete, write: true }))._unsafeUnwrap();

    expect(report.llmCalls).toBe(expected.llmCalls);
    expect(verdicts(report.attempts[0]?.verdicts ?? [])).toEqual(expected.firstAttempt);
    expect(verdicts(report.tests)).toEqual(expected.final);
    expect(report.coverageAfter.percent).toBe(expected.coverageAfter);
    expect(report.coverageBefore.percent).toBeLessThan(60);
    expect(report.keptPassRate).toBe(expected.keptPassRate);
    expect(report.targets).toEqual({ changedCoverage: 90, changedCoverageMet: true, keptPassRateMet: true });

    // The repair prompt carried the failure and the uncovered lines back to the LLM.
    expect(llm.prompts[1]?.user).toContain('tests/test_shop_pricing_yantra.py'.replace('test_shop_', 'test_'));
    expect(llm.prompts[1]?.user).toContain('test_bulk_total_small_order');
    expect(llm.prompts[1]?.user).toMatch(/still not covered: .*9/);
    // The plan named each raise and the collaborator.
    expect(llm.prompts[0]?.user).toContain('make it raise ValueError (when price < 0)');
    expect(llm.prompts[0]?.user).toMatch(/bulk_total: it calls .*apply_discount/);
    expect(llm.prompts[0]?.user).toContain('ten_prices (tests/conftest.py)');

    expect(report.testFile).toBe('tests/test_pricing_yantra.py');
    expect(report.written).toBe(true);
    const written = await readFile(path.join(dir, report.testFile), 'utf8');
    expect(written).toBe(report.code);
    expect(written).not.toContain('test_zero_percent_is_identity');
    expect(written).toContain('def test_bulk_total_discounts_large_orders(ten_prices):');
    expect(await readFile(path.join(dir, 'tests', 'test_existing.py'), 'utf8')).toBe(existing);
  });

  it('asks the LLM once to judge tests that still fail after the repairs, and reports the verdict with its evidence', async () => {
    const dir = await ws();
    const expected = JSON.parse(await readFile(path.join(llmFixtureRoot, 'judge', 'expected.json'), 'utf8')) as {
      llmCalls: number; final: Record<string, string>; judgement: { verdict: string; reason: string; failing: string[] };
    };
    const llm = await scriptedLlm('judge', 3);
    const report = (await generateTests({ workspace: dir, file: 'shop/pricing.py', complete: llm.complete, maxRepairs: 1 }))._unsafeUnwrap();

    expect(report.llmCalls).toBe(expected.llmCalls);
    expect(llm.prompts.length).toBe(expected.llmCalls);
    expect(verdicts(report.tests)).toEqual(expected.final);
    expect(report.failureJudgement).toMatchObject({ verdict: expected.judgement.verdict, reason: expected.judgement.reason });
    expect(report.failureJudgement?.evidence.map((e) => e.nodeId)).toEqual(expected.judgement.failing);
    // The judge saw the code, the generated module and the failure with its traceback.
    const judge = llm.prompts[2];
    expect(judge?.system).toContain('"verdict": "test_wrong" | "code_wrong" | "unclear"');
    expect(judge?.user).toContain('if len(prices) >= threshold:');
    expect(judge?.user).toContain('def test_bulk_total_discounts_three_items():');
    expect(judge?.user).toMatch(/assert Decimal\('30\.00'\) == Decimal\('28\.50'\)/);
    // Only the passing test is kept.
    expect(report.code).not.toContain('test_bulk_total_discounts_three_items');
  });

  it('discards an attempt that rewrites an existing test, and one that does not parse', async () => {
    const dir = await ws();
    const existing = await readFile(path.join(dir, 'tests', 'test_existing.py'), 'utf8');
    const llm = await scriptedLlm('tamper', 2);
    const report = (await generateTests({ workspace: dir, file: 'shop/pricing.py', complete: llm.complete, maxRepairs: 1, write: true }))._unsafeUnwrap();
    expect(report.attempts[0]?.problems).toEqual(['it modified or deleted existing tests: tests/test_existing.py']);
    expect(report.attempts[1]?.problems[0]).toMatch(/^syntax error at line 1/);
    expect(report.kept).toBe(0);
    expect(report.code).toBe('');
    expect(report.written).toBe(false);
    expect(await readFile(path.join(dir, 'tests', 'test_existing.py'), 'utf8')).toBe(existing);
  });

  it('returns typed errors for a bad target and for a failing LLM', async () => {
    const dir = await ws();
    const llm = await scriptedLlm('repair', 1);
    expect((await generateTests({ workspace: dir, file: '../etc/passwd', complete: llm.complete }))._unsafeUnwrapErr()).toMatchObject({ kind: 'invalid_input', field: 'file' });
    expect((await generateTests({ workspace: dir, file: 'shop/pricing.py', symbol: 'nope', complete: llm.complete }))._unsafeUnwrapErr()).toMatchObject({ kind: 'invalid_input', field: 'symbol' });
    const down = () => errAsync({ kind: 'overloaded', message: 'try later', retryable: true });
    expect((await generateTests({ workspace: dir, file: 'shop/pricing.py', complete: down }))._unsafeUnwrapErr()).toMatchObject({ kind: 'llm_failed', retryable: true });
  });
});
