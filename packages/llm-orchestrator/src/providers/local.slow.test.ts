import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveUserDirs } from '@yantra/shared';
import { resolveLlmConfig, type LlmConfig } from '../config.js';
import { createManualClock } from '../clock.js';
import type { LlmEvent } from '../events.js';
import { createOrchestrator } from '../orchestrator.js';
import { startFakeLlmServer } from '../testing.js';
import { createLocalProvider, unloadLocalModels } from './local.js';

const modelPath = path.join(resolveUserDirs(process.env, os.homedir()).cache, 'models', 'gemma-3-270m-q4_k_m.gguf');

afterAll(async () => {
  await unloadLocalModels();
});

describe('embedded local model (real GGUF, CPU)', { timeout: 150_000 }, () => {
  it('the setup put the model where the config expects it', () => {
    expect(existsSync(modelPath)).toBe(true);
  });

  it('streams a short completion with usage and a stop reason', async () => {
    const provider = createLocalProvider({ modelPath, contextSize: 512, threads: 2, timeoutMs: 120_000 });
    const deltas: string[] = [];
    const r = await provider.complete(
      {
        model: provider.model,
        system: 'You are a helpful assistant. Answer briefly.',
        messages: [{ role: 'user', content: 'What is the capital of France? Answer in one word.' }],
        maxTokens: 16,
        temperature: 0,
        stopSequences: [],
      },
      { signal: new AbortController().signal, onText: (d) => deltas.push(d) },
    );
    const res = r._unsafeUnwrap();
    expect(res.text.length).toBeGreaterThan(0);
    expect(deltas.join('')).toBe(res.text);
    // The 270M model's answers are not reliable enough to assert content; the plumbing is.
    expect(res.text.trim().length).toBeGreaterThan(0);
    expect(res.usage.inputTokens).toBeGreaterThan(5);
    expect(res.usage.outputTokens).toBeGreaterThan(0);
    expect(res.usage.outputTokens).toBeLessThanOrEqual(16);
    expect(['end_turn', 'max_tokens']).toContain(res.stopReason);
  });

  it('stops at maxTokens and honours a timeout', async () => {
    const provider = createLocalProvider({ modelPath, contextSize: 512, threads: 2, timeoutMs: 120_000 });
    const r = await provider.complete(
      { model: provider.model, messages: [{ role: 'user', content: 'Count from 1 to 100, separated by commas.' }], maxTokens: 5, temperature: 0, stopSequences: [] },
      { signal: new AbortController().signal, onText: () => {} },
    );
    expect(r._unsafeUnwrap()).toMatchObject({ stopReason: 'max_tokens' });
    expect(r._unsafeUnwrap().usage.outputTokens).toBe(5);
    const slow = createLocalProvider({ modelPath, contextSize: 512, threads: 2, timeoutMs: 1 });
    const t = await slow.complete(
      { model: slow.model, messages: [{ role: 'user', content: 'Write a long story.' }], maxTokens: 500, temperature: 0, stopSequences: [] },
      { signal: new AbortController().signal, onText: () => {} },
    );
    expect(t._unsafeUnwrapErr()).toMatchObject({ kind: 'timeout', provider: 'local' });
    // Cancelling mid-stream stops generation and frees the model for the next request.
    const controller = new AbortController();
    const c = await provider.complete(
      { model: provider.model, messages: [{ role: 'user', content: 'Write a long story.' }], maxTokens: 200, temperature: 0, stopSequences: [] },
      { signal: controller.signal, onText: () => controller.abort() },
    );
    expect(c._unsafeUnwrapErr()).toMatchObject({ kind: 'cancelled', provider: 'local' });
    const after = await provider.complete(
      { model: provider.model, messages: [{ role: 'user', content: 'Hi' }], maxTokens: 2, temperature: 0, stopSequences: [] },
      { signal: new AbortController().signal, onText: () => {} },
    );
    expect(after._unsafeUnwrap().usage.outputTokens).toBeGreaterThan(0);
  });

  it('is the last fallback: anthropic and openai fail, the local model answers', async () => {
    const server = await startFakeLlmServer({ script: (r) => (r.api === 'anthropic' ? { fault: 'auth' } : { fault: 'bad_request' }) });
    try {
      const { config } = resolveLlmConfig(
        { localModel: { path: modelPath, contextSize: 512 } },
        {
          ANTHROPIC_API_KEY: 'k1',
          OPENAI_API_KEY: 'k2',
          ANTHROPIC_BASE_URL: server.anthropicBaseUrl,
          OPENAI_BASE_URL: server.openaiBaseUrl,
          YANTRA_LLM_SECONDARY: 'openai',
        },
        { config: '/x', cache: '/y' },
      );
      const events: LlmEvent[] = [];
      const o = createOrchestrator({ config: config as LlmConfig, clock: createManualClock() });
      const c = (await o.complete({ prompt: 'Say hello.', maxTokens: 8 }, { onEvent: (e) => events.push(e) }))._unsafeUnwrap();
      expect(c.provider).toBe('local');
      expect(c.costUsd).toBe(0);
      expect(c.attempts.map((a) => [a.provider, a.errorKind ?? 'ok'])).toEqual([
        ['anthropic', 'auth'],
        ['openai', 'bad_request'],
        ['local', 'ok'],
      ]);
      expect(events.filter((e) => e.type === 'failover')).toEqual([
        { type: 'failover', from: 'anthropic', to: 'openai' },
        { type: 'failover', from: 'openai', to: 'local' },
      ]);
    } finally {
      await server.close();
    }
  });
});
