import { describe, expect, it } from 'vitest';
import { parseIntent } from './intent.js';

describe('parseIntent', () => {
  it('reads an add request with a target', () => {
    const i = parseIntent('calculate shipping cost from weight and distance');
    expect(i.action).toBe('add');
    expect(i.target).toBe('shipping cost from weight and distance');
    expect(i.allowsTestEdits).toBe(false);
  });

  it('finds mentioned symbols and files', () => {
    const i = parseIntent('fix cart_total in shop/pricing.py so that `Cart.add` merges lines; keep the API unchanged');
    expect(i.action).toBe('fix');
    expect(i.mentionedFiles).toEqual(['shop/pricing.py']);
    expect(i.mentionedSymbols).toEqual(expect.arrayContaining(['cart_total', 'Cart.add']));
    expect(i.constraints).toContain('keep the API unchanged');
  });

  it('tells refactors, tests and explanations apart', () => {
    expect(parseIntent('rename format_cents to format_money').action).toBe('refactor');
    expect(parseIntent('rename format_cents to format_money').allowsDeletions).toBe(true);
    expect(parseIntent('write tests for apply_discount').action).toBe('test');
    expect(parseIntent('explain how checkout reserves stock').action).toBe('explain');
    expect(parseIntent('update the tests for checkout').allowsTestEdits).toBe(true);
  });

  it('does not mistake HTTP verbs for symbols', () => {
    expect(parseIntent('add GET /users/:id').mentionedSymbols).toEqual([]);
  });
});
