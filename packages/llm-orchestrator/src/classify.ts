import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describeUnknown, errnoCode } from '@yantra/shared';
import { providerFailure, type ProviderErrorKind, type ProviderFailure, type ProviderId } from './errors.js';

/** Why our own abort controller fired, if it did: the caller's signal or the attempt timeout. */
export type AbortCause = 'cancelled' | 'timeout' | undefined;

interface HttpLikeError {
  readonly name: string;
  readonly status?: number;
  readonly headers?: Headers;
  readonly error?: unknown;
  readonly type?: string | null;
  readonly message: string;
}

const CONTEXT_TOO_LONG = /prompt is too long|context[_ ]length|maximum context|too many tokens|context window|exceeds the context/i;

/** Reads `retry-after-ms`, then `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (!headers || typeof headers.get !== 'function') return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function bodyText(error: unknown): string {
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? '';
  } catch {
    return '';
  }
}

function kindFromStatus(status: number, text: string): ProviderErrorKind {
  if (status === 401 || status === 403 || status === 402) return 'auth';
  if (status === 429) return 'rate_limited';
  if (status === 529 || status === 503) return 'overloaded';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 413) return 'context_too_long';
  if (status >= 400 && status < 500) return CONTEXT_TOO_LONG.test(text) ? 'context_too_long' : 'bad_request';
  return 'server';
}

/** Anthropic sends mid-stream failures as an SSE `error` event with a type but no status. */
function kindFromType(type: string, text: string): ProviderErrorKind | undefined {
  switch (type) {
    case 'overloaded_error':
      return 'overloaded';
    case 'rate_limit_error':
      return 'rate_limited';
    case 'authentication_error':
    case 'permission_error':
    case 'billing_error':
      return 'auth';
    case 'invalid_request_error':
      return CONTEXT_TOO_LONG.test(text) ? 'context_too_long' : 'bad_request';
    case 'request_too_large':
      return 'context_too_long';
    case 'not_found_error':
      return 'bad_request';
    case 'timeout_error':
      return 'timeout';
    case 'api_error':
    case 'server_error':
      return 'server';
    default:
      return undefined;
  }
}

/**
 * SDK errors raised on the client side, without an HTTP status. Listed by name so that a new
 * class in an SDK upgrade shows up in the classification test instead of slipping through.
 */
const SDK_CLIENT_ERRORS: Readonly<Record<string, ProviderErrorKind>> = {
  RetryableError: 'server',
  InvalidWebhookSignatureError: 'auth',
  SubjectTokenProviderError: 'auth',
  LengthFinishReasonError: 'bad_request',
  ContentFilterFinishReasonError: 'bad_request',
};

function sdkClientErrorKind(error: unknown): ProviderErrorKind | undefined {
  // The one SDK error class that does not extend the SDK's base error.
  if (error instanceof OpenAI.InvalidWebhookSignatureError) return 'auth';
  if (!(error instanceof Anthropic.AnthropicError || error instanceof OpenAI.OpenAIError)) return undefined;
  const named = SDK_CLIENT_ERRORS[error.constructor.name];
  if (named) return named;
  // The bare base class is what the SDKs throw for responses they cannot make sense of.
  return error.constructor === Anthropic.AnthropicError || error.constructor === OpenAI.OpenAIError ? 'malformed_response' : undefined;
}

function isHttpLike(e: unknown): e is HttpLikeError {
  return e instanceof Error && ('status' in e || 'headers' in e);
}

/** Keeps the message short and free of request echoes; keys are never in SDK messages, but be strict anyway. */
function clip(message: string): string {
  const flat = message.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}

/**
 * The one place where anything a provider throws becomes a typed {@link ProviderFailure}.
 * Works on both Stainless SDKs (Anthropic, OpenAI) by shape, on fetch/undici errors and on
 * JSON parse errors. `unclassified` marks a fallback so tests can prove none is left.
 */
export function classifyError(
  provider: ProviderId,
  error: unknown,
  abortCause: AbortCause = undefined,
): ProviderFailure & { readonly unclassified?: true } {
  if (abortCause === 'cancelled') return providerFailure(provider, 'cancelled', 'request cancelled');
  if (abortCause === 'timeout') return providerFailure(provider, 'timeout', 'request timed out');
  const message = clip(describeUnknown(error));
  // The SDKs' `name` fields are not reliable across versions; their classes are.
  if (error instanceof Anthropic.APIUserAbortError || error instanceof OpenAI.APIUserAbortError) {
    return providerFailure(provider, 'cancelled', 'request cancelled');
  }
  if (error instanceof Error && error.name === 'AbortError') return providerFailure(provider, 'cancelled', 'request cancelled');
  if (error instanceof Anthropic.APIConnectionTimeoutError || error instanceof OpenAI.APIConnectionTimeoutError) {
    return providerFailure(provider, 'timeout', message);
  }
  if (error instanceof Anthropic.APIConnectionError || error instanceof OpenAI.APIConnectionError) {
    return providerFailure(provider, 'network', message);
  }
  if (error instanceof SyntaxError) return providerFailure(provider, 'malformed_response', `malformed response: ${message}`);
  if (isHttpLike(error)) {
    const text = `${error.message} ${bodyText(error.error)}`;
    const extra = { ...(error.status === undefined ? {} : { status: error.status }), retryAfterMs: retryAfterMs(error.headers) };
    if (typeof error.status === 'number') return providerFailure(provider, kindFromStatus(error.status, text), message, extra);
    // Anthropic nests the type (`{error: {type}}`); OpenAI's stream errors carry it flat (`{type}`).
    const body = typeof error.error === 'object' && error.error !== null ? (error.error as { type?: unknown; error?: { type?: unknown } }) : undefined;
    const bodyType = typeof error.type === 'string' ? error.type : (body?.error?.type ?? body?.type);
    const kind = typeof bodyType === 'string' ? kindFromType(bodyType, text) : undefined;
    if (kind) return providerFailure(provider, kind, message, extra);
  }
  const sdkKind = sdkClientErrorKind(error);
  if (sdkKind) return providerFailure(provider, sdkKind, message);
  const code = errnoCode(error) ?? errnoCode(error instanceof Error ? error.cause : undefined);
  if (code !== undefined && /^(ECONNRESET|ECONNREFUSED|EPIPE|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|UND_ERR_.*)$/.test(code)) {
    return providerFailure(provider, code === 'ETIMEDOUT' ? 'timeout' : 'network', message);
  }
  if (error instanceof TypeError && /terminated|fetch failed|socket|network/i.test(message)) {
    return providerFailure(provider, 'network', message);
  }
  return { ...providerFailure(provider, 'server', `unclassified provider error: ${message}`), unclassified: true };
}
