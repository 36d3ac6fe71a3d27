import type { YantraError } from '@yantra/shared';

/** The closed set of ways a provider call can fail. Drives retry, breaker and failover. */
export type ProviderErrorKind =
  | 'rate_limited'
  | 'overloaded'
  | 'auth'
  | 'bad_request'
  | 'context_too_long'
  | 'timeout'
  | 'network'
  | 'server'
  | 'malformed_response'
  | 'cancelled';

export const PROVIDER_ERROR_KINDS: readonly ProviderErrorKind[] = [
  'rate_limited',
  'overloaded',
  'auth',
  'bad_request',
  'context_too_long',
  'timeout',
  'network',
  'server',
  'malformed_response',
  'cancelled',
];

/** Which providers exist. `compatible` is any OpenAI-compatible server (Ollama, vLLM, LM Studio...). */
export type ProviderId = 'anthropic' | 'openai' | 'compatible' | 'local';

export const PROVIDER_IDS: readonly ProviderId[] = ['anthropic', 'openai', 'compatible', 'local'];

/** One provider call that failed, classified. */
export type ProviderFailure = YantraError<ProviderErrorKind> & {
  readonly retryable: boolean;
  readonly provider: ProviderId;
  /** HTTP status, when the failure came with one. */
  readonly status?: number;
  /** From `retry-after-ms` / `retry-after`, for `rate_limited` (and overloaded when sent). */
  readonly retryAfterMs?: number;
};

/** One HTTP (or local) attempt as seen by the orchestrator. */
export interface Attempt {
  readonly provider: ProviderId;
  readonly model: string;
  readonly ok: boolean;
  readonly errorKind?: ProviderErrorKind;
  readonly ms: number;
  /** True when the provider was skipped because its breaker was Open (no request sent). */
  readonly skipped?: boolean;
}

/** Everything `complete` can fail with. A closed union of plain, serializable objects. */
export type LlmError =
  | ProviderFailure
  | (YantraError<'all_providers_failed'> & {
      readonly retryable: boolean;
      readonly attempts: readonly Attempt[];
      /** The last failure of each provider that was tried (skipped ones have none). */
      readonly failures: readonly ProviderFailure[];
    })
  | (YantraError<'no_provider'> & { readonly retryable: false })
  | (YantraError<'invalid_request'> & { readonly retryable: false; readonly field: string });

/** Config file or env problems, reported with the path of the bad field. */
export type LlmConfigError =
  | (YantraError<'config_invalid'> & { readonly path: string; readonly issues: readonly string[] })
  | (YantraError<'config_unreadable'> & { readonly path: string })
  | (YantraError<'config_write_failed'> & { readonly path: string });

/** Retrying these cannot help: the same request gets the same answer. */
export function isRetryableKind(kind: ProviderErrorKind): boolean {
  return !(kind === 'auth' || kind === 'bad_request' || kind === 'context_too_long' || kind === 'cancelled');
}

export function providerFailure(
  provider: ProviderId,
  kind: ProviderErrorKind,
  message: string,
  extra: { status?: number; retryAfterMs?: number } = {},
): ProviderFailure {
  return {
    kind,
    message,
    retryable: isRetryableKind(kind),
    provider,
    ...(extra.status === undefined ? {} : { status: extra.status }),
    ...(extra.retryAfterMs === undefined ? {} : { retryAfterMs: extra.retryAfterMs }),
  };
}
