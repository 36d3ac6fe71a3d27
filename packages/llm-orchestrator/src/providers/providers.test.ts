import { afterEach, describe, expect, it } from 'vitest';
import { startFakeLlmServer, type FakeLlmServer, type FakeStep } from '../testing.js';
import { createAnthropicProvider } from './anthropic.js';
import { createOpenAIProvider } from './openai.js';
import type { LlmProvider, ProviderRequest } from './provider.js';

const request: ProviderRequest = {
  model: 'test-model',
  system: 'be brief',
  messages: [{ role: 'user', content: 'say hello' }],
  maxTokens: 64,
  temperature: 0,
  stopSequences: [],
};

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const makers: Record<string, (s: FakeLlmServer, timeoutMs?: number) => LlmProvider> = {
  anthropic: (s, timeoutMs = 5000) => createAnthropicProvider({ apiKey: 'sk-ant-test', baseUrl: s.anthropicBaseUrl, model: 'test-model', timeoutMs }),
  openai: (s, timeoutMs = 5000) => createOpenAIProvider({ id: 'openai', apiKey: 'sk-test', baseUrl: s.openaiBaseUrl, model: 'test-model', timeoutMs }),
};

describe.each(Object.keys(makers))('%s provider against the fake server', (name) => {
  const make = makers[name] as (s: FakeLlmServer, timeoutMs?: number) => LlmProvider;

  it('streams text deltas, usage with cache tokens and the stop reason', async () => {
    server = await startFakeLlmServer({
      script: [{ text: 'Hello there, world!', usage: { inputTokens: 11, outputTokens: 5, cacheReadTokens: 7, cacheWriteTokens: name === 'anthropic' ? 3 : 0 }, chunkSize: 5 }],
    });
    const deltas: string[] = [];
    const r = await make(server).complete(request, { signal: new AbortController().signal, onText: (d) => deltas.push(d) });
    const res = r._unsafeUnwrap();
    expect(res.text).toBe('Hello there, world!');
    expect(deltas).toEqual(['Hello', ' ther', 'e, wo', 'rld!']);
    expect(res.usage).toEqual({ inputTokens: 11, outputTokens: 5, cacheReadTokens: 7, cacheWriteTokens: name === 'anthropic' ? 3 : 0 });
    expect(res.stopReason).toBe('end_turn');
    expect(server.requests).toHaveLength(1);
    const body = server.requests[0]?.body as Record<string, unknown>;
    expect(body['stream']).toBe(true);
    if (name === 'openai') {
      expect(body['stream_options']).toEqual({ include_usage: true });
      expect(body['messages']).toEqual([
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'say hello' },
      ]);
    } else {
      expect(body['system']).toBe('be brief');
      expect(body['messages']).toEqual([{ role: 'user', content: 'say hello' }]);
    }
  });

  it('marks the system text as a cacheable prefix when asked', async () => {
    server = await startFakeLlmServer({ script: [{ text: 'ok' }] });
    (await make(server).complete({ ...request, promptCaching: true }, { signal: new AbortController().signal, onText: () => {} }))._unsafeUnwrap();
    const body = server.requests[0]?.body as Record<string, unknown>;
    if (name === 'anthropic') {
      expect(body['system']).toEqual([{ type: 'text', text: 'be brief', cache_control: { type: 'ephemeral' } }]);
    } else {
      expect((body['messages'] as unknown[])[0]).toEqual({ role: 'system', content: 'be brief' });
    }
  });

  it('reports max_tokens as the stop reason', async () => {
    server = await startFakeLlmServer({ script: [{ text: 'cut short', stopReason: 'max_tokens' }] });
    const r = await make(server).complete(request, { signal: new AbortController().signal, onText: () => {} });
    expect(r._unsafeUnwrap().stopReason).toBe('max_tokens');
  });

  const cases: [FakeStep, string, Record<string, unknown>][] = [
    [{ fault: 'server_error' }, 'server', { status: 500, retryable: true }],
    [{ fault: 'overloaded' }, 'overloaded', { retryable: true }],
    [{ fault: 'rate_limited', retryAfterS: 3 }, 'rate_limited', { status: 429, retryAfterMs: 3000, retryable: true }],
    [{ fault: 'auth' }, 'auth', { status: 401, retryable: false }],
    [{ fault: 'bad_request' }, 'bad_request', { status: 400, retryable: false }],
    [{ fault: 'context_too_long' }, 'context_too_long', { status: 400, retryable: false }],
    [{ fault: 'reset' }, 'network', { retryable: true }],
    [{ fault: 'malformed' }, 'malformed_response', { retryable: true }],
    [{ fault: 'cut' }, 'network', { retryable: true }],
    [{ fault: 'stream_overloaded' }, 'overloaded', { retryable: true }],
  ];
  it.each(cases)('classifies %o as %s', async (step, kind, extra) => {
    server = await startFakeLlmServer({ script: [step] });
    const r = await make(server).complete(request, { signal: new AbortController().signal, onText: () => {} });
    const e = r._unsafeUnwrapErr();
    expect(e).toMatchObject({ kind, provider: name, ...extra });
    expect(JSON.stringify(e)).not.toContain('sk-');
  });

  it('times out a hung request with kind timeout', async () => {
    server = await startFakeLlmServer({ script: [{ fault: 'hang' }] });
    const started = Date.now();
    const r = await make(server, 300).complete(request, { signal: new AbortController().signal, onText: () => {} });
    expect(r._unsafeUnwrapErr()).toMatchObject({ kind: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('cancels through the AbortSignal, also mid-stream', async () => {
    server = await startFakeLlmServer({ script: [{ text: 'a'.repeat(400), chunkSize: 1, delayMs: 0 }] });
    const controller = new AbortController();
    let seen = 0;
    const r = await make(server).complete(request, {
      signal: controller.signal,
      onText: () => {
        seen++;
        if (seen === 3) controller.abort();
      },
    });
    expect(r._unsafeUnwrapErr()).toMatchObject({ kind: 'cancelled', retryable: false });
  });
});
