import { describe, expect, it } from 'vitest';
import { DEFAULT_PANEL_SIZES, MIN_PANEL_PERCENT, normalizePanelSizes } from './layout.js';

describe('normalizePanelSizes', () => {
  it('falls back to 60/25/15 for unusable input', () => {
    for (const bad of [undefined, null, 'x', [1, 2], [50, Number.NaN, 50], [50, -1, 51], [0, 50, 50]]) {
      expect(normalizePanelSizes(bad)).toEqual(DEFAULT_PANEL_SIZES);
    }
  });

  it('scales sizes to sum to 100', () => {
    expect(normalizePanelSizes([120, 50, 30])).toEqual([60, 25, 15]);
  });

  it('keeps every panel at its minimum and still sums to 100', () => {
    const sizes = normalizePanelSizes([97, 2, 1]);
    expect(sizes.every((s) => s >= MIN_PANEL_PERCENT - 0.01)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 5);
    expect(sizes[0]).toBeCloseTo(80, 1);
  });
});
