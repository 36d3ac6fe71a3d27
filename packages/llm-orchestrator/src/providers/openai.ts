import OpenAI from 'openai';
import type { ResultAsync } from 'neverthrow';
import type { ProviderFailure } from '../errors.js';
import { toOpenAIMessages } from '../prompt.js';
import type { StopReason, Usage } from '../request.js';
import { runAttempt } from './attempt.js';
import type { LlmProvider, ProviderCallOptions, ProviderRequest, ProviderResponse } from './provider.js';

export interface OpenAIProviderOptions {
  /** `openai` for api.openai.com, `compatible` for Ollama, vLLM, llama.cpp server, LM Studio... */
  readonly id: 'openai' | 'compatible';
  /** Compatible servers often need none; the SDK still wants a string. */
  readonly apiKey?: string;
  readonly baseUrl?: string;
  readonly model: string;
  readonly timeoutMs: number;
}

function mapFinish(reason: string | null | undefined): StopReason {
  switch (reason) {
    case 'stop':
      return 'end_turn';
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'other';
  }
}

/** OpenAI Chat Completions, streamed with `stream_options.include_usage`. SDK retries are off. */
export function createOpenAIProvider(options: OpenAIProviderOptions): LlmProvider {
  const client = new OpenAI({
    apiKey: options.apiKey ?? 'not-needed',
    ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
    maxRetries: 0,
    timeout: options.timeoutMs,
    logLevel: 'off',
  });
  const complete = (request: ProviderRequest, call: ProviderCallOptions): ResultAsync<ProviderResponse, ProviderFailure> =>
    runAttempt(options.id, { signal: call.signal, timeoutMs: options.timeoutMs }, async (signal) => {
      const stream = await client.chat.completions.create(
        {
          model: request.model,
          messages: toOpenAIMessages(request),
          max_tokens: request.maxTokens,
          temperature: request.temperature,
          ...(request.stopSequences.length > 0 ? { stop: [...request.stopSequences] } : {}),
          stream: true,
          stream_options: { include_usage: true },
        },
        { signal },
      );
      let text = '';
      let usage: Usage | undefined;
      let stop: StopReason | undefined;
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        const delta = choice?.delta?.content;
        if (delta) {
          text += delta;
          call.onText(delta);
        }
        if (choice?.finish_reason) stop = mapFinish(choice.finish_reason);
        if (chunk.usage) {
          const cached = chunk.usage.prompt_tokens_details?.cached_tokens ?? 0;
          usage = {
            inputTokens: Math.max(0, chunk.usage.prompt_tokens - cached),
            outputTokens: chunk.usage.completion_tokens,
            cacheReadTokens: cached,
            cacheWriteTokens: 0,
          };
        }
      }
      if (stop === undefined && !signal.aborted) throw new SyntaxError('stream ended without a finish_reason');
      return {
        text,
        usage: usage ?? { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
        stopReason: stop ?? 'other',
      };
    });
  return { id: options.id, model: options.model, complete };
}
