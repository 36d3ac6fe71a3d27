import Anthropic from '@anthropic-ai/sdk';
import type { ResultAsync } from 'neverthrow';
import type { ProviderFailure } from '../errors.js';
import { toAnthropicMessages } from '../prompt.js';
import type { StopReason, Usage } from '../request.js';
import { runAttempt } from './attempt.js';
import type { LlmProvider, ProviderCallOptions, ProviderRequest, ProviderResponse } from './provider.js';

export interface AnthropicProviderOptions {
  readonly apiKey: string;
  /** Default: the SDK's (https://api.anthropic.com). */
  readonly baseUrl?: string;
  readonly model: string;
  readonly timeoutMs: number;
}

function mapStop(reason: string | null | undefined): StopReason {
  switch (reason) {
    case 'end_turn':
    case 'max_tokens':
    case 'stop_sequence':
    case 'tool_use':
      return reason;
    case 'refusal':
      return 'content_filter';
    case 'model_context_window_exceeded':
      return 'max_tokens';
    default:
      return 'other';
  }
}

/** Claude through the Messages API, streamed. SDK retries are off: the orchestrator owns retry. */
export function createAnthropicProvider(options: AnthropicProviderOptions): LlmProvider {
  const client = new Anthropic({
    apiKey: options.apiKey,
    ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
    maxRetries: 0,
    timeout: options.timeoutMs,
    logLevel: 'off',
  });
  const complete = (request: ProviderRequest, call: ProviderCallOptions): ResultAsync<ProviderResponse, ProviderFailure> =>
    runAttempt('anthropic', { signal: call.signal, timeoutMs: options.timeoutMs }, async (signal) => {
      const { system, messages } = toAnthropicMessages(request);
      const stream = await client.messages.create(
        {
          model: request.model,
          max_tokens: request.maxTokens,
          // SDK 1.x no longer types `temperature` for Messages; sampling is the model's default.
          messages,
          ...(system === undefined
            ? {}
            : request.promptCaching
              ? { system: [{ type: 'text' as const, text: system, cache_control: { type: 'ephemeral' as const } }] }
              : { system }),
          ...(request.stopSequences.length > 0 ? { stop_sequences: [...request.stopSequences] } : {}),
          stream: true,
        },
        { signal },
      );
      let text = '';
      let usage: Usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
      let stop: StopReason | undefined;
      let finished = false;
      for await (const event of stream) {
        switch (event.type) {
          case 'message_start': {
            const u = event.message.usage;
            usage = {
              inputTokens: u.input_tokens ?? 0,
              outputTokens: u.output_tokens ?? 0,
              cacheReadTokens: u.cache_read_input_tokens ?? 0,
              cacheWriteTokens: u.cache_creation_input_tokens ?? 0,
            };
            break;
          }
          case 'content_block_delta':
            if (event.delta.type === 'text_delta') {
              text += event.delta.text;
              call.onText(event.delta.text);
            }
            break;
          case 'message_delta': {
            const u = event.usage;
            usage = {
              inputTokens: u.input_tokens ?? usage.inputTokens,
              outputTokens: u.output_tokens ?? usage.outputTokens,
              cacheReadTokens: u.cache_read_input_tokens ?? usage.cacheReadTokens,
              cacheWriteTokens: u.cache_creation_input_tokens ?? usage.cacheWriteTokens,
            };
            stop = mapStop(event.delta.stop_reason);
            break;
          }
          case 'message_stop':
            finished = true;
            break;
          default:
            break;
        }
      }
      if (!finished && !signal.aborted) throw new SyntaxError('stream ended before message_stop');
      return { text, usage, stopReason: stop ?? 'other' };
    });
  return { id: 'anthropic', model: options.model, complete };
}
