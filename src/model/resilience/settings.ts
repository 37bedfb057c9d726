import { ConfigError } from '../../errors/taskforce-error.js';
import type { BackoffSettings } from './backoff.js';
import type { BreakerSettings } from './breaker-state.js';
import type { ResilienceOptions } from './types.js';

/** `ResilienceOptions` with every default filled in and checked. */
export interface ResilienceSettings {
  readonly maxRetries: number;
  readonly backoff: BackoffSettings;
  readonly maxRetryAfterMs: number;
  readonly requestsPerMinute: number | undefined;
  readonly tokensPerMinute: number | undefined;
  readonly outputTokensEstimate: number;
  readonly maxConcurrency: number;
  readonly breaker: BreakerSettings;
  /** `Infinity` when timeouts are off. */
  readonly timeoutMs: number;
}

/** The defaults, documented in `ResilienceOptions`. */
export const RESILIENCE_DEFAULTS = Object.freeze({
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
  outputTokensEstimate: 1024,
  failureThreshold: 5,
  cooldownMs: 30_000,
  timeoutMs: 120_000,
});

/** Fills in defaults; a negative, fractional-where-whole or non-numeric setting is a `ConfigError` naming the field. */
export function resolveResilienceSettings(options: ResilienceOptions, where = 'resilience'): ResilienceSettings {
  const d = RESILIENCE_DEFAULTS;
  const check = (field: string, value: number | undefined, fallback: number, kind: 'count' | 'ms' | 'positive'): number => {
    if (value === undefined) return fallback;
    const ok =
      typeof value === 'number' &&
      !Number.isNaN(value) &&
      (kind === 'count' ? Number.isInteger(value) && value >= 0 : kind === 'positive' ? value > 0 : value >= 0);
    if (!ok) throw new ConfigError(`${where}.${field} must be ${kind === 'count' ? 'a whole number ≥ 0' : kind === 'positive' ? 'a number > 0' : 'a number of ms ≥ 0'}, got ${JSON.stringify(value)}`);
    return value;
  };
  const optionalRate = (field: string, value: number | undefined) =>
    value === undefined ? undefined : check(field, value, 0, 'positive');
  const timeoutMs = check('timeoutMs', options.timeoutMs, d.timeoutMs, 'ms');
  const maxConcurrency = options.maxConcurrency === undefined ? Infinity : check('maxConcurrency', options.maxConcurrency, 0, 'count');
  if (maxConcurrency === 0) throw new ConfigError(`${where}.maxConcurrency must be at least 1, got 0`);
  const failureThreshold = check('breaker.failureThreshold', options.breaker?.failureThreshold, d.failureThreshold, 'count');
  if (failureThreshold === 0) throw new ConfigError(`${where}.breaker.failureThreshold must be at least 1, got 0`);
  return {
    maxRetries: check('retry.maxRetries', options.retry?.maxRetries, d.maxRetries, 'count'),
    backoff: {
      baseDelayMs: check('retry.baseDelayMs', options.retry?.baseDelayMs, d.baseDelayMs, 'ms'),
      maxDelayMs: check('retry.maxDelayMs', options.retry?.maxDelayMs, d.maxDelayMs, 'ms'),
    },
    maxRetryAfterMs: check('retry.maxRetryAfterMs', options.retry?.maxRetryAfterMs, d.maxRetryAfterMs, 'ms'),
    requestsPerMinute: optionalRate('rateLimit.requestsPerMinute', options.rateLimit?.requestsPerMinute),
    tokensPerMinute: optionalRate('rateLimit.tokensPerMinute', options.rateLimit?.tokensPerMinute),
    outputTokensEstimate: check('rateLimit.outputTokensEstimate', options.rateLimit?.outputTokensEstimate, d.outputTokensEstimate, 'count'),
    maxConcurrency,
    breaker: { failureThreshold, cooldownMs: check('breaker.cooldownMs', options.breaker?.cooldownMs, d.cooldownMs, 'ms') },
    // 0 means "no timeout", the usual convention for timeouts.
    timeoutMs: timeoutMs === 0 ? Infinity : timeoutMs,
  };
}
