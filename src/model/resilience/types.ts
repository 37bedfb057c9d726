import type { EventBus } from '../../events/bus.js';
import type { Clock } from '../../util/clock.js';
import type { Random } from '../../util/random.js';

/** Retry, rate-limit, breaker and timeout settings of one model. Every field has a sane default. */
export interface ResilienceOptions {
  readonly retry?: {
    /** Retries after the first attempt; default 3. 0 disables. */
    readonly maxRetries?: number;
    /** Base delay of the exponential backoff, ms; default 500. */
    readonly baseDelayMs?: number;
    /** Cap on one backoff delay, ms; default 30_000. */
    readonly maxDelayMs?: number;
  };
  readonly rateLimit?: {
    readonly requestsPerMinute?: number;
    readonly tokensPerMinute?: number;
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
}
