import { describe, expect, it } from 'vitest';
import { createModel } from '../../src/model/create-model.js';
import type { ResilienceOptions } from '../../src/model/resilience/types.js';
import { estimateInputTokens } from '../../src/model/tokens.js';
import { useAimock } from '../support/aimock.js';
import { retryClock } from './resilience-support.js';

// The limiter's schedule over real HTTP: the clock is manual, so a held-back call can only go when the
// test moves time, and each request reaching aimock shows when the limiter let it through.
const server = useAimock();

function openai(rateLimit: ResilienceOptions['rateLimit']) {
  const { clock, events, ofType } = retryClock();
  const model = createModel(
    { provider: 'openai', model: 'gpt-5-mini', apiKey: 'k', baseURL: server().openaiBaseURL },
    { env: {}, clock, events, resilience: { retry: { maxRetries: 0 }, rateLimit } },
  );
  return { clock, ofType, model };
}

describe('rate limits over the real SDK, on an injected clock', () => {
  it('lets a burst of requestsPerMinute through, then spaces the rest one refill interval apart', async () => {
    server().mock.onMessage('ping', { content: 'pong' });
    const { clock, ofType, model } = openai({ requestsPerMinute: 2 });
    const servedAt: number[] = [];
    const calls = [1, 2, 3, 4].map(() => model.generate({ prompt: 'ping' }).then(() => servedAt.push(clock.now())));

    await Promise.all(calls.slice(0, 2));
    expect(server().modelEntries()).toHaveLength(2);
    expect(ofType('model.ratelimit.wait').map((e) => [e.reason, e.delayMs])).toEqual([
      ['requests', 30_000],
      ['requests', 60_000],
    ]);

    await clock.advance(29_999);
    // Still held: the only sleepers are the two rate-limit waits, nothing was sent.
    expect(clock.pending()).toBe(2);
    expect(server().modelEntries()).toHaveLength(2);

    await clock.advance(1);
    await calls[2];
    expect(server().modelEntries()).toHaveLength(3);
    await clock.advance(30_000);
    await Promise.all(calls);
    expect(servedAt).toEqual([0, 0, 30_000, 60_000]);
    expect(server().modelEntries()).toHaveLength(4);
  });

  it('charges tokensPerMinute with the token estimate first, then with the usage the provider reported', async () => {
    // The first reply reports 900 tokens, far more than its estimate: the limiter must believe the report.
    server().mock.onMessage('long answer', { content: 'a long answer', usage: { prompt_tokens: 100, completion_tokens: 800 } });
    server().mock.onMessage('short answer', { content: 'ok', usage: { prompt_tokens: 10, completion_tokens: 2 } });
    const { clock, ofType, model } = openai({ tokensPerMinute: 1000 });
    const second = { prompt: 'a short answer please', maxTokens: 300 };
    const secondEstimate = estimateInputTokens({ messages: [{ role: 'user', content: second.prompt }] }) + second.maxTokens;

    await model.generate({ prompt: 'a long answer please', maxTokens: 300 });
    expect(ofType('model.ratelimit.wait')).toHaveLength(0);

    const pending = model.generate(second);
    // 1000 - 900 = 100 tokens left; the rest of the estimate refills at 1000 per 60 000 ms.
    const waitMs = Math.ceil((secondEstimate - 100) * 60);
    expect(ofType('model.ratelimit.wait').map((e) => [e.reason, e.delayMs])).toEqual([['tokens', waitMs]]);
    await clock.advance(waitMs - 1);
    expect(server().modelEntries()).toHaveLength(1);
    await clock.advance(1);
    expect((await pending).text).toBe('ok');
    expect(server().modelEntries()).toHaveLength(2);
    expect(clock.now()).toBe(waitMs);
  });
});
