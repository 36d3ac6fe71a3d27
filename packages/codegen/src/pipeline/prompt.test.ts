import { describe, expect, it } from 'vitest';
import { buildPrompt, buildRepairMessage, loadTemplate, render } from './prompt.js';

describe('prompt templates (prompts/*.md)', () => {
  it('renders the request prompt exactly as snapshotted', async () => {
    const prompt = buildPrompt({
      request: 'calculate shipping cost from weight and distance',
      context: '## shop/models.py\nclass Cart: ...',
      mistakes: '# Avoid these mistakes\n- forgot to import math\n',
    })._unsafeUnwrap();
    expect(prompt.versions).toEqual({ system: 1, request: 1, repair: 0 });
    await expect(prompt.system).toMatchFileSnapshot('./__snapshots__/system.txt');
    await expect(prompt.user).toMatchFileSnapshot('./__snapshots__/request.txt');
  });

  it('renders the repair message', async () => {
    const text = buildRepairMessage('tests failed: test_shipping_zero', 2, 3)._unsafeUnwrap();
    expect(text).toContain('attempt 2 of 3');
    await expect(text).toMatchFileSnapshot('./__snapshots__/repair.txt');
  });

  it('refuses to render with a missing variable', () => {
    const t = loadTemplate('repair')._unsafeUnwrap();
    expect(render(t, { feedback: 'x' })._unsafeUnwrapErr()).toMatchObject({ kind: 'missing_variable' });
  });
});

describe('the intent template', () => {
  it('is versioned and names every placeholder the resolver fills', () => {
    const t = loadTemplate('intent')._unsafeUnwrap();
    expect(t.version).toBe(1);
    expect(loadTemplate('intent-system')._unsafeUnwrap().version).toBe(1);
    expect(render(t, { request: 'r', ambiguity: 'a', candidates: 'c', actions: '"add"' })._unsafeUnwrap()).toContain('Request:\nr');
    expect(render(t, { request: 'r' })._unsafeUnwrapErr()).toMatchObject({ kind: 'missing_variable' });
  });
});
