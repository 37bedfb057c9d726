import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adjust, bucketPerMinute, refill, reserve } from './token-bucket.js';

describe('token bucket', () => {
  it('starts full: a minute’s worth goes at once', () => {
    let bucket = bucketPerMinute(3, 0);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = reserve(bucket, 1, 0);
      bucket = r.bucket;
      waits.push(r.waitMs);
    }
    expect(waits).toEqual([0, 0, 0, 20_000]);
  });

  it('queues callers beyond the burst at the refill rate, in order', () => {
    // 60 per minute = one per second.
    let bucket = bucketPerMinute(60, 0);
    bucket = reserve(bucket, 60, 0).bucket;
    const first = reserve(bucket, 1, 0);
    const second = reserve(first.bucket, 1, 0);
    expect([first.waitMs, second.waitMs]).toEqual([1000, 2000]);
  });

  it('refills with time, never above capacity', () => {
    const empty = reserve(bucketPerMinute(60, 0), 60, 0).bucket;
    expect(refill(empty, 30_000).tokens).toBe(30);
    expect(refill(empty, 10 * 60_000).tokens).toBe(60);
  });

  it('lets a request larger than the capacity through after the debt refills', () => {
    const { waitMs } = reserve(bucketPerMinute(1000, 0), 1500, 0);
    expect(waitMs).toBe(30_000);
  });

  it('corrects an estimate: tokens the call did not use come back, extra ones are charged', () => {
    const reserved = reserve(bucketPerMinute(1000, 0), 800, 0).bucket;
    expect(adjust(reserved, 800 - 300, 0).tokens).toBe(700);
    expect(adjust(reserved, 800 - 1100, 0).tokens).toBe(-100);
  });

  it('never gives a caller more than the refill rate allows over any schedule', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ gap: fc.integer({ min: 0, max: 5000 }), amount: fc.integer({ min: 1, max: 50 })}), { maxLength: 40 }), (calls) => {
        const perMinute = 120;
        let bucket = bucketPerMinute(perMinute, 0);
        let now = 0;
        let lastStart = 0;
        let granted = 0;
        for (const call of calls) {
          now += call.gap;
          const r = reserve(bucket, call.amount, now);
          bucket = r.bucket;
          lastStart = Math.max(lastStart, now + r.waitMs);
          granted += call.amount;
        }
        // Everything granted by lastStart fits in the burst plus what refilled until then.
        return granted <= perMinute + (lastStart * perMinute) / 60_000 + 1e-9;
      }),
    );
  });
});
