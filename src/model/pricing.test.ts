import { describe, expect, it } from 'vitest';
import { costOf, DEFAULT_PRICES, findPrice } from './pricing.js';

describe('pricing', () => {
  it('prefers an exact key, then the longest matching prefix', () => {
    const table = { 'gpt-5*': { input: 1, output: 1 }, 'gpt-5-mini*': { input: 2, output: 2 }, 'gpt-5-mini-x': { input: 3, output: 3 } };
    expect(findPrice('gpt-5-mini-x', table)?.input).toBe(3);
    expect(findPrice('gpt-5-mini-2025', table)?.input).toBe(2);
    expect(findPrice('gpt-5.1', table)?.input).toBe(1);
    expect(findPrice('llama3', table)).toBeUndefined();
  });

  it('prices input, output and cache tokens per million', () => {
    const price = findPrice('claude-haiku-4-5-20251001', DEFAULT_PRICES);
    expect(costOf({ inputTokens: 1_000_000, outputTokens: 0 }, price)).toBeCloseTo(1);
    expect(costOf({ inputTokens: 0, outputTokens: 1_000_000, cacheReadTokens: 1_000_000, cacheWriteTokens: 1_000_000 }, price)).toBeCloseTo(5 + 0.1 + 1.25);
    expect(costOf({ inputTokens: 10, outputTokens: 10 }, undefined)).toBe(0);
  });
});
