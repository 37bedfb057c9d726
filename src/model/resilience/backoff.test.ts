import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom, type Random } from '../../util/random.js';
import { backoffCeiling, fullJitterDelay, retryDelay } from './backoff.js';

const settings = { baseDelayMs: 500, maxDelayMs: 30_000 };
const fixed = (value: number): Random => ({ next: () => value });

describe('backoffCeiling', () => {
  it('doubles from the base delay with each attempt', () => {
    expect([0, 1, 2, 3].map((a) => backoffCeiling(a, settings))).toEqual([500, 1000, 2000, 4000]);
  });

  it('stops growing at maxDelayMs, even for huge attempt numbers', () => {
    expect(backoffCeiling(6, settings)).toBe(30_000);
    expect(backoffCeiling(5000, settings)).toBe(30_000);
  });
});

describe('fullJitterDelay', () => {
  it('draws uniformly from [0, ceiling): the random source picks the point', () => {
    expect(fullJitterDelay(2, settings, fixed(0))).toBe(0);
    expect(fullJitterDelay(2, settings, fixed(0.5))).toBe(1000);
    expect(fullJitterDelay(2, settings, fixed(0.999999))).toBe(1999);
  });

  it('stays within [0, min(cap, base·2^attempt)) for any seed and attempt', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 60 }), (seed, attempt) => {
        const delay = fullJitterDelay(attempt, settings, seededRandom(seed));
        return delay >= 0 && delay < backoffCeiling(attempt, settings) && Number.isInteger(delay);
      }),
    );
  });

  it('gives the same delays for the same seed', () => {
    const run = (seed: number) => {
      const random = seededRandom(seed);
      return [0, 1, 2, 3, 4].map((a) => fullJitterDelay(a, settings, random));
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });
});

describe('retryDelay', () => {
  it('uses the jittered backoff when the provider gave no hint', () => {
    expect(retryDelay(1, settings, fixed(0.25), undefined)).toBe(250);
  });

  it('never retries earlier than the provider asked', () => {
    expect(retryDelay(0, settings, fixed(0.9), 2000)).toBe(2000);
  });

  it('keeps the jitter when it is longer than the hint', () => {
    expect(retryDelay(3, settings, fixed(0.5), 100)).toBe(2000);
  });

  it('treats a zero hint like no hint', () => {
    expect(retryDelay(0, settings, fixed(0.5), 0)).toBe(250);
  });
});
