import { describe, expect, it } from 'vitest';
import { ModelConnectionError } from '../../src/errors/model-errors.js';
import { createModel } from '../../src/model/create-model.js';
import type { ResilienceOptions } from '../../src/model/resilience/types.js';
import type { Model } from '../../src/model/types.js';
import { seededRandom } from '../../src/util/random.js';
import { useAimock } from '../support/aimock.js';
import { collectStream, dropSwitch, providerCase, rejectionOf, streamUntilError } from './helpers.js';
import { retryClock } from './resilience-support.js';
import { anthropicUnfinishedStream } from './wire.js';

const server = useAimock();

function models(resilience: ResilienceOptions = {}) {
  const { clock, events, ofType } = retryClock();
  const common = { resilience: { retry: { baseDelayMs: 200 }, ...resilience }, env: {}, clock, events, random: seededRandom(42) };
  const anthropic: Model = createModel({ provider: 'anthropic', model: 'claude-haiku-4-5', apiKey: 'k', baseURL: server().anthropicBaseURL }, common);
  const openai: Model = createModel({ provider: 'openai', model: 'gpt-5-mini', apiKey: 'k', baseURL: server().openaiBaseURL }, common);
  return { clock, ofType, anthropic, openai };
}

describe('resilience over the real SDKs: retries', () => {
  it.each(['anthropic', 'openai'] as const)('%s: waits out a 429 retry-after on the injected clock, then succeeds', async (which) => {
    server().mock.on({ userMessage: 'busy', sequenceIndex: 0 }, { error: { message: 'slow down', type: 'rate_limit_error' }, status: 429, retryAfter: 3 });
    server().mock.on({ userMessage: 'busy', sequenceIndex: 1 }, { content: 'served after waiting' });
    const { clock, ofType, ...all } = models();

    const result = await all[which].generate({ prompt: 'busy' });

    expect(result.text).toBe('served after waiting');
    expect(server().modelEntries().map((e) => e.response.status)).toEqual([429, 200]);
    const [retry] = ofType('model.retry');
    // jitter for the first retry is below 200 ms, so the 3 s header decides the wait
    expect(retry).toMatchObject({ attempt: 1, delayMs: 3000, reason: 'status 429', provider: which });
    expect(clock.now()).toBe(3000);
  });

  it('retries an OpenAI 500 with jittered backoff, then succeeds', async () => {
    server().mock.nextRequestError(500, { message: 'internal error' });
    server().mock.onMessage('flaky', { content: 'second time lucky' });
    const { clock, ofType, openai } = models();

    expect((await openai.generate({ prompt: 'flaky' })).text).toBe('second time lucky');
    const retries = ofType('model.retry');
    expect(retries.map((r) => r.reason)).toEqual(['status 500']);
    expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(0);
    expect(retries[0]!.delayMs).toBeLessThan(200);
    expect(clock.now()).toBe(retries[0]!.delayMs);
  });

  it('retries an Anthropic 529 overloaded, then succeeds', async () => {
    server().mock.nextRequestError(529, { message: 'Overloaded', type: 'overloaded_error' });
    server().mock.onMessage('overloaded', { content: 'capacity is back' });
    const { ofType, anthropic } = models();

    expect((await anthropic.generate({ prompt: 'overloaded' })).text).toBe('capacity is back');
    expect(ofType('model.retry').map((r) => r.reason)).toEqual(['status 529']);
    expect(server().modelEntries().map((e) => e.response.status)).toEqual([529, 200]);
  });

  it('gives up after maxRetries with the provider’s error and counts the call as failed', async () => {
    server().mock.onMessage('down', { error: { message: 'down for maintenance', type: 'api_error' }, status: 503 });
    const { ofType, openai } = models({ retry: { maxRetries: 2, baseDelayMs: 50 } });

    const error = await rejectionOf(openai.generate({ prompt: 'down' }));
    expect(error).toMatchObject({ code: 'MODEL_API_ERROR', status: 503 });
    expect(server().modelEntries()).toHaveLength(3);
    expect(ofType('model.retry')).toHaveLength(2);
    expect(ofType('model.call.failed')).toHaveLength(1);
  });

  it('does not retry a 400', async () => {
    server().mock.nextRequestError(400, { message: 'bad request', type: 'invalid_request_error' });
    const { ofType, anthropic } = models();

    expect(await rejectionOf(anthropic.generate({ prompt: 'anything' }))).toMatchObject({ status: 400 });
    expect(server().modelEntries()).toHaveLength(1);
    expect(ofType('model.retry')).toHaveLength(0);
  });
});

describe('resilience over the real SDKs: streams', () => {
  it.each(['anthropic', 'openai'] as const)('%s: retries a stream cut before its first text, and streams the reply once', async (which) => {
    server().mock.on({ userMessage: 'cut early', sequenceIndex: 0 }, { content: 'never seen' }, { chunkSize: 4, truncateAfterChunks: 1 });
    server().mock.on({ userMessage: 'cut early', sequenceIndex: 1 }, { content: 'the whole reply' }, { chunkSize: 4 });
    const { ofType, ...all } = models();

    const { deltas, result } = await collectStream(all[which], { prompt: 'cut early' });

    expect(deltas.join('')).toBe('the whole reply');
    expect(result.text).toBe('the whole reply');
    expect(server().modelEntries()).toHaveLength(2);
    expect(ofType('model.retry').map((r) => r.reason)).toEqual(['connection']);
  });

  it.each(['anthropic', 'openai'] as const)('%s: does not retry a stream cut after text arrived: ModelConnectionError, no repeated text', async (which) => {
    const provider = providerCase(which, server);
    const raw = server().raw;
    const cut = dropSwitch();
    // The connection drops only once the first delta has reached the caller: no race with delivery.
    raw.reply({ contentType: 'text/event-stream', body: provider.unfinishedStream(['this reply ', 'will never ']), dropWhen: cut.when });
    const { clock, events, ofType } = retryClock();
    const model = provider.model({ baseURL: provider.rawBaseURL(raw), clock, events, random: seededRandom(42), resilience: { retry: { baseDelayMs: 200 } } });

    const { deltas, error } = await streamUntilError(model, { prompt: 'cut late' }, cut.drop);

    expect(error).toBeInstanceOf(ModelConnectionError);
    expect(error.message).toContain('after output began');
    expect(deltas[0]).toBe('this reply ');
    expect('this reply will never '.startsWith(deltas.join(''))).toBe(true);
    expect(raw.requests).toHaveLength(1);
    expect(ofType('model.retry')).toHaveLength(0);
  });
});

describe('resilience over the real SDKs: a stream that ends early', () => {
  it('anthropic: a stream closed before message_stop after text is not retried', async () => {
    const raw = server().raw;
    raw.reply({ contentType: 'text/event-stream', body: anthropicUnfinishedStream(['half a rep']) });
    const { clock, events, ofType } = retryClock();
    const model = createModel({ provider: 'anthropic', model: 'claude-haiku-4-5', apiKey: 'k', baseURL: raw.baseURL }, { env: {}, clock, events });

    const { deltas, error } = await streamUntilError(model, { prompt: 'x' });

    expect(error).toBeInstanceOf(ModelConnectionError);
    expect(error.message).toContain('after output began');
    expect(deltas).toEqual(['half a rep']);
    expect(raw.requests).toHaveLength(1);
    expect(ofType('model.retry')).toHaveLength(0);
  });
});
