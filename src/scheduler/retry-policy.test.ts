import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/taskforce-error.js';
import { seededRandom } from '../util/random.js';
import { resolveRetryPolicy, retryDelayMs } from './retry-policy.js';

describe('retry policy', () => {
  it('defaults to a single attempt', () => {
    expect(resolveRetryPolicy(undefined).maxAttempts).toBe(1);
  });

  it('grows delays by the factor and caps them before jitter', () => {
    const policy = resolveRetryPolicy({ baseDelayMs: 100, factor: 2, maxDelayMs: 500, jitter: 0 });
    const random = seededRandom(1);
    expect([1, 2, 3, 4, 5].map((retry) => retryDelayMs(policy, retry, random))).toEqual([100, 200, 400, 500, 500]);
  });

  it('keeps jittered delays within [d · (1 - jitter), d]', () => {
    const policy = resolveRetryPolicy({ baseDelayMs: 1000, jitter: 0.3 });
    const random = seededRandom('jitter');
    const delays = Array.from({ length: 200 }, () => retryDelayMs(policy, 1, random));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(700);
    expect(Math.max(...delays)).toBeLessThanOrEqual(1000);
    expect(new Set(delays).size).toBeGreaterThan(100); // actually random, not constant
  });

  it.each([
    [{ maxAttempts: 0 }, /retry.maxAttempts/],
    [{ maxAttempts: 1.5 }, /retry.maxAttempts/],
    [{ baseDelayMs: -1 }, /retry.baseDelayMs/],
    [{ factor: 0.5 }, /retry.factor/],
    [{ jitter: -0.1 }, /retry.jitter/],
  ])('rejects %o with a ConfigError naming the field', (policy, message) => {
    expect(() => resolveRetryPolicy(policy)).toThrow(ConfigError);
    expect(() => resolveRetryPolicy(policy)).toThrow(message);
  });
});
