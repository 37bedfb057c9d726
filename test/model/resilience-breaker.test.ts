import { describe, expect, it } from 'vitest';
import { createModel } from '../../src/model/create-model.js';
import { createBreakerRegistry } from '../../src/model/resilience/breaker.js';
import { CircuitOpenError } from '../../src/model/resilience/circuit-open-error.js';
import { seededRandom } from '../../src/util/random.js';
import { useAimock } from '../support/aimock.js';
import { rejectionOf } from './helpers.js';
import { retryClock } from './resilience-support.js';

const server = useAimock();

describe('circuit breaker over real failing HTTP', () => {
  it.each(['anthropic', 'openai'] as const)('%s: opens after repeated 503s, rejects without a request, probes after the cooldown and closes', async (which) => {
    const { clock, events, ofType } = retryClock();
    const baseURL = which === 'anthropic' ? server().anthropicBaseURL : server().openaiBaseURL;
    const model = createModel(
      { provider: which, model: which === 'anthropic' ? 'claude-haiku-4-5' : 'gpt-5-mini', apiKey: 'k', baseURL },
      {
        env: {},
        clock,
        events,
        random: seededRandom(1),
        resilience: { retry: { maxRetries: 1, baseDelayMs: 100 }, breaker: { failureThreshold: 2, cooldownMs: 30_000 } },
      },
    );
    server().mock.onMessage('status', { error: { message: 'upstream unavailable', type: 'api_error' }, status: 503 });

    // Two calls, each failing after its retry: the breaker opens.
    expect(await rejectionOf(model.generate({ prompt: 'status?' }))).toMatchObject({ status: 503 });
    expect(await rejectionOf(model.generate({ prompt: 'status?' }))).toMatchObject({ status: 503 });
    expect(server().modelEntries()).toHaveLength(4);

    // While open: rejected at once, nothing reaches the server.
    const rejected = await rejectionOf(model.generate({ prompt: 'status?' }));
    expect(rejected).toBeInstanceOf(CircuitOpenError);
    expect(rejected).toMatchObject({ code: 'MODEL_CIRCUIT_OPEN', endpoint: baseURL });
    expect(server().modelEntries()).toHaveLength(4);

    // After the cooldown, one probe goes through; it succeeds and the breaker closes.
    server().mock.clearFixtures();
    server().mock.onMessage('status', { content: 'all good' });
    await clock.advance(30_000);
    expect((await model.generate({ prompt: 'status?' })).text).toBe('all good');
    expect((await model.generate({ prompt: 'status?' })).text).toBe('all good');

    expect(ofType('model.breaker').map((e) => `${e.from}->${e.to}`)).toEqual(['closed->open', 'open->half-open', 'half-open->closed']);
    expect(ofType('model.breaker')[0]!.endpoint).toBe(baseURL);
  });

  it('reopens when the half-open probe fails', async () => {
    const { clock, events, ofType } = retryClock();
    const model = createModel(
      { provider: 'openai', model: 'gpt-5-mini', apiKey: 'k', baseURL: server().openaiBaseURL },
      { env: {}, clock, events, resilience: { retry: { maxRetries: 0 }, breaker: { failureThreshold: 1, cooldownMs: 1000 } } },
    );
    server().mock.onMessage('ping', { error: { message: 'still down', type: 'api_error' }, status: 500 });

    await rejectionOf(model.generate({ prompt: 'ping' }));
    await clock.advance(1000);
    expect(await rejectionOf(model.generate({ prompt: 'ping' }))).toMatchObject({ status: 500 });
    expect(await rejectionOf(model.generate({ prompt: 'ping' }))).toBeInstanceOf(CircuitOpenError);
    expect(server().modelEntries()).toHaveLength(2);
    expect(ofType('model.breaker').map((e) => e.to)).toEqual(['open', 'half-open', 'open']);
  });

  it('shares one breaker between models given the same registry that call one endpoint; other models keep their own', async () => {
    const { clock, events, ofType } = retryClock();
    const breakers = createBreakerRegistry();
    const options = { env: {}, clock, events, resilience: { retry: { maxRetries: 0 }, breaker: { failureThreshold: 2, cooldownMs: 1000 } } };
    const endpoint = { provider: 'openai' as const, apiKey: 'k', baseURL: server().openaiBaseURL };
    const mini = createModel({ ...endpoint, model: 'gpt-5-mini' }, { ...options, breakers });
    const nano = createModel({ ...endpoint, model: 'gpt-5-nano' }, { ...options, breakers });
    const loner = createModel({ ...endpoint, model: 'gpt-5-nano' }, options);
    server().mock.onMessage('ping', { error: { message: 'down', type: 'api_error' }, status: 500 });

    expect(await rejectionOf(mini.generate({ prompt: 'ping' }))).toMatchObject({ status: 500 });
    expect(await rejectionOf(nano.generate({ prompt: 'ping' }))).toMatchObject({ status: 500 });
    // Two failures across the two models reached the shared threshold: both are now cut off.
    expect(await rejectionOf(mini.generate({ prompt: 'ping' }))).toBeInstanceOf(CircuitOpenError);
    expect(await rejectionOf(nano.generate({ prompt: 'ping' }))).toBeInstanceOf(CircuitOpenError);
    expect(server().modelEntries()).toHaveLength(2);
    // A model outside the registry still reaches the endpoint.
    expect(await rejectionOf(loner.generate({ prompt: 'ping' }))).toMatchObject({ status: 500 });
    expect(server().modelEntries()).toHaveLength(3);
    expect([...breakers.all().keys()]).toEqual([server().openaiBaseURL]);
    expect(ofType('model.breaker').map((e) => e.to)).toEqual(['open']);
  });
});
