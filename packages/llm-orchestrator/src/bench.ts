import Anthropic from '@anthropic-ai/sdk';
import { okAsync } from 'neverthrow';
import { resolveLlmConfig, type LlmConfig } from './config.js';
import type { BreakerTransition } from './events.js';
import type { Attempt, ProviderId } from './errors.js';
import { createOrchestrator, type Orchestrator } from './orchestrator.js';
import { startFakeLlmServer } from './testing/fake-server.js';

export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
}

function percentiles(samples: readonly number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return { p50: round(at(0.5)), p99: round(at(0.99)), mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)) };
}

export interface OverheadReport {
  readonly iterations: number;
  /** Bare `@anthropic-ai/sdk` streaming call against the local fake endpoint, ms. */
  readonly bareMs: Percentiles;
  /** The same call through `Orchestrator.complete` (cache off), ms. */
  readonly orchestratedMs: Percentiles;
  /** Per-iteration difference (orchestrated − bare, measured back to back), ms. */
  readonly overheadMs: Percentiles;
  /**
   * `complete` over a provider that answers instantly in memory: the orchestration code alone
   * (prompt build, breaker, retry loop, events, cost), free of network and scheduler noise, ms.
   */
  readonly pureOverheadMs: Percentiles;
  readonly targetP50Ms: 2;
  readonly meetsTarget: boolean;
}

/**
 * Measures what the orchestrator adds over a bare SDK call: both stream the same reply from a
 * local fake Anthropic endpoint, alternating, so drift in the machine affects both alike.
 */
export async function measureOverhead(iterations: number, onProgress: (done: number, total: number) => void): Promise<OverheadReport> {
  const server = await startFakeLlmServer({ script: () => ({ text: 'def hello():\n    return "world"\n', chunkSize: 16 }) });
  try {
    const client = new Anthropic({ apiKey: 'bench', baseURL: server.anthropicBaseUrl, maxRetries: 0, logLevel: 'off' });
    const { config } = resolveLlmConfig(
      {},
      { ANTHROPIC_API_KEY: 'bench', ANTHROPIC_BASE_URL: server.anthropicBaseUrl, YANTRA_LLM_LOCAL: 'off' },
      { config: '/nonexistent', cache: '/nonexistent' },
    );
    const orchestrator = createOrchestrator({ config: config as LlmConfig });
    const bare = async () => {
      const stream = await client.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 64,
        system: 'bench',
        messages: [{ role: 'user', content: 'say hello' }],
        stream: true,
      });
      let text = '';
      for await (const e of stream) if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') text += e.delta.text;
      return text;
    };
    const orchestrated = () =>
      orchestrator.complete({ system: 'bench', prompt: 'say hello', maxTokens: 64, cache: false }).match(
        (c) => c.text,
        (e) => {
          throw new Error(e.message);
        },
      );
    // Warm both paths (JIT, connection pool) before measuring.
    for (let i = 0; i < 20; i++) {
      await bare();
      await orchestrated();
    }
    const bareMs: number[] = [];
    const orchMs: number[] = [];
    const diff: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const t0 = performance.now();
      await bare();
      const t1 = performance.now();
      await orchestrated();
      const t2 = performance.now();
      bareMs.push(t1 - t0);
      orchMs.push(t2 - t1);
      diff.push(t2 - t1 - (t1 - t0));
      onProgress(i + 1, iterations);
    }
    orchestrator.close();
    const instant = createOrchestrator({
      config: config as LlmConfig,
      providers: {
        anthropic: {
          id: 'anthropic',
          model: 'claude-sonnet-4-6',
          complete: (_request, call) => {
            call.onText('def hello(): ...');
            return okAsync({ text: 'def hello(): ...', usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 }, stopReason: 'end_turn' as const });
          },
        },
      },
    });
    const pure: number[] = [];
    for (let i = 0; i < iterations + 20; i++) {
      const t0 = performance.now();
      await instant.complete({ system: 'bench', prompt: 'say hello', maxTokens: 64, cache: false }, { onEvent: () => {} }).match(
        () => undefined,
        (e) => {
          throw new Error(e.message);
        },
      );
      if (i >= 20) pure.push(performance.now() - t0);
    }
    instant.close();
    const overheadMs = percentiles(diff);
    return {
      iterations,
      bareMs: percentiles(bareMs),
      orchestratedMs: percentiles(orchMs),
      overheadMs,
      pureOverheadMs: percentiles(pure),
      targetP50Ms: 2,
      meetsTarget: overheadMs.p50 <= 2,
    };
  } finally {
    await server.close();
  }
}

export interface BenchRequest {
  readonly provider: ProviderId | null;
  readonly ok: boolean;
  readonly errorKind: string | null;
  readonly ms: number;
  readonly attempts: readonly Pick<Attempt, 'provider' | 'ok' | 'errorKind' | 'ms' | 'skipped'>[];
}

export interface BenchReport {
  readonly requests: readonly BenchRequest[];
  readonly transitions: readonly BreakerTransition[];
  readonly totalMs: number;
}

/** Sends exactly `count` orchestrated requests in sequence and reports provider, attempts and breaker transitions. */
export async function runRequestBench(
  orchestrator: Orchestrator,
  count: number,
  onProgress: (done: number, total: number) => void,
): Promise<BenchReport> {
  const requests: BenchRequest[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const outcome = await orchestrator.complete({ prompt: `Reply with the number ${i + 1}.`, maxTokens: 16, cache: false }).match(
      (c): BenchRequest => ({ provider: c.provider, ok: true, errorKind: null, ms: 0, attempts: c.attempts }),
      (e): BenchRequest => ({
        provider: null,
        ok: false,
        errorKind: e.kind,
        ms: 0,
        attempts: e.kind === 'all_providers_failed' ? e.attempts : [],
      }),
    );
    requests.push({ ...outcome, ms: Math.round((performance.now() - t0) * 100) / 100 });
    onProgress(i + 1, count);
  }
  return { requests, transitions: orchestrator.status().transitions, totalMs: Math.round(performance.now() - started) };
}

export interface FailoverReport extends BenchReport {
  /** Requests the failing primary received in total, and while its breaker was Open. */
  readonly primaryRequests: number;
  readonly primaryRequestsWhileOpen: number;
  /** Time from the first request's start to its success on the secondary, ms. */
  readonly firstFailoverMs: number;
  /** Sum of the default backoff delays (100 + 200 + 400 ms): the target for `firstFailoverMs`. */
  readonly backoffCycleMs: number;
}

/**
 * Failover against the local fake endpoint, real clock: the primary (Anthropic) is always
 * overloaded, the secondary (OpenAI) answers. Shows the breaker opening and that nothing reaches
 * the primary while it is Open.
 */
export async function runFailoverBench(count: number, onProgress: (done: number, total: number) => void): Promise<FailoverReport> {
  let open = false;
  let whileOpen = 0;
  const server = await startFakeLlmServer({
    script: (r) => {
      if (r.api === 'anthropic' && open) whileOpen++;
      return r.api === 'anthropic' ? { fault: 'overloaded' } : { text: 'ok from the secondary' };
    },
  });
  try {
    const { config } = resolveLlmConfig(
      {},
      {
        ANTHROPIC_API_KEY: 'bench',
        OPENAI_API_KEY: 'bench',
        ANTHROPIC_BASE_URL: server.anthropicBaseUrl,
        OPENAI_BASE_URL: server.openaiBaseUrl,
        YANTRA_LLM_PRIMARY: 'anthropic',
        YANTRA_LLM_SECONDARY: 'openai',
        YANTRA_LLM_LOCAL: 'off',
      },
      { config: '/nonexistent', cache: '/nonexistent' },
    );
    const orchestrator = createOrchestrator({
      config: config as LlmConfig,
      onEvent: (e) => {
        if (e.type === 'breaker' && e.provider === 'anthropic') open = e.to === 'open';
      },
    });
    const report = await runRequestBench(orchestrator, count, onProgress);
    orchestrator.close();
    return {
      ...report,
      primaryRequests: server.requests.filter((r) => r.api === 'anthropic').length,
      primaryRequestsWhileOpen: whileOpen,
      firstFailoverMs: report.requests[0]?.ms ?? 0,
      backoffCycleMs: 700,
    };
  } finally {
    await server.close();
  }
}
