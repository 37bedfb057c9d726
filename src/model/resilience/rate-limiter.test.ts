import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../events/bus.js';
import type { EventOf } from '../../events/types.js';
import { AbortedError, ConfigError } from '../../errors/taskforce-error.js';
import { manualClock } from '../../util/clock.js';
import { createRateLimiter } from './rate-limiter.js';

function setup(limits: { requestsPerMinute?: number; tokensPerMinute?: number }) {
  const clock = manualClock();
  const events = createEventBus({ clock });
  const waits: EventOf<'model.ratelimit.wait'>[] = [];
  events.onType('model.ratelimit.wait', (e) => waits.push(e));
  const limiter = createRateLimiter(limits, { clock, events, provider: 'p', model: 'm' });
  const started: number[] = [];
  const call = async (tokens = 0, signal?: AbortSignal) => {
    const reservation = await limiter.acquire(tokens, signal);
    started.push(clock.now());
    return reservation;
  };
  return { clock, waits, call, started };
}

describe('rate limiter', () => {
  it('spaces requests beyond the burst one refill interval apart', async () => {
    const { clock, call, started, waits } = setup({ requestsPerMinute: 2 });
    const calls = [call(), call(), call(), call()];
    await clock.advance(60_000);
    await Promise.all(calls);
    expect(started).toEqual([0, 0, 30_000, 60_000]);
    expect(waits.map((w) => [w.reason, w.delayMs])).toEqual([
      ['requests', 30_000],
      ['requests', 60_000],
    ]);
  });

  it('waits for the token budget with the estimate, then refunds what the call did not use', async () => {
    const { clock, call, started } = setup({ tokensPerMinute: 1000 });
    const first = await call(1000);
    first.settle(400); // 600 tokens come back
    const second = call(600); // fits the refund, no wait
    const third = call(300); // 300 short: 18 s at 1000/min
    await clock.advance(18_000);
    await Promise.all([second, third]);
    expect(started).toEqual([0, 0, 18_000]);
  });

  it('charges usage above the estimate, delaying later calls', async () => {
    const { clock, call, started } = setup({ tokensPerMinute: 600 });
    const first = await call(100);
    first.settle(700); // 100 over the whole budget
    const next = call(60);
    await clock.advance(16_000);
    await next;
    expect(started).toEqual([0, 16_000]);
  });

  it('gives up the wait on abort and hands the reservation back to the queue', async () => {
    const { clock, call, started } = setup({ requestsPerMinute: 1 });
    await call();
    const controller = new AbortController();
    const abandoned = call(0, controller.signal);
    controller.abort();
    await expect(abandoned).rejects.toBeInstanceOf(AbortedError);
    const next = call();
    await clock.advance(60_000);
    await next;
    expect(started).toEqual([0, 60_000]);
  });

  it('refuses at once a call that needs more tokens than the whole per-minute budget, charging nothing', async () => {
    const { clock, call, started, waits } = setup({ tokensPerMinute: 1000 });
    const refused = call(5000);

    await expect(refused).rejects.toBeInstanceOf(ConfigError);
    await expect(refused).rejects.toThrow('p/m: the request needs about 5000 tokens, but rateLimit.tokensPerMinute allows 1000 per minute');
    expect(clock.pending()).toBe(0);
    expect(waits).toEqual([]);
    // The bucket is untouched: a call that fits still goes at once.
    await call(1000);
    expect(started).toEqual([0]);
  });

  it('never waits without limits', async () => {
    const { clock, call, started } = setup({});
    await Promise.all([call(10_000), call(10_000), call(10_000)]);
    expect(started).toEqual([0, 0, 0]);
    expect(clock.pending()).toBe(0);
  });
});
