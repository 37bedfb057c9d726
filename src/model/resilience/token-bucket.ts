/**
 * A token bucket as plain data. `tokens` may go negative: a caller that takes more than is there
 * reserves its share now and waits for the debt to refill, so later callers queue behind it in order
 * (the "reservation" form of the bucket, as in golang.org/x/time/rate).
 */
export interface TokenBucket {
  /** Most tokens the bucket holds (the burst). */
  readonly capacity: number;
  /** Tokens added per millisecond. */
  readonly refillPerMs: number;
  readonly tokens: number;
  /** Clock time of the last refill, ms. */
  readonly updatedAt: number;
}

/** A full bucket that refills `perMinute` tokens a minute, with a burst of one minute's worth. */
export function bucketPerMinute(perMinute: number, now: number): TokenBucket {
  return { capacity: perMinute, refillPerMs: perMinute / 60_000, tokens: perMinute, updatedAt: now };
}

/** The bucket at time `now`, refilled for the time passed (never above capacity). */
export function refill(bucket: TokenBucket, now: number): TokenBucket {
  const elapsed = Math.max(0, now - bucket.updatedAt);
  const tokens = Math.min(bucket.capacity, bucket.tokens + elapsed * bucket.refillPerMs);
  return { ...bucket, tokens, updatedAt: Math.max(now, bucket.updatedAt) };
}

/**
 * Takes `amount` tokens at `now`. Returns the new bucket and how long the caller must wait before
 * going ahead (0 when the tokens were there).
 */
export function reserve(bucket: TokenBucket, amount: number, now: number): { bucket: TokenBucket; waitMs: number } {
  const current = refill(bucket, now);
  const after = current.tokens - amount;
  const waitMs = after >= 0 ? 0 : Math.ceil(-after / current.refillPerMs);
  return { bucket: { ...current, tokens: after }, waitMs };
}

/**
 * Gives back (`delta` > 0) or charges extra (`delta` < 0) tokens, e.g. to correct an estimate with the
 * usage the provider reported, or to return a reservation whose caller gave up.
 */
export function adjust(bucket: TokenBucket, delta: number, now: number): TokenBucket {
  const current = refill(bucket, now);
  return { ...current, tokens: Math.min(current.capacity, current.tokens + delta) };
}
