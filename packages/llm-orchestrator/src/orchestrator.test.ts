import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStreamLogger } from '@yantra/shared';
import { createManualClock } from './clock.js';
import { resolveLlmConfig, type LlmConfig } from './config.js';
import type { LlmEvent } from './events.js';
import { createOrchestrator, type OrchestratorOptions } from './orchestrator.js';
import { startFakeLlmServer, type FakeLlmServer, type FakeRequest, type FakeStep } from './testing.js';

const ANTHROPIC_KEY = 'sk-ant-SECRETKEY-anthropic-0001';
const OPENAI_KEY = 'sk-SECRETKEY-openai-0002';

let servers: FakeLlmServer[] = [];
let dirs: string[] = [];
afterEach(async () => {
  for (const s of servers) await s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  servers = [];
  dirs = [];
});

async function fake(script: FakeStep[] | ((r: FakeRequest) => FakeStep)): Promise<FakeLlmServer> {
  const s = await startFakeLlmServer({ script });
  servers.push(s);
  return s;
}

function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'llm-orch-'));
  dirs.push(d);
  return d;
}

function config(server: FakeLlmServer, extra: Record<string, string> = {}, raw: Record<string, unknown> = {}): LlmConfig {
  const { config: c, issues } = resolveLlmConfig(
    { anthropic: { model: 'claude-sonnet-4-6' }, openai: { model: 'gpt-4o-mini' }, ...raw },
    {
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
      OPENAI_API_KEY: OPENAI_KEY,
      ANTHROPIC_BASE_URL: server.anthropicBaseUrl,
      OPENAI_BASE_URL: server.openaiBaseUrl,
      YANTRA_LLM_PRIMARY: 'anthropic',
      YANTRA_LLM_SECONDARY: 'openai',
      YANTRA_LLM_LOCAL: 'off',
      YANTRA_LLM_TIMEOUT_MS: '5000',
      ...extra,
    },
    { config: '/nonexistent/yantra', cache: '/nonexistent/cache' },
  );
  expect(issues).toEqual([]);
  return c as LlmConfig;
}

function orchestrator(server: FakeLlmServer, opts: Partial<OrchestratorOptions> = {}, env: Record<string, string> = {}) {
  const clock = createManualClock(1_000_000);
  const events: LlmEvent[] = [];
  const o = createOrchestrator({ config: config(server, env), clock, random: () => 0.5, onEvent: (e) => events.push(e), ...opts });
  return { o, clock, events };
}

const prompt = { prompt: 'write hello world', system: 'you write python' };

describe('orchestrator against real SDK clients and the fake server', () => {
  it('completes on the primary with streamed text, usage and cost including cache tokens', async () => {
    const server = await fake([{ text: 'print("hi")', usage: { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 2000, cacheWriteTokens: 500 } }]);
    const { o } = orchestrator(server);
    const deltas: string[] = [];
    const c = (await o.complete(prompt, { onEvent: (e) => e.type === 'text' && deltas.push(e.delta) }))._unsafeUnwrap();
    expect(c).toMatchObject({ text: 'print("hi")', provider: 'anthropic', model: 'claude-sonnet-4-6', cached: false, stopReason: 'end_turn' });
    expect(deltas.join('')).toBe('print("hi")');
    expect(c.usage).toEqual({ inputTokens: 1000, outputTokens: 100, cacheReadTokens: 2000, cacheWriteTokens: 500 });
    // sonnet: 3 in, 15 out, 0.3 cache read, 3.75 cache write per million
    expect(c.costUsd).toBeCloseTo((1000 * 3 + 100 * 15 + 2000 * 0.3 + 500 * 3.75) / 1e6, 12);
    expect(c.attempts).toEqual([expect.objectContaining({ provider: 'anthropic', ok: true })]);
    expect(o.usage().session).toMatchObject({ requests: 1, costUsd: c.costUsd });
  });

  it('retries overloaded with 100 then 200 ms backoff, then succeeds on the same provider', async () => {
    const server = await fake([{ fault: 'overloaded' }, { fault: 'overloaded' }, { text: 'ok' }]);
    const { o, clock } = orchestrator(server);
    const c = (await o.complete(prompt))._unsafeUnwrap();
    expect(c.provider).toBe('anthropic');
    expect(c.attempts.map((a) => [a.provider, a.ok, a.errorKind])).toEqual([
      ['anthropic', false, 'overloaded'],
      ['anthropic', false, 'overloaded'],
      ['anthropic', true, undefined],
    ]);
    expect(clock.sleeps).toEqual([100, 200]);
    expect(server.requests).toHaveLength(3);
    expect(o.status().breakers.find((b) => b.provider === 'anthropic')?.state).toBe('closed');
  });

  it('applies jitter within ±20 %', async () => {
    const server = await fake([{ fault: 'server_error' }, { text: 'ok' }]);
    const { o, clock } = orchestrator(server, { random: () => 0.999 });
    (await o.complete(prompt))._unsafeUnwrap();
    expect(clock.sleeps[0]).toBeGreaterThan(100);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(120);
  });

  it('honours retry-after on 429', async () => {
    const server = await fake([{ fault: 'rate_limited', retryAfterS: 2 }, { text: 'ok' }]);
    const { o, clock } = orchestrator(server);
    const c = (await o.complete(prompt))._unsafeUnwrap();
    expect(clock.sleeps).toEqual([2000]);
    expect(c.attempts.map((a) => a.errorKind ?? 'ok')).toEqual(['rate_limited', 'ok']);
  });

  it.each(['auth', 'bad_request', 'context_too_long'] as const)('never retries %s and fails over at once', async (fault) => {
    const server = await fake((r) => (r.api === 'anthropic' ? { fault } : { text: 'from openai' }));
    const { o, clock, events } = orchestrator(server);
    const c = (await o.complete(prompt))._unsafeUnwrap();
    expect(c.provider).toBe('openai');
    expect(c.text).toBe('from openai');
    expect(c.attempts.map((a) => [a.provider, a.errorKind ?? 'ok'])).toEqual([
      ['anthropic', fault],
      ['openai', 'ok'],
    ]);
    expect(clock.sleeps).toEqual([]);
    expect(events).toContainEqual({ type: 'failover', from: 'anthropic', to: 'openai' });
  });

  it.each(['reset', 'malformed', 'cut', 'server_error'] as const)('retries after %s and recovers', async (fault) => {
    const server = await fake([{ fault }, { text: 'recovered' }]);
    const { o } = orchestrator(server);
    const c = (await o.complete(prompt))._unsafeUnwrap();
    expect(c.text).toBe('recovered');
    expect(c.attempts[0]?.errorKind).toBe(fault === 'malformed' ? 'malformed_response' : fault === 'server_error' ? 'server' : 'network');
  });

  it('times out a hung provider, retries it, then fails over', async () => {
    const server = await fake((r) => (r.api === 'anthropic' ? { fault: 'hang' } : { text: 'secondary' }));
    const { o } = orchestrator(server, {}, { YANTRA_LLM_TIMEOUT_MS: '150', YANTRA_LLM_MAX_RETRIES: '1' });
    const c = (await o.complete(prompt))._unsafeUnwrap();
    expect(c.attempts.map((a) => [a.provider, a.errorKind ?? 'ok'])).toEqual([
      ['anthropic', 'timeout'],
      ['anthropic', 'timeout'],
      ['openai', 'ok'],
    ]);
  });

  it('opens the breaker after 3 failures, sends nothing while Open, half-opens after the cooldown', async () => {
    let anthropicFails = true;
    const server = await fake((r) => (r.api === 'anthropic' ? (anthropicFails ? { fault: 'server_error' } : { text: 'claude is back' }) : { text: 'openai' }));
    const { o, clock, events } = orchestrator(server);

    const first = (await o.complete(prompt))._unsafeUnwrap();
    expect(first.provider).toBe('openai');
    // 3 consecutive failures open the breaker, so the 4th attempt (3rd retry) is never sent.
    expect(first.attempts.map((a) => [a.provider, a.errorKind ?? 'ok'])).toEqual([
      ['anthropic', 'server'],
      ['anthropic', 'server'],
      ['anthropic', 'server'],
      ['openai', 'ok'],
    ]);
    expect(o.status().breakers.find((b) => b.provider === 'anthropic')?.state).toBe('open');
    const sentToAnthropic = () => server.requests.filter((r) => r.api === 'anthropic').length;
    expect(sentToAnthropic()).toBe(3);

    clock.advance(59_000);
    const second = (await o.complete({ prompt: 'another' }))._unsafeUnwrap();
    expect(second.attempts[0]).toMatchObject({ provider: 'anthropic', skipped: true, ms: 0 });
    expect(second.provider).toBe('openai');
    expect(sentToAnthropic()).toBe(3);

    clock.advance(1_000);
    anthropicFails = false;
    const third = (await o.complete({ prompt: 'third' }))._unsafeUnwrap();
    expect(third.provider).toBe('anthropic');
    expect(sentToAnthropic()).toBe(4);
    const transitions = events.filter((e) => e.type === 'breaker').map((e) => (e.type === 'breaker' ? `${e.from}->${e.to}` : ''));
    expect(transitions).toEqual(['closed->open', 'open->half_open', 'half_open->closed']);
    expect(o.status().transitions.map((t) => t.at)).toEqual([1_000_000 + 300, 1_000_000 + 300 + 60_000, 1_000_000 + 300 + 60_000]);
  });

  it('re-opens the breaker when the half-open trial fails, with a single trial request', async () => {
    const server = await fake((r) => (r.api === 'anthropic' ? { fault: 'overloaded' } : { text: 'openai' }));
    const { o, clock } = orchestrator(server);
    (await o.complete(prompt))._unsafeUnwrap();
    clock.advance(60_000);
    const c = (await o.complete(prompt))._unsafeUnwrap();
    expect(c.attempts.map((a) => [a.provider, a.errorKind ?? 'ok'])).toEqual([
      ['anthropic', 'overloaded'],
      ['openai', 'ok'],
    ]);
    expect(o.status().transitions.map((t) => t.to)).toEqual(['open', 'half_open', 'open']);
  });

  it('keeps breaker state between processes through breakerStateFile', async () => {
    const server = await fake((r) => (r.api === 'anthropic' ? { fault: 'server_error' } : { text: 'openai' }));
    const file = path.join(tmp(), 'state', 'llm-breakers.json');
    const first = orchestrator(server, { breakerStateFile: file });
    (await first.o.complete(prompt))._unsafeUnwrap();
    await first.o.flush();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ breakers: expect.arrayContaining([expect.objectContaining({ provider: 'anthropic', state: 'open', retryAt: 1_000_300 + 60_000 })]) });

    const second = orchestrator(server, { breakerStateFile: file });
    const c = (await second.o.complete({ prompt: 'next' }))._unsafeUnwrap();
    expect(c.attempts[0]).toMatchObject({ provider: 'anthropic', skipped: true });
    expect(server.requests.filter((r) => r.api === 'anthropic')).toHaveLength(3);
    second.clock.advance(60_300);
    (await second.o.complete({ prompt: 'after cooldown' }))._unsafeUnwrap();
    expect(server.requests.filter((r) => r.api === 'anthropic')).toHaveLength(4);
    expect(second.o.status().transitions.map((t) => t.to)).toEqual(['half_open', 'open']);
  });

  it('frees the half-open trial when it is cancelled or answered with a 400', async () => {
    let mode: 'fail' | 'slow' | 'bad' | 'ok' = 'fail';
    const server = await fake((r) =>
      r.api === 'openai'
        ? { text: 'openai' }
        : mode === 'fail'
          ? { fault: 'server_error' }
          : mode === 'slow'
            ? { text: 'x'.repeat(200), chunkSize: 1 }
            : mode === 'bad'
              ? { fault: 'bad_request' }
              : { text: 'claude' },
    );
    const { o, clock } = orchestrator(server);
    (await o.complete(prompt))._unsafeUnwrap();
    clock.advance(60_000);
    mode = 'slow';
    const controller = new AbortController();
    const cancelled = await o.complete(prompt, { signal: controller.signal, onEvent: (e) => e.type === 'text' && controller.abort() });
    expect(cancelled._unsafeUnwrapErr()).toMatchObject({ kind: 'cancelled' });
    mode = 'bad';
    const c = (await o.complete({ prompt: 'bad one' }))._unsafeUnwrap();
    expect(c.attempts.map((a) => [a.provider, a.errorKind ?? 'ok'])).toEqual([
      ['anthropic', 'bad_request'],
      ['openai', 'ok'],
    ]);
    mode = 'ok';
    expect((await o.complete({ prompt: 'good' }))._unsafeUnwrap().provider).toBe('anthropic');
    expect(o.status().transitions.map((t) => t.to)).toEqual(['open', 'half_open', 'closed']);
  });

  it('does not mistake a throwing event listener or a throwing custom provider for a provider answer', async () => {
    const server = await fake([{ text: 'fine' }]);
    const { o } = orchestrator(server, {
      providers: {
        openai: {
          id: 'openai',
          model: 'custom',
          complete: () => {
            throw new Error('bug in a custom provider');
          },
        },
      },
    });
    const c = (
      await o.complete(prompt, {
        onEvent: () => {
          throw new Error('listener bug');
        },
      })
    )._unsafeUnwrap();
    expect(c.attempts.map((a) => a.errorKind ?? 'ok')).toEqual(['ok']);
    const e = (await o.complete({ ...prompt, provider: 'openai' }))._unsafeUnwrapErr();
    expect(e.kind === 'all_providers_failed' && e.failures[0]).toMatchObject({ kind: 'server', provider: 'openai' });
  });

  it('returns one typed error listing every attempt when all providers fail', async () => {
    const server = await fake((r) => (r.api === 'anthropic' ? { fault: 'overloaded' } : { fault: 'auth' }));
    const { o } = orchestrator(server);
    const e = (await o.complete(prompt))._unsafeUnwrapErr();
    expect(e.kind).toBe('all_providers_failed');
    if (e.kind !== 'all_providers_failed') throw new Error('unreachable');
    expect(e.attempts.map((a) => [a.provider, a.errorKind])).toEqual([
      ['anthropic', 'overloaded'],
      ['anthropic', 'overloaded'],
      ['anthropic', 'overloaded'],
      ['openai', 'auth'],
    ]);
    expect(e.attempts.every((a) => typeof a.ms === 'number' && a.ms >= 0)).toBe(true);
    expect(e.failures.map((f) => [f.provider, f.kind])).toEqual([
      ['anthropic', 'overloaded'],
      ['openai', 'auth'],
    ]);
    expect(e.message).toContain('anthropic: overloaded ×3; openai: auth');
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });

  it('cancels through the signal without failing over', async () => {
    const server = await fake([{ text: 'x'.repeat(300), chunkSize: 1 }, { text: 'never' }]);
    const { o } = orchestrator(server);
    const controller = new AbortController();
    let n = 0;
    const r = await o.complete(prompt, {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'text' && ++n === 5) controller.abort();
      },
    });
    expect(r._unsafeUnwrapErr()).toMatchObject({ kind: 'cancelled' });
    expect(server.requests).toHaveLength(1);
  });

  it('rejects a request without a user turn, and reports no provider when none is configured', async () => {
    const server = await fake([]);
    const { o } = orchestrator(server);
    expect((await o.complete({ system: 'x' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'invalid_request', field: 'prompt' });
    expect((await o.complete({ prompt: 'x', maxTokens: 0 }))._unsafeUnwrapErr()).toMatchObject({ kind: 'invalid_request', field: 'maxTokens' });
    const { config: c } = resolveLlmConfig({}, { YANTRA_LLM_PRIMARY: 'anthropic', YANTRA_LLM_LOCAL: 'off' }, { config: '/x', cache: '/y' });
    const none = createOrchestrator({ config: c as LlmConfig });
    expect((await none.complete(prompt))._unsafeUnwrapErr()).toMatchObject({ kind: 'no_provider' });
    expect(server.requests).toHaveLength(0);
  });

  it('talks to an OpenAI-compatible server with its own base URL and model, unpriced', async () => {
    const server = await fake([{ text: 'from ollama' }]);
    const { config: c, issues } = resolveLlmConfig(
      { primary: 'compatible', compatible: { baseUrl: server.openaiBaseUrl, model: 'qwen2.5-coder:7b' } },
      { YANTRA_LLM_LOCAL: 'off' },
      { config: '/x', cache: '/y' },
    );
    expect(issues).toEqual([]);
    const o = createOrchestrator({ config: c as LlmConfig, clock: createManualClock() });
    const done = (await o.complete(prompt))._unsafeUnwrap();
    expect(done).toMatchObject({ text: 'from ollama', provider: 'compatible', model: 'qwen2.5-coder:7b', costUsd: null });
    expect(server.requests.map((r) => [r.api, r.model])).toEqual([['openai', 'qwen2.5-coder:7b']]);
  });

  it('uses only the requested provider and model when given', async () => {
    const server = await fake((r) => (r.api === 'openai' ? { fault: 'auth' } : { text: 'claude' }));
    const { o } = orchestrator(server);
    const e = (await o.complete({ ...prompt, provider: 'openai', model: 'gpt-4.1' }))._unsafeUnwrapErr();
    expect(e).toMatchObject({ kind: 'all_providers_failed' });
    expect(server.requests.map((r) => [r.api, r.model])).toEqual([['openai', 'gpt-4.1']]);
  });
});

describe('response cache and usage persistence', () => {
  it('caches temperature-0 responses in .yantra/cache.db for 24 h and reports hit and miss', async () => {
    const server = await fake([{ text: 'first', usage: { inputTokens: 10, outputTokens: 5 } }, { text: 'second' }, { text: 'third' }]);
    const root = tmp();
    const { o, clock, events } = orchestrator(server, { projectRoot: root });
    const a = (await o.complete(prompt))._unsafeUnwrap();
    const b = (await o.complete(prompt))._unsafeUnwrap();
    expect(a).toMatchObject({ text: 'first', cached: false });
    expect(b).toMatchObject({ text: 'first', cached: true, costUsd: 0, attempts: [] });
    expect(events.filter((e) => e.type === 'cache').map((e) => (e.type === 'cache' ? e.hit : null))).toEqual([false, true]);
    expect(server.requests).toHaveLength(1);

    const warm = (await o.complete({ ...prompt, temperature: 0.7 }))._unsafeUnwrap();
    expect(warm).toMatchObject({ text: 'second', cached: false });

    clock.advance(24 * 60 * 60 * 1000 + 1);
    expect((await o.complete(prompt))._unsafeUnwrap()).toMatchObject({ text: 'third', cached: false });
    expect(o.usage().session).toMatchObject({ requests: 4, cachedRequests: 1 });
    o.close();

    const again = createOrchestrator({ config: config(server), projectRoot: root, sessionId: 'other' });
    expect(again.usage().project).toMatchObject({ requests: 4, cachedRequests: 1, usage: expect.objectContaining({ inputTokens: expect.any(Number) }) });
    expect(again.usage().session.requests).toBe(0);
    again.close();
  });

  it('rebuilds a corrupt cache database instead of trusting it', async () => {
    const server = await fake([{ text: 'fresh' }]);
    const root = tmp();
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(path.join(root, '.yantra'));
    writeFileSync(path.join(root, '.yantra', 'cache.db'), 'this is not sqlite at all'.repeat(100));
    const { o } = orchestrator(server, { projectRoot: root });
    expect((await o.complete(prompt))._unsafeUnwrap()).toMatchObject({ text: 'fresh' });
    expect(o.usage().project?.requests).toBe(1);
    o.close();
  });
});

describe('secrets', () => {
  it('never puts API keys in events, errors, logs, status, usage or the cache file', async () => {
    const server = await fake((r) => (r.api === 'anthropic' ? { fault: 'auth' } : r.prompt === 'fail' ? { fault: 'server_error' } : { text: 'fine' }));
    const root = tmp();
    let log = '';
    const logger = createStreamLogger({ write: (l) => (log += l), level: 'debug' });
    const { o, events } = orchestrator(server, { projectRoot: root, logger });
    const ok = await o.complete(prompt);
    const bad = await o.complete({ prompt: 'fail' });
    o.close();
    const dump = [
      JSON.stringify(events),
      JSON.stringify(ok),
      JSON.stringify(bad),
      JSON.stringify(o.status()),
      JSON.stringify(o.usage()),
      log,
      readFileSync(path.join(root, '.yantra', 'cache.db')).toString('latin1'),
      JSON.stringify(config(server)),
      String(config(server).anthropic.apiKey),
    ].join('\n');
    expect(dump).not.toContain('SECRETKEY');
    expect(ok.isOk()).toBe(true);
    // The key did reach the server, in the header this SDK version sends (a bearer token).
    expect(server.requests[0]?.headers['authorization']).toBe(`Bearer ${ANTHROPIC_KEY}`);
    expect(server.requests.find((r) => r.api === 'openai')?.headers['authorization']).toBe(`Bearer ${OPENAI_KEY}`);
  });
});
