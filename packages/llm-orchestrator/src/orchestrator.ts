import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { projectStateDir, silentLogger, writeFileAtomic, type Logger } from '@yantra/shared';
import { createCircuitBreaker, type BreakerSnapshot, type CircuitBreaker } from './breaker.js';
import { cacheKey, openResponseStore, type ResponseStore, type UsageTotals } from './cache.js';
import { systemClock, type Clock } from './clock.js';
import { providerChain, sanitizeConfig, type LlmConfig, type SanitizedConfig } from './config.js';
import { costOf, DEFAULT_PRICES, type PriceTable } from './cost.js';
import { PROVIDER_IDS, type Attempt, type LlmError, type ProviderFailure, type ProviderId } from './errors.js';
import type { BreakerTransition, EventSink, LlmEvent } from './events.js';
import { buildPrompt } from './prompt.js';
import { createProvider } from './providers/factory.js';
import type { LlmProvider, ProviderRequest, ProviderResponse } from './providers/provider.js';
import { DEFAULT_RETRY_POLICY, retryDelay, type RetryPolicy } from './retry.js';
import type { Completion, CompletionRequest, Usage } from './request.js';
import { ZERO_USAGE } from './request.js';

export interface OrchestratorOptions {
  /** The resolved config (see `loadLlmConfig`). */
  readonly config: LlmConfig;
  /** When set, responses are cached and usage persisted in `<projectRoot>/.yantra/cache.db`. Default: neither. */
  readonly projectRoot?: string;
  /** Replace or add providers (for example a custom backend). Default: built from the config. */
  readonly providers?: Partial<Record<ProviderId, LlmProvider>>;
  /** Overrides the config's `maxRetries` and the default 100/200/400 ms backoff. */
  readonly retry?: Partial<RetryPolicy>;
  /**
   * A JSON file where breaker states are kept between processes, so a CLI run after another does
   * not hit a provider whose breaker is still Open. Default: in memory only.
   */
  readonly breakerStateFile?: string;
  /** Cache entry lifetime. Default 24 h. */
  readonly cacheTtlMs?: number;
  /** Default: the shipped `prices.json`. */
  readonly prices?: PriceTable;
  /** Groups usage rows; default a random UUID per orchestrator. */
  readonly sessionId?: string;
  /** Receives every event of every request (breaker transitions included). */
  readonly onEvent?: EventSink;
  readonly clock?: Clock;
  /** Jitter source, in [0, 1). Default Math.random. */
  readonly random?: () => number;
  readonly logger?: Logger;
}

export interface CompleteOptions {
  readonly signal?: AbortSignal;
  /** Events of this request only: text deltas, attempts, failover, cache, breaker transitions. */
  readonly onEvent?: EventSink;
}

export interface OrchestratorStatus {
  readonly config: SanitizedConfig;
  readonly chain: readonly ProviderId[];
  readonly breakers: readonly BreakerSnapshot[];
  readonly transitions: readonly BreakerTransition[];
  readonly sessionId: string;
}

export interface UsageReport {
  readonly session: UsageTotals;
  /** All requests ever recorded for the project; null without a `projectRoot`. */
  readonly project: UsageTotals | null;
}

/** Streaming completions with retry, a breaker per provider, failover, a response cache and cost. */
export interface Orchestrator {
  complete(request: CompletionRequest, options?: CompleteOptions): ResultAsync<Completion, LlmError>;
  status(): OrchestratorStatus;
  usage(): UsageReport;
  /** Closes the cache database. */
  close(): void;
  /** Resolves when pending breaker-state writes are on disk. */
  flush(): Promise<void>;
}

function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
  };
}

function summarize(attempts: readonly Attempt[]): string {
  const parts: string[] = [];
  for (const a of attempts) {
    const what = a.skipped ? 'skipped (breaker open)' : a.ok ? 'ok' : (a.errorKind ?? 'failed');
    const prev = parts.at(-1);
    const item = `${a.provider}: ${what}`;
    if (prev !== undefined && prev.replace(/ ×\d+$/, '') === item) {
      const n = Number(/ ×(\d+)$/.exec(prev)?.[1] ?? '1') + 1;
      parts[parts.length - 1] = `${item} ×${n}`;
    } else parts.push(item);
  }
  return parts.join('; ');
}

/** Reads saved breaker states; a missing or unreadable file means every breaker starts Closed. */
function loadBreakerStates(file: string, logger: Logger): Map<ProviderId, BreakerSnapshot> {
  const out = new Map<ProviderId, BreakerSnapshot>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return out;
  }
  const list = (parsed as { breakers?: unknown }).breakers;
  if (!Array.isArray(list)) {
    logger.warn('ignoring malformed breaker state file', { file });
    return out;
  }
  for (const item of list as Partial<BreakerSnapshot>[]) {
    const ok =
      typeof item === 'object' &&
      item !== null &&
      (PROVIDER_IDS as readonly unknown[]).includes(item.provider) &&
      (item.state === 'closed' || item.state === 'open' || item.state === 'half_open') &&
      typeof item.consecutiveFailures === 'number' &&
      (item.retryAt === undefined || typeof item.retryAt === 'number');
    if (ok) out.set(item.provider as ProviderId, item as BreakerSnapshot);
  }
  return out;
}

/** The caller's fault, not the provider's: they never count toward opening its breaker. */
const CALLER_FAULTS = new Set(['bad_request', 'context_too_long']);

/**
 * Creates an orchestrator. Defaults: retries from the config (3) with 100/200/400 ms backoff and
 * ±20 % jitter, `retry-after` honoured up to 30 s; a breaker per provider (3 failures, 60 s
 * cooldown, from the config); no cache unless `projectRoot` is given; the system clock.
 */
export function createOrchestrator(options: OrchestratorOptions): Orchestrator {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const random = options.random ?? Math.random;
  const prices = options.prices ?? DEFAULT_PRICES;
  const sessionId = options.sessionId ?? randomUUID();
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxRetries: config.maxRetries, ...options.retry };
  const chain = providerChain(config);
  const transitions: BreakerTransition[] = [];
  const breakers = new Map<ProviderId, CircuitBreaker>();
  const providers = new Map<ProviderId, LlmProvider>();
  let currentSink: EventSink | undefined;
  let sessionTotals: UsageTotals = { requests: 0, cachedRequests: 0, usage: ZERO_USAGE, costUsd: 0 };

  // A listener that throws must not look like a provider failure (and trigger retries).
  const emit = (event: LlmEvent, sink: EventSink | undefined) => {
    for (const listener of [sink, options.onEvent]) {
      try {
        listener?.(event);
      } catch (e) {
        logger.warn('an event listener threw', { event: event.type, error: String(e) });
      }
    }
  };
  const saved = options.breakerStateFile === undefined ? new Map<ProviderId, BreakerSnapshot>() : loadBreakerStates(options.breakerStateFile, logger);
  let saving: Promise<unknown> = Promise.resolve();
  const persist = () => {
    const file = options.breakerStateFile;
    if (file === undefined) return;
    const body = `${JSON.stringify({ version: 1, breakers: [...breakers.values()].map((b) => b.snapshot()) }, null, 2)}\n`;
    // Writes are chained so that the file always ends with the latest state.
    saving = saving.then(() =>
      writeFileAtomic(file, body).match(
        () => undefined,
        (e) => logger.warn('cannot save breaker state', { error: e.message }),
      ),
    );
  };
  const breakerFor = (id: ProviderId): CircuitBreaker => {
    let b = breakers.get(id);
    if (!b) {
      b = createCircuitBreaker(
        id,
        config.breaker,
        clock,
        (t) => {
          transitions.push(t);
          logger.info(`breaker ${t.provider}: ${t.from} -> ${t.to}`);
          emit({ type: 'breaker', ...t }, currentSink);
          persist();
        },
        saved.get(id),
      );
      breakers.set(id, b);
    }
    return b;
  };
  // Providers are built on first use, so a missing model file or SDK cost nothing until needed.
  const providerFor = (id: ProviderId): LlmProvider => {
    let p = providers.get(id) ?? options.providers?.[id];
    if (!p) p = createProvider(id, config);
    providers.set(id, p);
    return p;
  };
  let store: ResponseStore | undefined;
  let storeFailed = false;
  const storeFor = (): ResponseStore | undefined => {
    if (store || storeFailed || options.projectRoot === undefined) return store;
    try {
      store = openResponseStore({
        file: path.join(projectStateDir(options.projectRoot), 'cache.db'),
        logger,
        ...(options.cacheTtlMs === undefined ? {} : { ttlMs: options.cacheTtlMs }),
      });
    } catch (e) {
      // The cache is an optimisation: without it, requests still work.
      storeFailed = true;
      logger.warn('response cache unavailable', { error: String(e) });
    }
    return store;
  };

  const record = (provider: ProviderId, model: string, usage: Usage, costUsd: number | null, cached: boolean) => {
    sessionTotals = {
      requests: sessionTotals.requests + 1,
      cachedRequests: sessionTotals.cachedRequests + (cached ? 1 : 0),
      usage: addUsage(sessionTotals.usage, usage),
      costUsd: Math.round((sessionTotals.costUsd + (costUsd ?? 0)) * 1e9) / 1e9,
    };
    try {
      storeFor()?.recordUsage({ sessionId, at: clock.now(), provider, model, usage, costUsd, cached });
    } catch (e) {
      logger.warn('cannot record usage', { error: String(e) });
    }
  };

  const run = async (request: CompletionRequest, opts: CompleteOptions): Promise<Completion | LlmError> => {
    const built = buildPrompt(request).match(
      (value) => ({ ok: true as const, value }),
      (error) => ({ ok: false as const, error }),
    );
    if (!built.ok) return built.error;
    const maxTokens = request.maxTokens ?? 1024;
    const temperature = request.temperature ?? 0;
    if (!Number.isInteger(maxTokens) || maxTokens < 1) {
      return { kind: 'invalid_request', message: 'maxTokens must be a positive integer', retryable: false, field: 'maxTokens' };
    }
    const order = request.provider ? [request.provider] : chain;
    if (order.length === 0) {
      return { kind: 'no_provider', message: 'no LLM provider is configured (set a key, a compatible server, or enable the local model)', retryable: false };
    }
    const sink = opts.onEvent;
    const attempts: Attempt[] = [];
    const failures: ProviderFailure[] = [];
    const signal = opts.signal ?? new AbortController().signal;
    const cancelled = (provider: ProviderId): LlmError => ({ kind: 'cancelled', message: 'request cancelled', retryable: false, provider });

    for (const [index, id] of order.entries()) {
      if (signal.aborted) return cancelled(id);
      if (index > 0) emit({ type: 'failover', from: order[index - 1] as ProviderId, to: id }, sink);
      const provider = providerFor(id);
      const model = (index === 0 ? request.model : undefined) ?? provider.model;
      const providerRequest: ProviderRequest = {
        model,
        ...(built.value.system === undefined ? {} : { system: built.value.system }),
        messages: built.value.messages,
        maxTokens,
        temperature,
        stopSequences: request.stopSequences ?? [],
        ...(request.promptCaching ? { promptCaching: true } : {}),
      };
      const cacheable = request.cache !== false && temperature === 0;
      const key = cacheable ? cacheKey(id, providerRequest) : undefined;
      if (key !== undefined) {
        const s = storeFor();
        const hit = s?.get(key, clock.now());
        if (s) emit({ type: 'cache', hit: hit !== undefined, provider: id }, sink);
        if (hit) {
          emit({ type: 'text', provider: id, delta: hit.text }, sink);
          // A hit bills nothing: totals count the request, with zero tokens.
          record(id, model, ZERO_USAGE, 0, true);
          return { text: hit.text, provider: id, model, usage: hit.usage, costUsd: 0, cached: true, attempts, stopReason: hit.stopReason };
        }
      }
      // Breaker calls are synchronous, so pointing the transition sink at this request around
      // each call routes transitions to the request that caused them, even with requests in parallel.
      const raw = breakerFor(id);
      const withSink = <T>(fn: () => T): T => {
        currentSink = sink;
        try {
          return fn();
        } finally {
          currentSink = undefined;
        }
      };
      const breaker = {
        tryAcquire: () => withSink(() => raw.tryAcquire()),
        onSuccess: () => withSink(() => raw.onSuccess()),
        onFailure: () => withSink(() => raw.onFailure()),
        release: () => raw.release(),
        snapshot: () => raw.snapshot(),
      };
      for (let attempt = 1; ; attempt++) {
        if (!breaker.tryAcquire()) {
          if (attempt === 1) {
            attempts.push({ provider: id, model, ok: false, ms: 0, skipped: true });
            emit({ type: 'provider_skipped', provider: id, reason: 'breaker_open' }, sink);
          }
          break;
        }
        emit({ type: 'attempt_started', provider: id, model, attempt }, sink);
        const started = performance.now();
        // Custom providers might throw instead of returning a failure; that is a server fault too.
        const result = await ResultAsync.fromPromise(
          Promise.resolve().then(() =>
            provider.complete(providerRequest, { signal, onText: (delta) => emit({ type: 'text', provider: id, delta }, sink) }),
          ),
          (e): ProviderFailure => ({ kind: 'server', message: `provider ${id} threw: ${String(e)}`, retryable: true, provider: id }),
        ).andThen((r) => r);
        const ms = Math.round((performance.now() - started) * 100) / 100;
        const outcome = result.match(
          (value): { ok: true; value: ProviderResponse } => ({ ok: true, value }),
          (error): { ok: false; error: ProviderFailure } => ({ ok: false, error }),
        );
        if (outcome.ok) {
          breaker.onSuccess();
          attempts.push({ provider: id, model, ok: true, ms });
          const { text, usage, stopReason } = outcome.value;
          emit({ type: 'usage', provider: id, usage }, sink);
          emit({ type: 'stop', provider: id, stopReason }, sink);
          const costUsd = costOf(prices, id, model, usage);
          record(id, model, usage, costUsd, false);
          if (key !== undefined && stopReason !== 'cancelled') {
            try {
              storeFor()?.put(key, { text, usage, stopReason, createdAt: clock.now() });
            } catch (e) {
              logger.warn('cannot write the response cache', { error: String(e) });
            }
          }
          return { text, provider: id, model, usage, costUsd, cached: false, attempts, stopReason };
        }
        const failure = outcome.error;
        attempts.push({ provider: id, model, ok: false, errorKind: failure.kind, ms });
        if (failure.kind === 'cancelled') {
          breaker.release();
          emit({ type: 'attempt_failed', provider: id, errorKind: failure.kind, ms }, sink);
          return failure;
        }
        // A 400 is a well-formed answer: the provider is up, so it counts as health, not failure.
        if (CALLER_FAULTS.has(failure.kind)) breaker.onSuccess();
        else breaker.onFailure();
        const delay = breaker.snapshot().state === 'closed' ? retryDelay(policy, failure, attempt, random) : undefined;
        emit(
          { type: 'attempt_failed', provider: id, errorKind: failure.kind, ms, ...(delay === undefined ? {} : { retryInMs: delay }) },
          sink,
        );
        logger.debug(`attempt ${attempt} on ${id} failed: ${failure.kind}: ${failure.message}`);
        if (delay === undefined) {
          failures.push(failure);
          break;
        }
        if (!(await clock.sleep(delay, signal))) return cancelled(id);
      }
    }
    return {
      kind: 'all_providers_failed',
      message: `every provider failed: ${summarize(attempts)}`,
      retryable: failures.some((f) => f.retryable) || attempts.some((a) => a.skipped === true),
      attempts,
      failures,
    };
  };

  return {
    complete(request, opts = {}) {
      return ResultAsync.fromSafePromise(run(request, opts)).andThen((r) => ('kind' in r ? errAsync<Completion, LlmError>(r) : okAsync(r)));
    },
    status() {
      for (const id of chain) breakerFor(id);
      return {
        config: sanitizeConfig(config),
        chain,
        breakers: [...breakers.values()].map((b) => b.snapshot()),
        transitions: [...transitions],
        sessionId,
      };
    },
    usage() {
      let project: UsageTotals | null = null;
      try {
        project = storeFor()?.totals() ?? null;
      } catch (e) {
        logger.warn('cannot read usage totals', { error: String(e) });
      }
      return { session: sessionTotals, project };
    },
    close() {
      store?.close();
      store = undefined;
    },
    flush() {
      return saving.then(() => undefined);
    },
  };
}
