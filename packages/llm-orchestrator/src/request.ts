import type { Attempt, ProviderId } from './errors.js';

export interface ChatMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

/** A named piece of context (a file, a snippet, a past mistake) put before the user request. */
export interface ContextBlock {
  readonly title: string;
  readonly content: string;
}

/** What callers ask for. Either `prompt`, or `messages` ending with a user turn, or both (prompt appended). */
export interface CompletionRequest {
  readonly system?: string;
  readonly context?: readonly ContextBlock[];
  readonly messages?: readonly ChatMessage[];
  readonly prompt?: string;
  /** Default 1024. */
  readonly maxTokens?: number;
  /** Default 0 (deterministic, cacheable). */
  readonly temperature?: number;
  readonly stopSequences?: readonly string[];
  /** Use only this provider (no failover). */
  readonly provider?: ProviderId;
  /** Override the provider's configured model. */
  readonly model?: string;
  /**
   * Ask the provider to cache the prompt prefix (system text) server-side. Anthropic needs an
   * explicit `cache_control` marker; OpenAI caches long prefixes on its own. Default false.
   */
  readonly promptCaching?: boolean;
  /** Set false to bypass the response cache. Default true (only temperature 0 is ever cached). */
  readonly cache?: boolean;
}

/**
 * Token counts. `inputTokens` excludes cached tokens for every provider (OpenAI's
 * `prompt_tokens` includes them, so they are subtracted), so cost is a plain sum.
 */
export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
}

export const ZERO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'content_filter' | 'cancelled' | 'other';

export interface Completion {
  readonly text: string;
  readonly provider: ProviderId;
  readonly model: string;
  readonly usage: Usage;
  /** USD for this request, including cache tokens; 0 for cache hits; null when the model has no price. */
  readonly costUsd: number | null;
  readonly cached: boolean;
  readonly attempts: readonly Attempt[];
  readonly stopReason: StopReason;
}
