import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { okAsync } from 'neverthrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../events.js';
import { createSyntaxGate } from '../gates/syntax.js';
import type { Gate, LlmPort } from './ports.js';
import { createPipeline } from './run.js';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const python = path.join(repoRoot, '.venv/bin/python');
const replies = path.resolve(import.meta.dirname, '../../fixtures/replies');

/**
 * A scripted model behind the LLM port, replaying reply fixtures in order. The end-to-end tests
 * with the real SDK clients and the wire-format server live in the e2e suite.
 */
function scripted(...files: string[]): LlmPort & { prompts: string[][] } {
  const queue = files.map((f) => readFileSync(path.join(replies, f), 'utf8'));
  const prompts: string[][] = [];
  return {
    prompts,
    complete: (req) => {
      prompts.push(req.messages.map((m) => m.content));
      const text = queue.shift() ?? '';
      return okAsync({ text, provider: 'scripted', model: 'fixture', usage: { inputTokens: 10, outputTokens: 5 }, costUsd: 0 });
    },
  };
}

let project: string;
beforeEach(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), 'yantra-pipe-'));
  await cp(path.join(repoRoot, 'examples/shop'), project, { recursive: true });
});
afterEach(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('pipeline with the syntax gate (real python)', () => {
  it('writes a change that passes, and emits every stage', async () => {
    const events: RunEvent[] = [];
    const llm = scripted('shipping-ok.md');
    const pipeline = createPipeline({ llm, gates: [createSyntaxGate({ python })] });
    const outcome = await pipeline.run({ projectRoot: project, request: 'calculate shipping cost from weight and distance' }, { onEvent: (e) => events.push(e) });
    // An unambiguous request: the deterministic parse decides, the model is asked once (to generate).
    expect(llm.prompts).toHaveLength(1);
    expect(events.find((e) => e.type === 'intent')).toMatchObject({ source: 'parsed', ambiguity: [], intent: { action: 'add' } });
    expect(outcome).toMatchObject({ status: 'committed', attempts: 1, files: ['shop/shipping.py'], gates: { syntax: 'passed' } });
    expect(await readFile(path.join(project, 'shop/shipping.py'), 'utf8')).toContain('def shipping_cost_cents');
    const stages = events.filter((e) => e.type === 'stage_finished').map((e) => (e as { stage: string }).stage);
    expect(stages).toEqual(['intent', 'context', 'generate', 'edits', 'syntax', 'commit']);
    expect(events.at(-1)?.type).toBe('final');
    // The run's metrics are kept in the project's state dir.
    const report = JSON.parse(await readFile(path.join(project, '.yantra/runs', `${outcome.runId}.json`), 'utf8')) as {
      outcome: { status: string };
      stages: { stage: string; ms: number }[];
      gates: { gate: string; status: string }[];
      metrics: { llm: { outputTokens: number } };
    };
    expect(report.outcome.status).toBe('committed');
    expect(report.stages.map((s) => s.stage)).toEqual(['intent', 'context', 'generate', 'edits', 'syntax', 'commit']);
    expect(report.gates).toEqual([expect.objectContaining({ gate: 'syntax', status: 'passed' })]);
    expect(report.metrics.llm.outputTokens).toBe(5);
  });

  it('asks the model for the intent when the request has no action verb, then generates', async () => {
    const events: RunEvent[] = [];
    const llm = scripted('intent-add-shipping.json', 'shipping-ok.md');
    const outcome = await createPipeline({ llm, gates: [createSyntaxGate({ python })] }).run(
      { projectRoot: project, request: 'shipping cost from weight and distance' },
      { onEvent: (e) => events.push(e) },
    );
    expect(outcome).toMatchObject({ status: 'committed', attempts: 1, usage: { inputTokens: 20, outputTokens: 10 } });
    expect(llm.prompts).toHaveLength(2);
    expect(llm.prompts[0]?.[0]).toMatch(/ambiguous: no action verb recognised/);
    expect(events.find((e) => e.type === 'intent')).toMatchObject({
      source: 'llm',
      ambiguity: ['no action verb recognised'],
      fallback: { accepted: true },
      intent: { action: 'add', mentionedFiles: ['shop/shipping.py'] },
    });
    const report = JSON.parse(await readFile(path.join(project, '.yantra/runs', `${outcome.runId}.json`), 'utf8')) as {
      intent: { source: string };
      metrics: { llm: { calls: number; inputTokens: number } };
    };
    expect(report.intent.source).toBe('llm');
    expect(report.metrics.llm).toMatchObject({ calls: 2, inputTokens: 20 });
  });

  it('leaves a file a gate dropped out of the written change, and reports it', async () => {
    const seen: string[][] = [];
    const dropGate: Gate = {
      name: 'tests',
      run: (ctx) => {
        seen.push(ctx.files.map((f) => f.path).sort());
        return okAsync({ status: 'passed', summary: 'ok', dropped: [{ path: 'tests/test_discount_again.py', reason: 'no_new_coverage' }] });
      },
    };
    let inShadow: boolean | undefined;
    const after: Gate = {
      name: 'browser',
      run: (ctx) => {
        seen.push(ctx.files.map((f) => f.path).sort());
        inShadow = existsSync(path.join(ctx.shadowRoot, 'tests/test_discount_again.py'));
        return okAsync({ status: 'skipped', summary: '' });
      },
    };
    const outcome = await createPipeline({ llm: scripted('../e2e/useful-and-useless-tests.md'), gates: [createSyntaxGate({ python }), dropGate, after] }).run({
      projectRoot: project,
      request: 'calculate shipping cost from weight and distance',
    });
    expect(outcome).toMatchObject({ status: 'committed', dropped: [{ path: 'tests/test_discount_again.py', reason: 'no_new_coverage' }] });
    expect([...outcome.files].sort()).toEqual(['shop/shipping.py', 'tests/test_shipping.py']);
    expect(seen).toEqual([
      ['shop/shipping.py', 'tests/test_discount_again.py', 'tests/test_shipping.py'],
      ['shop/shipping.py', 'tests/test_shipping.py'],
    ]);
    // Later gates see the shadow without the dropped file, and the working tree never gets it.
    expect(inShadow).toBe(false);
    expect(existsSync(path.join(project, 'tests/test_discount_again.py'))).toBe(false);
    expect(existsSync(path.join(project, 'tests/test_shipping.py'))).toBe(true);
  });

  it('feeds a syntax error back, repairs on the second attempt', async () => {
    const llm = scripted('shipping-syntax-error.md', 'shipping-ok.md');
    const outcome = await createPipeline({ llm, gates: [createSyntaxGate({ python })] }).run({ projectRoot: project, request: 'add shipping cost' });
    expect(outcome).toMatchObject({ status: 'committed', attempts: 2 });
    expect(llm.prompts[1]?.at(-1)).toMatch(/syntax gate failed:\nshop\/shipping\.py:\d+: SyntaxError/);
  });

  it('rejects after three failing attempts and leaves the working tree unchanged', async () => {
    const llm = scripted('shipping-syntax-error.md', 'shipping-syntax-error.md', 'shipping-syntax-error.md');
    const outcome = await createPipeline({ llm, gates: [createSyntaxGate({ python })] }).run({ projectRoot: project, request: 'add shipping cost' });
    expect(outcome.status).toBe('rejected');
    expect(outcome.attempts).toBe(3);
    expect(outcome.reason).toMatch(/SyntaxError/);
    expect(existsSync(path.join(project, 'shop/shipping.py'))).toBe(false);
  });

  it('rejects a change that edits an existing test to make it pass', async () => {
    const llm = scripted('edit-existing-test.md', 'edit-existing-test.md', 'edit-existing-test.md');
    const before = await readFile(path.join(project, 'tests/test_pricing.py'), 'utf8');
    const outcome = await createPipeline({ llm, gates: [createSyntaxGate({ python })] }).run({ projectRoot: project, request: 'make discounts round down' });
    expect(outcome.status).toBe('rejected');
    expect(outcome.reason).toMatch(/edits existing tests \(tests\/test_pricing\.py\)/);
    expect(await readFile(path.join(project, 'tests/test_pricing.py'), 'utf8')).toBe(before);
  });

  it('validates without writing when noCommit is set', async () => {
    const outcome = await createPipeline({ llm: scripted('shipping-ok.md'), gates: [createSyntaxGate({ python })] }).run({
      projectRoot: project,
      request: 'add shipping cost',
      noCommit: true,
    });
    expect(outcome.status).toBe('validated');
    expect(existsSync(path.join(project, 'shop/shipping.py'))).toBe(false);
  });
});
