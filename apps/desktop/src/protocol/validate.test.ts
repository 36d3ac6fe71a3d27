import { describe, expect, it } from 'vitest';
import { MESSAGE_TYPES, parseRequestFrame } from './validate.js';

describe('parseRequestFrame', () => {
  it('accepts well-formed requests and fills missing params', () => {
    expect(parseRequestFrame({ id: 1, type: 'run.start', params: { request: 'add a route' } })).toEqual({
      ok: true,
      value: { id: 1, type: 'run.start', params: { request: 'add a route' } },
    });
    expect(parseRequestFrame({ id: 2, type: 'settings.get' })).toEqual({ ok: true, value: { id: 2, type: 'settings.get', params: {} } });
  });

  it.each([
    ['not an object', 'x', 'JSON object'],
    ['no id', { type: 'settings.get' }, 'integer "id"'],
    ['unknown type', { id: 1, type: 'fs.readFile' }, 'unknown request type'],
    ['params not an object', { id: 1, type: 'run.start', params: [] }, '"params" must be an object'],
    ['empty request', { id: 1, type: 'run.start', params: { request: '' } }, 'field "request"'],
    ['bad provider', { id: 1, type: 'settings.saveKey', params: { provider: 'local', key: 'k' } }, 'field "provider"'],
    ['negative afterSeq', { id: 1, type: 'events.replay', params: { afterSeq: -1 } }, 'field "afterSeq"'],
    ['huge key', { id: 1, type: 'settings.saveKey', params: { provider: 'openai', key: 'k'.repeat(5000) } }, 'field "key"'],
  ])('rejects %s as bad_request', (_name, raw, message) => {
    const r = parseRequestFrame(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('bad_request');
      expect(r.error.message).toContain(message);
    }
  });

  it('never echoes a rejected key back in the error', () => {
    const r = parseRequestFrame({ id: 1, type: 'settings.saveKey', params: { provider: 'nope', key: 'sk-secret-value' } });
    expect(JSON.stringify(r)).not.toContain('sk-secret-value');
  });

  it('lists every message type once', () => {
    expect(new Set(MESSAGE_TYPES).size).toBe(MESSAGE_TYPES.length);
    expect(MESSAGE_TYPES).toContain('events.replay');
  });
});
