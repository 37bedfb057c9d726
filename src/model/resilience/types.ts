import type { EventBus } from '../../events/bus.js';
import type { Clock } from '../../util/clock.js';
import type { Random } from '../../util/random.js';
import type { BreakerRegistry } from './breaker.js';

/** Retry, rate-limit, breaker and timeout settings of one model. Every field has a sane default. */
export interface ResilienceOptions {
  readonly retry?: {
    /** Retries after the first attempt; default 3. 0 disables. */
    readonly maxRetries?: number;
    /** Base delay of the exponential backoff, ms; default 500. */
    readonly baseDelayMs?: number;
    /** Cap on one backoff delay, ms; default 30_000. */
    readonly maxDelayMs?: number;
    /**
     * Longest provider `retry-after` hint we are willing to sleep for, ms; default 60_000. A longer
     * hint fails the call at once (with the provider's error) instead of stalling the run.
     */
    readonly maxRetryAfterMs?: number;
  };
  readonly rateLimit?: {
    readonly requestsPerMinute?: number;
    readonly tokensPerMinute?: number;
    /** Output tokens assumed for the token budget when a request sets no `maxTokens`; default 1024. */
    readonly outputTokensEstimate?: number;
  };
  /** Max calls in flight to this model at once; default unlimited. */
  readonly maxConcurrency?: number;
  readonly breaker?: {
    /** Consecutive failures that open the breaker; default 5. */
    readonly failureThreshold?: number;
    /** How long it stays open before a half-open probe, ms; default 30_000. */
    readonly cooldownMs?: number;
  };
  /** Per-call timeout, ms; default 120_000. */
  readonly timeoutMs?: number;
}

/** What the resilience layer needs from its surroundings (the runtime passes its own). */
export interface ResilienceDeps {
  readonly clock: Clock;
  readonly random: Random;
  readonly events?: EventBus;
  /** Breakers shared across models by endpoint (`createBreakerRegistry()`); default: one per decorated model. */
  readonly breakers?: BreakerRegistry;
}
