import { describe, expect, it } from 'vitest';
import { BrowserFailure } from './errors.js';
import { parseSteps, stepLabel } from './steps.js';

function fieldOf(value: unknown): string | undefined {
  try {
    parseSteps(value);
    return undefined;
  } catch (e) {
    if (e instanceof BrowserFailure && e.error.kind === 'invalid_input') return e.error.field;
    throw e;
  }
}

describe('parseSteps', () => {
  it('accepts every action with its fields and labels them', () => {
    const steps = parseSteps([
      { action: 'goto', url: 'other.html' },
      { action: 'click', selector: '#go', timeoutMs: 500 },
      { action: 'fill', selector: '#email', value: 'a@b.c' },
      { action: 'press', key: 'Enter', selector: '#email' },
      { action: 'waitFor', text: 'Done' },
      { action: 'assertText', text: 'Done', selector: 'main' },
      { action: 'assertVisible', selector: '#ok' },
      { action: 'assertNoConsoleErrors' },
      { action: 'screenshot', name: 'after', fullPage: true },
    ]);
    expect(steps.map(stepLabel)).toEqual([
      'goto other.html',
      'click #go',
      'fill #email',
      'press Enter in #email',
      'waitFor "Done"',
      'assertText "Done" in main',
      'assertVisible #ok',
      'assertNoConsoleErrors',
      'screenshot after',
    ]);
    expect(parseSteps(undefined)).toEqual([]);
  });

  it('names the bad field of the bad step', () => {
    expect(fieldOf({ action: 'click' })).toBe('script');
    expect(fieldOf(['click'])).toBe('script[0]');
    expect(fieldOf([{ action: 'hover', selector: 'a' }])).toBe('script[0].action');
    expect(fieldOf([{ action: 'assertVisible', selector: '#a' }, { action: 'click' }])).toBe('script[1].selector');
    expect(fieldOf([{ action: 'fill', selector: '#a', value: 3 }])).toBe('script[0].value');
    expect(fieldOf([{ action: 'click', selector: '#a', text: 'x' }])).toBe('script[0].text');
    expect(fieldOf([{ action: 'waitFor' }])).toBe('script[0]');
    expect(fieldOf([{ action: 'screenshot', fullPage: 'yes' }])).toBe('script[0].fullPage');
    expect(fieldOf([{ action: 'click', selector: '#a', timeoutMs: -1 }])).toBe('script[0].timeoutMs');
  });
});
