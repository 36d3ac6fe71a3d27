import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { classifyError, retryAfterMs } from './classify.js';
import { PROVIDER_ERROR_KINDS } from './errors.js';

type Ctor = new (...args: never[]) => Error;

const STATUSES = [400, 401, 402, 403, 404, 408, 409, 412, 413, 422, 429, 431, 499, 500, 501, 503, 504, 529];

/** Builds one instance of every error class an SDK exports, the way the SDK itself would. */
function instances(sdk: Record<string, unknown>, base: Ctor, apiError: Ctor & { generate: (...a: unknown[]) => Error }): Map<string, Error> {
  const out = new Map<string, Error>();
  for (const status of STATUSES) {
    const e = apiError.generate(status, { error: { type: 'x', message: `status ${status}` } }, `status ${status}`, new Headers());
    if (!out.has(e.constructor.name)) out.set(e.constructor.name, e);
  }
  for (const [name, value] of Object.entries(sdk)) {
    if (typeof value !== 'function' || !(value.prototype instanceof Error || value === base)) continue;
    if (out.has(name)) continue;
    const C = value as new (...args: unknown[]) => Error;
    if (value.prototype instanceof apiError) {
      const isConn = /Abort|Connection/.test(name);
      out.set(name, isConn ? new C({ message: name }) : new C(name === 'OAuthError' ? 400 : 500, { error: { message: name } }, name, new Headers()));
    } else {
      out.set(name, new C(name));
    }
  }
  return out;
}

describe('every SDK error class is classified', () => {
  const sdks = [
    ['anthropic', Anthropic as unknown as Record<string, unknown>, Anthropic.AnthropicError, Anthropic.APIError],
    ['openai', OpenAI as unknown as Record<string, unknown>, OpenAI.OpenAIError, OpenAI.APIError],
  ] as const;
  it.each(sdks)('%s', (_name, sdk, base, apiError) => {
    const all = instances(sdk, base as Ctor, apiError as unknown as Ctor & { generate: (...a: unknown[]) => Error });
    expect(all.size).toBeGreaterThan(12);
    for (const [cls, error] of all) {
      const c = classifyError('anthropic', error);
      expect({ cls, unclassified: c.unclassified ?? false }).toEqual({ cls, unclassified: false });
      expect(PROVIDER_ERROR_KINDS).toContain(c.kind);
    }
  });

  it('maps the important classes to the right kinds', () => {
    const kind = (e: unknown) => classifyError('openai', e).kind;
    const gen = (s: number, body: object = {}) => Anthropic.APIError.generate(s, body, 'm', new Headers());
    expect(kind(gen(429))).toBe('rate_limited');
    expect(kind(gen(529))).toBe('overloaded');
    expect(kind(gen(503))).toBe('overloaded');
    expect(kind(gen(401))).toBe('auth');
    expect(kind(gen(403))).toBe('auth');
    expect(kind(gen(400, { error: { type: 'invalid_request_error', message: 'prompt is too long: 300000 tokens > 200000 maximum' } }))).toBe('context_too_long');
    expect(kind(gen(400, { error: { code: 'context_length_exceeded' } }))).toBe('context_too_long');
    expect(kind(gen(400))).toBe('bad_request');
    expect(kind(gen(500))).toBe('server');
    expect(kind(gen(504))).toBe('timeout');
    expect(kind(new Anthropic.APIConnectionTimeoutError())).toBe('timeout');
    expect(kind(new OpenAI.APIConnectionError({ message: 'x' }))).toBe('network');
    expect(kind(new OpenAI.APIUserAbortError())).toBe('cancelled');
    expect(kind(new SyntaxError('Unexpected token'))).toBe('malformed_response');
    // Anthropic's mid-stream `event: error` has a type but no status.
    expect(kind(new Anthropic.APIError(undefined, { type: 'error', error: { type: 'overloaded_error' } }, undefined, new Headers()))).toBe('overloaded');
  });

  it('marks anything else as unclassified so it cannot pass silently', () => {
    expect(classifyError('local', new RangeError('odd')).unclassified).toBe(true);
  });

  it('reads retry-after-ms, retry-after seconds and HTTP dates', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250' }))).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }))).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(10_000).toUTCString() }), 4_000)).toBe(6000);
    expect(retryAfterMs(new Headers())).toBeUndefined();
  });
});
