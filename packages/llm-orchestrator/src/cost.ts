import defaultPrices from './prices.json' with { type: 'json' };
import type { ProviderId } from './errors.js';
import type { Usage } from './request.js';

/** USD per million tokens for one model. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
}

/** Model id (or id prefix) → price. The shipped table is `prices.json`. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

export const DEFAULT_PRICES: PriceTable = defaultPrices.models;

/** The longest key the model id starts with wins, so `gpt-4o-mini-2024-07-18` gets `gpt-4o-mini`. */
export function priceFor(table: PriceTable, model: string): ModelPrice | undefined {
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    if (model.startsWith(key) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : table[best];
}

/**
 * Cost in USD including cache reads and writes. The local model is free; an unpriced remote
 * model gives null rather than a misleading zero.
 */
export function costOf(table: PriceTable, provider: ProviderId, model: string, usage: Usage): number | null {
  if (provider === 'local') return 0;
  const p = priceFor(table, model);
  if (!p) return null;
  const usd =
    (usage.inputTokens * p.input + usage.outputTokens * p.output + usage.cacheReadTokens * p.cacheRead + usage.cacheWriteTokens * p.cacheWrite) /
    1_000_000;
  return Math.round(usd * 1e9) / 1e9;
}
