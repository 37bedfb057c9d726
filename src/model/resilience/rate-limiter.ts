import { ConfigError } from '../../errors/taskforce-error.js';
import type { EventBus } from '../../events/bus.js';
import type { Clock } from '../../util/clock.js';
import { adjust, bucketPerMinute, reserve, type TokenBucket } from './token-bucket.js';

/** Requests and tokens per minute of one model; either may be absent (no limit). */
export interface RateLimits {
  readonly requestsPerMinute?: number;
  readonly tokensPerMinute?: number;
}

/** Tokens held for a call that may go; settle it once the real usage is known. */
export interface RateReservation {
  /** Replaces the estimate with the tokens the provider reported. */
  settle(actualTokens: number): void;
}

/** Spaces one model's calls to its request and token budgets per minute. */
export interface RateLimiter {
  /**
   * Waits (on the clock, abortably) until a call of about `estimatedTokens` tokens may start. A call
   * that needs more tokens than the whole per-minute budget is refused at once (`ConfigError`).
   */
  acquire(estimatedTokens: number, signal?: AbortSignal): Promise<RateReservation>;
}

/** Where a rate limiter sleeps and reports its waits. */
export interface RateLimiterContext {
  readonly clock: Clock;
  readonly events?: EventBus;
  /** For the `model.ratelimit.wait` events. */
  readonly provider: string;
  readonly model: string;
}

/** A limiter over two token buckets (requests, tokens). With no limits set, it never waits. */
export function createRateLimiter(limits: RateLimits, context: RateLimiterContext): RateLimiter {
  const { clock } = context;
  let requests: TokenBucket | undefined = positive(limits.requestsPerMinute) ? bucketPerMinute(limits.requestsPerMinute, clock.now()) : undefined;
  let tokens: TokenBucket | undefined = positive(limits.tokensPerMinute) ? bucketPerMinute(limits.tokensPerMinute, clock.now()) : undefined;

  const wait = (delayMs: number, reason: 'requests' | 'tokens') => {
    if (delayMs > 0)
      context.events?.emit({ type: 'model.ratelimit.wait', provider: context.provider, model: context.model, delayMs, reason });
  };

  return {
    async acquire(estimatedTokens, signal) {
      // Refused rather than let through once the bucket is full: such a call would break the limit the
      // user set (the provider would refuse it too), and a wait for it could last hours. Nothing is charged.
      if (tokens && estimatedTokens > tokens.capacity)
        throw new ConfigError(
          `${context.provider}/${context.model}: the request needs about ${estimatedTokens} tokens, but rateLimit.tokensPerMinute allows ${tokens.capacity} per minute; ` +
            'raise tokensPerMinute, or lower the request (its maxTokens counts in full)',
        );
      const now = clock.now();
      let requestWait = 0;
      let tokenWait = 0;
      if (requests) ({ bucket: requests, waitMs: requestWait } = reserve(requests, 1, now));
      if (tokens) ({ bucket: tokens, waitMs: tokenWait } = reserve(tokens, estimatedTokens, now));
      let charged = estimatedTokens;
      const delayMs = Math.max(requestWait, tokenWait);
      if (delayMs > 0) {
        wait(requestWait, 'requests');
        wait(tokenWait, 'tokens');
        try {
          await clock.sleep(delayMs, signal);
        } catch (error) {
          // The caller gave up: hand its reservation back so the queue behind it moves up.
          if (requests) requests = adjust(requests, 1, clock.now());
          if (tokens) tokens = adjust(tokens, estimatedTokens, clock.now());
          throw error;
        }
      }
      return {
        settle(actualTokens) {
          if (tokens) tokens = adjust(tokens, charged - actualTokens, clock.now());
          charged = actualTokens;
        },
      };
    },
  };
}

function positive(n: number | undefined): n is number {
  return n !== undefined && Number.isFinite(n) && n > 0;
}
