import type { Random } from '../../util/random.js';

/** Settings of the exponential backoff. */
export interface BackoffSettings {
  /** Delay scale of the first retry, ms. */
  readonly baseDelayMs: number;
  /** Upper bound of any one delay, ms. */
  readonly maxDelayMs: number;
}

/**
 * The ceiling of the backoff before retry number `attempt` (0 for the first retry):
 * `min(maxDelayMs, baseDelayMs * 2^attempt)`.
 */
export function backoffCeiling(attempt: number, settings: BackoffSettings): number {
  // Math.pow overflows to Infinity long before attempt gets large; min() keeps it finite.
  return Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, attempt));
}

/**
 * "Full jitter" backoff: a uniform draw in `[0, ceiling)`. Spreading retries over the whole window
 * keeps many clients that failed together from retrying together (AWS Architecture Blog,
 * "Exponential Backoff And Jitter").
 */
export function fullJitterDelay(attempt: number, settings: BackoffSettings, random: Random): number {
  return Math.floor(random.next() * backoffCeiling(attempt, settings));
}

/**
 * The wait before a retry. When the provider said how long to wait (`retryAfterMs`), that is a floor:
 * the delay is `max(retryAfterMs, jittered)`, so we never come back earlier than asked, and small or
 * zero hints still get spread by the jitter.
 */
export function retryDelay(
  attempt: number,
  settings: BackoffSettings,
  random: Random,
  retryAfterMs: number | undefined,
): number {
  const jittered = fullJitterDelay(attempt, settings, random);
  return retryAfterMs !== undefined && retryAfterMs > 0 ? Math.max(Math.ceil(retryAfterMs), jittered) : jittered;
}
