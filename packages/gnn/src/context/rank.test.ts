import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphEngine, type GraphEngine } from '../engine.js';
import { rankContext, renderContext } from './rank.js';
import { estimateTokens } from './tokens.js';

const FIX = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'context');

interface Case {
  readonly name: string;
  readonly mentions: string[];
  readonly top: string[];
  readonly contains?: string[];
  readonly ranked_below: [string, string][];
}
const { cases } = JSON.parse(readFileSync(path.join(FIX, 'expected.json'), 'utf8')) as { cases: Case[] };

describe('rankContext', () => {
  let engine: GraphEngine;
  beforeAll(async () => {
    engine = createGraphEngine({ root: path.join(FIX, 'shop'), dbPath: false });
    (await engine.build())._unsafeUnwrap();
  });
  afterAll(() => engine.close());

  it.each(cases)('$name', (c) => {
    const r = rankContext({ engine, mentions: c.mentions, budgetTokens: 100_000 });
    const ids = r.items.map((i) => i.id);
    expect(new Set(ids.slice(0, c.top.length))).toEqual(new Set(c.top));
    for (const id of c.contains ?? []) expect(ids).toContain(id);
    for (const [hi, lo] of c.ranked_below) {
      const a = ids.indexOf(hi);
      const b = ids.indexOf(lo);
      expect(a).toBeGreaterThanOrEqual(0);
      expect(b === -1 || a < b).toBe(true);
    }
    for (const it of r.items) expect(it.why.length).toBeGreaterThan(0);
  });

  it('fits the budget, shows full source first and signatures after', () => {
    const r = rankContext({ engine, mentions: ['shop.checkout.checkout'], budgetTokens: 700 });
    expect(r.usedTokens).toBeLessThanOrEqual(700);
    expect(r.items[0]?.detail).toBe('full');
    expect(r.items[0]?.code).toContain('storage.save(path');
    const sig = r.items.find((i) => i.detail === 'signature' && i.kind === 'function');
    expect(sig?.code).toMatch(/^def \w+\(.*\):\n {4}"""/);
    const text = renderContext(r);
    expect(text).toContain('# shop/checkout.py:6 function shop.checkout.checkout (mentioned)');
    expect(estimateTokens(text)).toBeLessThanOrEqual(700);
  });

  it('caches by personalization and graph version', async () => {
    const a = rankContext({ engine, mentions: ['shop.pricing.total'] });
    const b = rankContext({ engine, mentions: ['shop.pricing.total'] });
    expect(a.cached).toBe(false);
    expect(b.cached).toBe(true);
    expect(b.items.map((i) => i.id)).toEqual(a.items.map((i) => i.id));
    const other = rankContext({ engine, mentions: ['shop.reports.monthly'] });
    expect(other.cached).toBe(false);
    (await engine.build())._unsafeUnwrap();
    expect(rankContext({ engine, mentions: ['shop.pricing.total'] }).cached).toBe(false);
  });

  it('returns nothing for mentions that match nothing', () => {
    const r = rankContext({ engine, mentions: ['no_such_symbol_here'] });
    expect(r.items).toEqual([]);
    expect(r.seeds).toEqual([]);
  });
});
