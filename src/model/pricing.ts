import type { Usage } from './types.js';

/** USD per million tokens. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
  readonly cacheRead?: number;
  readonly cacheWrite?: number;
}

/** Prices keyed by model id, or by a prefix ending in `*` (e.g. `claude-haiku-4-5*`). */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * List prices (USD / 1M tokens) as published in November 2026 (Haiku 5.5 at its lowest tier). Override or extend with the `pricing` option;
 * a model missing from the table (a local model, say) costs 0: a price is never guessed.
 */
export const DEFAULT_PRICES: PriceTable = {
  'claude-fable-5*': { input: 10, output: 50, cacheRead: 1, cacheWrite: 12.5 },
  'claude-opus-5-5*': { input: 4, output: 20, cacheRead: 0.4, cacheWrite: 5 },
  'claude-opus-5*': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  'claude-sonnet-5*': { input: 2, output: 10, cacheRead: 0.2, cacheWrite: 2.5 },
  'claude-haiku-5-5*': { input: 0.1, output: 0.5, cacheRead: 0.01, cacheWrite: 0.125 },
  'claude-opus-4-5*': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  'claude-opus-4-6*': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  'claude-opus-4-7*': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  'claude-opus-4-8*': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  'claude-opus-4*': { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
  'claude-sonnet-4*': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'claude-haiku-4-5*': { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
  'claude-3-5-haiku*': { input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1 },
  'gpt-5-nano*': { input: 0.05, output: 0.4, cacheRead: 0.005 },
  'gpt-5-mini*': { input: 0.25, output: 2, cacheRead: 0.025 },
  'gpt-5*': { input: 1.25, output: 10, cacheRead: 0.125 },
  'gpt-4.1-nano*': { input: 0.1, output: 0.4, cacheRead: 0.025 },
  'gpt-4.1-mini*': { input: 0.4, output: 1.6, cacheRead: 0.1 },
  'gpt-4.1*': { input: 2, output: 8, cacheRead: 0.5 },
  'gpt-4o-mini*': { input: 0.15, output: 0.6, cacheRead: 0.075 },
  'gpt-4o*': { input: 2.5, output: 10, cacheRead: 1.25 },
};

/** The price of `modelId`: an exact key first, then the longest matching `prefix*` key. */
export function findPrice(modelId: string, table: PriceTable = DEFAULT_PRICES): ModelPrice | undefined {
  const exact = table[modelId];
  if (exact) return exact;
  let best: { length: number; price: ModelPrice } | undefined;
  for (const [key, price] of Object.entries(table)) {
    if (!key.endsWith('*')) continue;
    const prefix = key.slice(0, -1);
    if (modelId.startsWith(prefix) && (!best || prefix.length > best.length)) best = { length: prefix.length, price };
  }
  return best?.price;
}

/**
 * Cost in USD of `usage` at `price`. `inputTokens` counts uncached input only (as both providers
 * report it once cache fields are split out); cache reads and writes are priced separately, falling
 * back to the input price when the table has no cache price.
 */
export function costOf(usage: Usage, price: ModelPrice | undefined): number {
  if (!price) return 0;
  return (
    (usage.inputTokens * price.input +
      usage.outputTokens * price.output +
      (usage.cacheReadTokens ?? 0) * (price.cacheRead ?? price.input) +
      (usage.cacheWriteTokens ?? 0) * (price.cacheWrite ?? price.input)) /
    1_000_000
  );
}
