import { describe, expect, it } from 'vitest';
import { buildPrompt, toAnthropicMessages, toOpenAIMessages } from './prompt.js';

describe('prompt builder', () => {
  const built = buildPrompt({
    system: '  You edit Python.  ',
    context: [
      { title: 'app/models.py', content: 'class User: ...' },
      { title: 'past "mistake"', content: 'forgot the import' },
    ],
    messages: [
      { role: 'user', content: 'earlier question' },
      { role: 'assistant', content: 'earlier answer' },
    ],
    prompt: 'add GET /users/:id',
  })._unsafeUnwrap();

  it('puts context blocks before the request in the final user turn', () => {
    expect(built.system).toBe('You edit Python.');
    expect(built.messages).toHaveLength(3);
    expect(built.messages[2]).toEqual({
      role: 'user',
      content:
        '<context title="app/models.py">\nclass User: ...\n</context>\n\n<context title="past \'mistake\'">\nforgot the import\n</context>\n\nadd GET /users/:id',
    });
  });

  it('maps to the Anthropic shape (top-level system) and the OpenAI shape (system message)', () => {
    const a = toAnthropicMessages(built);
    expect(a.system).toBe('You edit Python.');
    expect(a.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    const o = toOpenAIMessages(built);
    expect(o.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(o[0]).toEqual({ role: 'system', content: 'You edit Python.' });
  });

  it('omits an empty system text and rejects a request that does not end with a user turn', () => {
    expect(toOpenAIMessages(buildPrompt({ system: '  ', prompt: 'hi' })._unsafeUnwrap())).toEqual([{ role: 'user', content: 'hi' }]);
    expect(buildPrompt({ messages: [{ role: 'assistant', content: 'x' }] })._unsafeUnwrapErr()).toMatchObject({ kind: 'invalid_request' });
    expect(buildPrompt({ prompt: '   ' })._unsafeUnwrapErr()).toMatchObject({ kind: 'invalid_request', field: 'prompt' });
  });
});
