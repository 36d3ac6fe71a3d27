import type { Orchestrator, ProviderId } from '@yantra/llm-orchestrator';
import type { LlmPort, PortError } from '../pipeline/ports.js';

/** Adapts the orchestrator (retry, breaker, failover, cache, cost) to the pipeline's LLM port. */
export function orchestratorPort(orchestrator: Orchestrator, options: { readonly provider?: ProviderId; readonly maxTokens?: number } = {}): LlmPort {
  return {
    complete: (request, hooks) =>
      orchestrator
        .complete(
          {
            system: request.system,
            messages: request.messages,
            maxTokens: request.maxTokens ?? options.maxTokens ?? 2048,
            temperature: 0,
            ...(options.provider ? { provider: options.provider } : {}),
          },
          {
            ...(hooks.signal ? { signal: hooks.signal } : {}),
            onEvent: (e) => {
              if (e.type === 'text') hooks.onToken?.(e.delta);
            },
          },
        )
        .map((c) => ({
          text: c.text,
          provider: c.provider,
          model: c.model,
          usage: c.usage,
          costUsd: c.costUsd ?? 0,
        }))
        .mapErr((e): PortError => ({ kind: e.kind, message: e.message })),
  };
}
