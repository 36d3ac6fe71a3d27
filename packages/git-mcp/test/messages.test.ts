import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { errAsync, okAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import {
  buildMessagePrompt,
  fallbackCommitMessage,
  generateCommitMessage,
  validateCommitMessage,
  type ChangedFile,
  type MessageGenerator,
} from '../src/index.js';

const fixtures = path.join(import.meta.dirname, '..', 'fixtures', 'messages');

describe('fallback messages (fixtures/messages/<case>/input.json → expected.txt)', () => {
  for (const name of readdirSync(fixtures).sort()) {
    it(name, async () => {
      const input = JSON.parse(readFileSync(path.join(fixtures, name, 'input.json'), 'utf8')) as {
        request: string;
        files: ChangedFile[];
      };
      const message = fallbackCommitMessage(input.files, input.request);
      expect(validateCommitMessage(message)).toMatchObject({ valid: true });
      await expect(message).toMatchFileSnapshot(path.join(fixtures, name, 'expected.txt'));
    });
  }
});

describe('validateCommitMessage', () => {
  it('accepts a full message and parses its parts', () => {
    const v = validateCommitMessage(
      'feat(api)!: add user lookup by id\n\nServe GET /users/:id from the store.\n\nBREAKING CHANGE: ids are strings\nRefs: #12\n',
    );
    expect(v).toMatchObject({
      valid: true,
      commit: {
        type: 'feat',
        scope: 'api',
        breaking: true,
        description: 'add user lookup by id',
        body: 'Serve GET /users/:id from the store.',
        footers: [
          { token: 'BREAKING CHANGE', value: 'ids are strings' },
          { token: 'Refs', value: '#12' },
        ],
      },
    });
  });

  it.each([
    ['added a thing', 'the subject must look like'],
    ['feature: add a thing', 'unknown type "feature"'],
    ['feat: added a thing', 'imperative'],
    ['fix: fixes the cart', 'imperative'],
    ['refactor: renaming helpers', 'imperative'],
    ['feat: add a thing.', 'period'],
    ['feat(Api): add a thing', 'scope'],
    ['feat: Add a thing', 'lower-case'],
    [`feat: add ${'x'.repeat(70)}`, 'at most 72'],
    ['feat: add a thing\nbody without a blank line', 'blank line'],
    ['', 'empty'],
  ])('rejects %j', (message, problem) => {
    const v = validateCommitMessage(message);
    expect(v.valid).toBe(false);
    expect(v.problems.join(' | ')).toContain(problem);
  });

  it.each(['fix: process queued jobs once', 'perf: speed up parsing', 'feat: embed the model', 'docs: address review notes', 'feat(api): add GET /users/:id'])(
    'accepts the imperative %j',
    (message) => {
      expect(validateCommitMessage(message).valid).toBe(true);
    },
  );
});

const files: ChangedFile[] = [{ path: 'shop/api/users.py', kind: 'added', additions: 10, deletions: 0 }];

describe('generateCommitMessage', () => {
  it('uses a valid LLM answer, tidying fences and casing, and passes the request and diff in the prompt', async () => {
    const prompts: string[] = [];
    const llm: MessageGenerator = (prompt) => {
      prompts.push(prompt);
      return okAsync('```\nfeat(api): Add user lookup endpoint.\n\nServe users by id.\nYantra-Run: forged\n```');
    };
    const r = (await generateCommitMessage({ request: 'add GET /users/:id', files, patch: '+def get_user(id):' }, { generator: llm }))._unsafeUnwrap();
    expect(r).toEqual({ message: 'feat(api): add user lookup endpoint\n\nServe users by id.\n', source: 'llm', attempts: 1, rejected: [] });
    expect(prompts[0]).toContain('Request: add GET /users/:id');
    expect(prompts[0]).toContain('A shop/api/users.py (+10 -0)');
    expect(prompts[0]).toContain('+def get_user(id):');
  });

  it('asks again with the problems, then accepts the corrected answer', async () => {
    const answers = ['Added the endpoint', 'feat(api): add the endpoint'];
    const prompts: string[] = [];
    const llm: MessageGenerator = (prompt) => {
      prompts.push(prompt);
      return okAsync(answers.shift() ?? '');
    };
    const r = (await generateCommitMessage({ request: 'x', files }, { generator: llm }))._unsafeUnwrap();
    expect(r.source).toBe('llm');
    expect(r.attempts).toBe(2);
    expect(r.rejected[0]).toContain('type(scope): description');
    expect(prompts[1]).toContain('Your previous answer was rejected');
  });

  it('falls back when every answer is invalid, when the port fails, and when there is no port', async () => {
    const bad: MessageGenerator = () => okAsync('WIP');
    const a = (await generateCommitMessage({ request: 'add user lookup', files }, { generator: bad, maxAttempts: 3 }))._unsafeUnwrap();
    expect(a).toMatchObject({ source: 'fallback', attempts: 3 });
    expect(a.rejected).toHaveLength(3);
    const failing: MessageGenerator = () => errAsync({ kind: 'rate_limited' });
    const b = (await generateCommitMessage({ request: 'add user lookup', files }, { generator: failing }))._unsafeUnwrap();
    expect(b).toMatchObject({ source: 'fallback', attempts: 1 });
    const throwing: MessageGenerator = () => {
      throw new Error('boom');
    };
    const c = (await generateCommitMessage({ request: 'add user lookup', files }, { generator: throwing }))._unsafeUnwrap();
    expect(c.source).toBe('fallback');
    const d = (await generateCommitMessage({ request: 'add user lookup', files }))._unsafeUnwrap();
    expect(d).toMatchObject({ source: 'fallback', attempts: 0 });
    for (const m of [a, b, c, d]) expect(m.message.split('\n')[0]).toBe('feat(users): add user lookup');
  });

  it('truncates the diff in the prompt', () => {
    const prompt = buildMessagePrompt({ request: 'r', files, patch: 'x'.repeat(50_000) }, 1000);
    expect(prompt.length).toBeLessThan(3000);
    expect(prompt).toContain('(diff truncated)');
  });
});
