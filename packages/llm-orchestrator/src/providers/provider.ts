import type { ResultAsync } from 'neverthrow';
import type { ProviderFailure, ProviderId } from '../errors.js';
import type { ChatMessage, StopReason, Usage } from '../request.js';

/** A request already resolved for one provider: model picked, context folded into messages. */
export interface ProviderRequest {
  readonly model: string;
  readonly system?: string;
  readonly messages: readonly ChatMessage[];
  readonly maxTokens: number;
  readonly temperature: number;
  readonly stopSequences: readonly string[];
  /** Mark the system text as a cacheable prefix (Anthropic `cache_control`). */
  readonly promptCaching?: boolean;
}

export interface ProviderResponse {
  readonly text: string;
  readonly usage: Usage;
  readonly stopReason: StopReason;
}

export interface ProviderCallOptions {
  /** Aborts the whole attempt (including the body stream). */
  readonly signal: AbortSignal;
  readonly onText: (delta: string) => void;
}

/** One backend. Each call is exactly one attempt: providers never retry on their own. */
export interface LlmProvider {
  readonly id: ProviderId;
  readonly model: string;
  complete(request: ProviderRequest, options: ProviderCallOptions): ResultAsync<ProviderResponse, ProviderFailure>;
}
