import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { okAsync, errAsync } from 'neverthrow';
import { settle } from '@yantra/shared';
import { createGraphEngine, type GraphEngine } from '@yantra/gnn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphSymbolIndex } from '../compose/context.js';
import { parseLlmIntent, resolveIntent } from './intent-resolve.js';
import type { LlmPort, PortError, SymbolIndexPort } from './ports.js';

/** A scripted model that counts its calls and keeps the prompts it was sent. */
function countingLlm(...replies: string[]): LlmPort & { calls: number; prompts: string[] } {
  const llm = {
    calls: 0,
    prompts: [] as string[],
    complete: (req: Parameters<LlmPort['complete']>[0]) => {
      llm.calls += 1;
      llm.prompts.push([req.system, ...req.messages.map((m) => m.content)].join('\n---\n'));
      const text = replies.shift();
      if (text === undefined) return errAsync<never, PortError>({ kind: 'fatal', message: 'no scripted reply left' });
      return okAsync({ text, provider: 'scripted', model: 'intent', usage: { inputTokens: 40, outputTokens: 12 }, costUsd: 0.0001 });
    },
  };
  return llm;
}

const fixture = path.resolve(import.meta.dirname, '../../fixtures/intent/project');
let dir: string;
let engine: GraphEngine;
let index: SymbolIndexPort;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'yantra-intent-'));
  await cp(fixture, dir, { recursive: true });
  engine = createGraphEngine({ root: dir });
  const opened = await settle(engine.open());
  if (!opened.ok) throw new Error(opened.error.message);
  index = graphSymbolIndex(() => okAsync<GraphEngine, PortError>(engine));
});
afterAll(async () => {
  engine.close();
  await rm(dir, { recursive: true, force: true });
});

const resolve = (request: string, llm: LlmPort) => resolveIntent({ request, projectRoot: dir, index, llm });

describe('resolveIntent: the LLM only when the parse is ambiguous', () => {
  it('never calls the LLM for an unambiguous request, and resolves its mentions in the graph', async () => {
    const llm = countingLlm();
    for (const request of [
      'fix order_count in store/sales/orders.py so that it ignores empty orders',
      'rename `Invoice.total` to `gross_total`',
      'add a discount to store/billing/invoices.py',
      'calculate shipping cost from weight and distance',
      // `total` names two methods, but the file settles which one.
      'fix `total` in store/billing/invoices.py so tax is rounded up',
    ]) {
      const { resolution, reply } = await resolve(request, llm);
      expect(resolution, request).toMatchObject({ source: 'parsed', ambiguity: [] });
      expect(resolution.fallback).toBeUndefined();
      expect(reply).toBeUndefined();
    }
    expect(llm.calls).toBe(0);
    const { resolution } = await resolve('fix order_count in store/sales/orders.py', llm);
    expect(resolution.intent.resolvedSymbols).toEqual(['store.sales.orders.order_count']);
    expect(resolution.intent.resolvedFiles).toEqual(['store/sales/orders.py']);
    expect(resolution.graph?.queryMs).toBeGreaterThanOrEqual(0);
    const narrowed = await resolve('fix `total` in store/billing/invoices.py so tax is rounded up', llm);
    expect(narrowed.resolution.intent.resolvedSymbols).toEqual(['store.billing.invoices.Invoice.total']);
    expect(llm.calls).toBe(0);
  });

  it('asks the LLM when a symbol names several definitions, and takes its validated answer', async () => {
    const llm = countingLlm(
      JSON.stringify({ action: 'fix', target: 'invoice total tax rounding', constraints: ['keep the signature'], symbols: ['store.billing.invoices.Invoice.total'], files: ['store/billing/invoices.py'] }),
    );
    const { resolution, reply } = await resolve('fix `total` so tax is rounded up', llm);
    expect(llm.calls).toBe(1);
    expect(resolution.ambiguity).toEqual(['`total` matches 2 symbols: store.billing.invoices.Invoice.total, store.sales.orders.Order.total']);
    expect(resolution).toMatchObject({ source: 'llm', fallback: { accepted: true } });
    expect(resolution.intent).toMatchObject({
      action: 'fix',
      target: 'invoice total tax rounding',
      resolvedSymbols: ['store.billing.invoices.Invoice.total'],
      resolvedFiles: ['store/billing/invoices.py'],
    });
    expect(resolution.intent.constraints).toContain('keep the signature');
    expect(reply?.usage.outputTokens).toBe(12);
    // The prompt is the versioned data file, rendered with the candidates from the graph.
    await expect(llm.prompts[0]).toMatchFileSnapshot('./__snapshots__/intent.txt');
  });

  it('asks the LLM when a path names several files', async () => {
    const llm = countingLlm('{"action":"modify","target":"payment amount","constraints":[],"symbols":[],"files":["store/billing/models.py"]}');
    const { resolution } = await resolve('change the amount default in models.py to 1', llm);
    expect(llm.calls).toBe(1);
    expect(resolution.ambiguity).toEqual(['`models.py` matches 2 files: store/billing/models.py, store/sales/models.py']);
    expect(resolution.intent).toMatchObject({ action: 'modify', resolvedFiles: ['store/billing/models.py'] });
  });

  it('asks the LLM when no action verb is recognised, or no target is found', async () => {
    const llm = countingLlm(
      '```json\n{"action":"explain","target":"order totals","constraints":[],"symbols":[],"files":[]}\n```',
      '{"action":"fix","target":"Order.total with empty orders","constraints":[],"symbols":["store.sales.orders.Order.total"],"files":[]}',
    );
    const noVerb = await resolve('order totals, how?', llm);
    expect(noVerb.resolution.ambiguity).toEqual(['no action verb recognised']);
    expect(noVerb.resolution.intent.action).toBe('explain');
    const noTarget = await resolve('fix it', llm);
    expect(noTarget.resolution.ambiguity).toEqual(['no target found']);
    expect(noTarget.resolution.intent).toMatchObject({ action: 'fix', resolvedSymbols: ['store.sales.orders.Order.total'] });
    expect(llm.calls).toBe(2);
  });

  it('keeps the parse and records why when the answer is not valid', async () => {
    const llm = countingLlm(
      'The user wants to fix the total.',
      '{"action":"delete","target":"x","constraints":[],"symbols":[],"files":[]}',
      '{"action":"fix","target":"x","constraints":[],"symbols":[],"files":[],"allowsTestEdits":true}',
    );
    const prose = await resolve('fix `total`', llm);
    expect(prose.resolution).toMatchObject({ source: 'parsed', fallback: { accepted: false, reason: expect.stringMatching(/not JSON/) } });
    expect(prose.resolution.intent.action).toBe('fix');
    const unknown = await resolve('fix `total`', llm);
    expect(unknown.resolution.fallback?.reason).toBe('unknown action "delete"');
    const extra = await resolve('fix `total`', llm);
    expect(extra.resolution.fallback?.reason).toBe('unknown keys: allowsTestEdits');
    expect(extra.resolution.intent.allowsTestEdits).toBe(false);
    // A failing LLM call keeps the parse too.
    const failing = await resolve('fix `total`', llm);
    expect(failing.resolution.fallback?.reason).toMatch(/LLM call failed \(fatal\)/);
    expect(llm.calls).toBe(4);
  });
});

describe('parseLlmIntent', () => {
  it('accepts exactly the five keys with the right types', () => {
    expect(parseLlmIntent('{"action":"add","target":"t","constraints":[],"symbols":["a"],"files":[]}')._unsafeUnwrap()).toEqual({
      action: 'add',
      target: 't',
      constraints: [],
      symbols: ['a'],
      files: [],
    });
    expect(parseLlmIntent('[]')._unsafeUnwrapErr()).toBe('the reply is not a JSON object');
    expect(parseLlmIntent('{"action":"add","target":" ","constraints":[],"symbols":[],"files":[]}')._unsafeUnwrapErr()).toBe('target must be a non-empty string');
    expect(parseLlmIntent('{"action":"add","target":"t","constraints":[1],"symbols":[],"files":[]}')._unsafeUnwrapErr()).toBe('constraints must be an array of strings');
    expect(parseLlmIntent('{"action":"add","target":"t","constraints":[],"symbols":[]}')._unsafeUnwrapErr()).toBe('files must be an array of strings');
  });
});
