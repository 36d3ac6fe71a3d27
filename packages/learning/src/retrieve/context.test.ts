import { describe, expect, it } from 'vitest';
import type { MistakePattern } from '../pattern.js';
import { buildMistakeContext, estimateTokens } from './context.js';
import { rank, score } from './rank.js';

const base: MistakePattern = {
  id: 'mp_1',
  vectorId: 'mp_1',
  modelName: 'm',
  errorSignature: 's',
  errorType: 'RuntimeWarning',
  category: 'async',
  severity: 'major',
  source: 'test',
  description: "coroutine 'fetch_user' was never awaited",
  badExample: 'user = fetch_user(uid)',
  goodExample: 'user = await fetch_user(uid)',
  frequency: 3,
  firstSeen: 0,
  lastSeen: 0,
  fixApplied: true,
  userCorrections: 0,
  testFailures: 3,
  archived: false,
  embedderId: 'e',
};

describe('buildMistakeContext', () => {
  it('renders bad and good examples with category, severity and frequency', () => {
    const text = buildMistakeContext([base]);
    expect(text).toBe(
      [
        'Avoid these mistakes (made before, verified by tests, scans or the user):',
        "1. [async, major, seen 3×] coroutine 'fetch_user' was never awaited",
        '   Bad:',
        '     user = fetch_user(uid)',
        '   Good:',
        '     user = await fetch_user(uid)',
      ].join('\n'),
    );
  });

  it('stays within the token cap, dropping examples before patterns', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ ...base, id: `mp_${i}`, description: `mistake number ${i} with some words`, badExample: 'x = 1\n'.repeat(10) }));
    for (const cap of [60, 150, 400]) {
      const text = buildMistakeContext(many, { maxTokens: cap });
      expect(estimateTokens(text)).toBeLessThanOrEqual(cap);
      expect(text).toContain('1. [async');
    }
    expect(buildMistakeContext([])).toBe('');
    expect(buildMistakeContext([base], { maxTokens: 5 })).toBe('');
  });
});

describe('rank', () => {
  it('weights similarity by frequency and recency', () => {
    const now = 400 * 86_400_000;
    const fresh = { ...base, id: 'fresh', frequency: 1, lastSeen: now };
    const stale = { ...base, id: 'stale', frequency: 1, lastSeen: 0 };
    const frequent = { ...base, id: 'frequent', frequency: 40, lastSeen: now };
    expect(score(0.8, fresh, now)).toBeGreaterThan(score(0.8, stale, now));
    expect(score(0.8, frequent, now)).toBeGreaterThan(score(0.8, fresh, now));
    // A much better match still wins over a frequent one.
    expect(score(0.95, fresh, now)).toBeGreaterThan(score(0.75, frequent, now));
    const ranked = rank(
      [
        { pattern: stale, similarity: 0.8 },
        { pattern: frequent, similarity: 0.8 },
        { pattern: fresh, similarity: 0.8 },
      ],
      now,
      2,
    );
    expect(ranked.map((r) => r.pattern.id)).toEqual(['frequent', 'fresh']);
  });
});
