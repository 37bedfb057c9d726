import { describe, expect, it } from 'vitest';
import { ModelApiError, ModelConnectionError, ModelTimeoutError } from '../../errors/model-errors.js';
import { AbortedError, ConfigError } from '../../errors/taskforce-error.js';
import { createEventBus } from '../../events/bus.js';
import type { TaskforceEvent } from '../../events/types.js';
import { manualClock, type ManualClock } from '../../util/clock.js';
import type { Random } from '../../util/random.js';
import { scriptedModel, type ScriptedReply } from '../scripted.js';
import type { ProviderModel, ProviderRequest, ProviderStreamPart } from '../types.js';
import { createBreakerRegistry } from './breaker.js';
import { CircuitOpenError } from './circuit-open-error.js';
import type { ResilienceOptions } from './types.js';
import { withResilience } from './with-resilience.js';

const request: ProviderRequest = { messages: [{ role: 'user', content: 'hello' }] };
const api = (status: number, retryAfterMs?: number) =>
  new ModelApiError({ provider: 'scripted', status, message: `fault ${status}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
/** Random source returning fixed values, so each backoff delay is known. */
const fixedRandom = (value: number): Random => ({ next: () => value });

function setup(replies: readonly ScriptedReply[], options: ResilienceOptions = {}, random: Random = fixedRandom(0.5)) {
  const clock = manualClock();
  const events = createEventBus({ clock });
  const seen: TaskforceEvent[] = [];
  events.on((e) => seen.push(e));
  const scripted = scriptedModel({ replies, clock });
  const provider = withResilience(scripted, options, { clock, random, events });
  const ofType = <T extends TaskforceEvent['type']>(type: T) => seen.filter((e) => e.type === type) as Extract<TaskforceEvent, { type: T }>[];
  return { clock, events, scripted, provider, ofType };
}

/**
 * Runs the manual clock until `work` settles: lets pending I/O and promise chains run first, and only
 * then moves time to the next deadline. Returns the result or rethrows the error.
 */
async function drive<T>(clock: ManualClock, work: Promise<T>): Promise<T> {
  let settled = false;
  const tracked = work.finally(() => {
    settled = true;
  });
  tracked.catch(() => undefined);
  for (;;) {
    await new Promise((resolve) => setImmediate(resolve));
    if (settled) break;
    await clock.runNext();
  }
  return tracked;
}

async function collect(stream: AsyncIterable<ProviderStreamPart>): Promise<ProviderStreamPart[]> {
  const parts: ProviderStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

describe('withResilience: retries', () => {
  it('retries a 503 after a full-jitter backoff and returns the later success', async () => {
    const { clock, provider, scripted, ofType } = setup([{ error: api(503) }, { error: api(503) }, 'ok'], { retry: { baseDelayMs: 1000 } });
    const result = await drive(clock, provider.doGenerate({ ...request, callId: 'call_7' }));
    expect(result.text).toBe('ok');
    expect(scripted.calls).toBe(3);
    // random 0.5 → half of 1000, then half of 2000
    expect(ofType('model.retry').map((e) => [e.callId, e.attempt, e.delayMs, e.reason])).toEqual([
      ['call_7', 1, 500, 'status 503'],
      ['call_7', 2, 1000, 'status 503'],
    ]);
    expect(clock.now()).toBe(1500);
  });

  it('waits at least the retry-after the provider sent', async () => {
    const { clock, provider, ofType } = setup([{ error: api(429, 7000) }, 'ok'], { retry: { baseDelayMs: 100 } });
    await drive(clock, provider.doGenerate(request));
    expect(ofType('model.retry')[0]?.delayMs).toBe(7000);
    expect(clock.now()).toBe(7000);
  });

  it('fails at once when retry-after is longer than maxRetryAfterMs', async () => {
    const { clock, provider, scripted } = setup([{ error: api(429, 120_000) }, 'ok'], { retry: { maxRetryAfterMs: 60_000 } });
    await expect(drive(clock, provider.doGenerate(request))).rejects.toMatchObject({ status: 429 });
    expect(scripted.calls).toBe(1);
  });

  it('surfaces the last error after maxRetries', async () => {
    const { clock, provider, scripted, ofType } = setup([{ error: api(500) }, { error: api(502) }, { error: api(529) }], { retry: { maxRetries: 2 } });
    await expect(drive(clock, provider.doGenerate(request))).rejects.toMatchObject({ status: 529 });
    expect(scripted.calls).toBe(3);
    expect(ofType('model.retry')).toHaveLength(2);
  });

  it.each([400, 401, 403, 404, 422])('never retries a %i', async (status) => {
    const { clock, provider, scripted } = setup([{ error: api(status) }, 'ok']);
    await expect(drive(clock, provider.doGenerate(request))).rejects.toMatchObject({ status });
    expect(scripted.calls).toBe(1);
  });

  it('stops backing off as soon as the caller aborts', async () => {
    const { clock, provider, scripted } = setup([{ error: api(503) }, 'ok'], { retry: { baseDelayMs: 10_000 } });
    const controller = new AbortController();
    const call = provider.doGenerate({ ...request, signal: controller.signal });
    call.catch(() => undefined);
    await clock.advance(10); // first attempt fails, backoff sleep starts
    expect(clock.pending()).toBe(1);
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(AbortedError);
    expect(scripted.calls).toBe(1);
    expect(clock.pending()).toBe(0);
  });
});

describe('withResilience: timeouts', () => {
  it('turns a slow attempt into ModelTimeoutError and retries it', async () => {
    const { clock, provider, scripted, ofType } = setup([{ text: 'late', latencyMs: 5000 }, 'fast'], { timeoutMs: 1000, retry: { baseDelayMs: 100 } });
    const result = await drive(clock, provider.doGenerate(request));
    expect(result.text).toBe('fast');
    expect(scripted.calls).toBe(2);
    expect(ofType('model.retry')[0]?.reason).toBe('timeout');
  });

  it('times out even when the provider ignores its signal', async () => {
    const clock = manualClock();
    const stuck: ProviderModel = {
      provider: 'stuck',
      modelId: 'm',
      structuredMode: 'prompt',
      doGenerate: () => new Promise(() => undefined),
      doStream: () => ({ [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => undefined) }) }),
    };
    const provider = withResilience(stuck, { timeoutMs: 2000, retry: { maxRetries: 0 } }, { clock, random: fixedRandom(0) });
    const error = await drive(clock, provider.doGenerate(request)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelTimeoutError);
    expect(clock.now()).toBe(2000);
    await expect(drive(clock, collect(provider.doStream(request)))).rejects.toBeInstanceOf(ModelTimeoutError);
  });

  it('passes the provider a signal that fires on the caller’s abort', async () => {
    const { clock, provider, scripted } = setup([{ text: 'slow', latencyMs: 5000 }]);
    const controller = new AbortController();
    const call = provider.doGenerate({ ...request, signal: controller.signal });
    call.catch(() => undefined);
    await clock.advance(100);
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(AbortedError);
    expect(scripted.requests[0]?.signal?.aborted).toBe(true);
  });
});

/** A provider whose stream yields `before` parts and then throws `error`, `failures` times, then streams `ok`. */
function flakyStream(before: number, failures: number, error: Error): ProviderModel & { attempts: number } {
  const state = { attempts: 0 };
  return {
    provider: 'flaky',
    modelId: 'm',
    structuredMode: 'prompt',
    get attempts() {
      return state.attempts;
    },
    doGenerate: () => Promise.reject(new Error('not used')),
    async *doStream() {
      const attempt = state.attempts++;
      for (let i = 0; i < before; i++) yield { type: 'text-delta', text: `part${i} ` };
      if (attempt < failures) throw error;
      yield { type: 'finish', result: { text: 'ok', toolCalls: [], usage: { inputTokens: 1, outputTokens: 1 }, stopReason: 'end_turn', modelId: 'm' } };
    },
  };
}

describe('withResilience: streams', () => {
  it('retries a stream that failed before its first part', async () => {
    const clock = manualClock();
    const flaky = flakyStream(0, 1, new ModelConnectionError('flaky', 'socket hang up'));
    const provider = withResilience(flaky, {}, { clock, random: fixedRandom(0) });
    const parts = await drive(clock, collect(provider.doStream(request)));
    expect(parts.map((p) => p.type)).toEqual(['finish']);
    expect(flaky.attempts).toBe(2);
  });

  it('does not retry a stream cut after output began, and says so with ModelConnectionError', async () => {
    const clock = manualClock();
    const flaky = flakyStream(2, 1, api(500));
    const provider = withResilience(flaky, {}, { clock, random: fixedRandom(0) });
    const seen: ProviderStreamPart[] = [];
    const error = await drive(
      clock,
      (async () => {
        for await (const part of provider.doStream(request)) seen.push(part);
      })(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelConnectionError);
    expect((error as Error).message).toContain('after output began');
    expect((error as Error).cause).toMatchObject({ status: 500 });
    expect(seen).toEqual([
      { type: 'text-delta', text: 'part0 ' },
      { type: 'text-delta', text: 'part1 ' },
    ]);
    expect(flaky.attempts).toBe(1);
  });
});

describe('withResilience: circuit breaker', () => {
  it('opens after repeated failed calls, rejects fast, then closes after a good probe', async () => {
    const { clock, provider, scripted, ofType } = setup(
      [{ error: api(503) }, { error: api(503) }, 'recovered'],
      { retry: { maxRetries: 0 }, breaker: { failureThreshold: 2, cooldownMs: 10_000 } },
    );
    await expect(drive(clock, provider.doGenerate(request))).rejects.toMatchObject({ status: 503 });
    await expect(drive(clock, provider.doGenerate(request))).rejects.toMatchObject({ status: 503 });
    await expect(provider.doGenerate(request)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(scripted.calls).toBe(2);
    await clock.advance(10_000);
    expect((await drive(clock, provider.doGenerate(request))).text).toBe('recovered');
    expect(ofType('model.breaker').map((e) => e.to)).toEqual(['open', 'half-open', 'closed']);
  });

  it('does not count client errors against the endpoint', async () => {
    const { clock, provider } = setup([{ error: api(400) }, { error: api(400) }, 'fine'], { breaker: { failureThreshold: 2 } });
    await expect(drive(clock, provider.doGenerate(request))).rejects.toMatchObject({ status: 400 });
    await expect(drive(clock, provider.doGenerate(request))).rejects.toMatchObject({ status: 400 });
    expect((await drive(clock, provider.doGenerate(request))).text).toBe('fine');
  });

  it('trips every model on the same endpoint when they share a registry', async () => {
    const clock = manualClock();
    const breakers = createBreakerRegistry();
    const deps = { clock, random: fixedRandom(0), breakers };
    const options = { retry: { maxRetries: 0 }, breaker: { failureThreshold: 1 } };
    const a = withResilience({ ...scriptedModel({ replies: [{ error: api(500) }] }), endpoint: 'https://same' }, options, deps);
    const bScript = scriptedModel({ replies: ['never'] });
    const b = withResilience({ ...bScript, endpoint: 'https://same' }, options, deps);
    await expect(a.doGenerate(request)).rejects.toMatchObject({ status: 500 });
    await expect(b.doGenerate(request)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(bScript.calls).toBe(0);
  });
});

describe('withResilience: limits', () => {
  it('runs at most maxConcurrency calls at once, reporting the call that waits for a slot', async () => {
    const { clock, provider, ofType } = setup([{ text: 'a', latencyMs: 100 }, { text: 'b', latencyMs: 100 }, { text: 'c', latencyMs: 100 }], { maxConcurrency: 2 });
    const finishedAt: number[] = [];
    const calls = ['a', 'b', 'c'].map((id) => provider.doGenerate({ ...request, callId: id }).then(() => finishedAt.push(clock.now())));
    await drive(clock, Promise.all(calls));
    expect(finishedAt).toEqual([100, 100, 200]);
    expect(ofType('model.concurrency.wait').map((e) => [e.callId, e.maxConcurrency, e.queued, e.at])).toEqual([['c', 2, 1, 0]]);
  });

  it('holds back calls over requestsPerMinute, reporting the wait', async () => {
    const { clock, provider, ofType } = setup(['a', 'b'], { rateLimit: { requestsPerMinute: 1 } });
    await provider.doGenerate(request);
    await drive(clock, provider.doGenerate(request));
    expect(clock.now()).toBe(60_000);
    expect(ofType('model.ratelimit.wait').map((e) => [e.reason, e.delayMs])).toEqual([['requests', 60_000]]);
  });

  it('estimates tokens before the call from the request and maxTokens', async () => {
    const { clock, provider, ofType } = setup(
      [{ text: 'a', usage: { inputTokens: 10, outputTokens: 990 } }, 'b'],
      { rateLimit: { tokensPerMinute: 1000 } },
    );
    await provider.doGenerate({ ...request, maxTokens: 990 });
    // 1000 used; the next needs its estimate (~5 input + 500) back: about half a minute
    await drive(clock, provider.doGenerate({ ...request, maxTokens: 500 }));
    const wait = ofType('model.ratelimit.wait')[0];
    expect(wait?.reason).toBe('tokens');
    expect(wait?.delayMs).toBeGreaterThan(30_000);
    expect(wait?.delayMs).toBeLessThan(31_000);
  });

  it('rejects bad settings with a ConfigError naming the field', () => {
    const clock = manualClock();
    expect(() => withResilience(scriptedModel({ replies: [] }), { retry: { maxRetries: -1 } }, { clock, random: fixedRandom(0) })).toThrow(
      /retry\.maxRetries must be a whole number/,
    );
    expect(() => withResilience(scriptedModel({ replies: [] }), { maxConcurrency: 0 }, { clock, random: fixedRandom(0) })).toThrow(ConfigError);
  });
});
