import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../src/events/bus.js';
import type { TaskforceEvent } from '../../src/events/types.js';
import { createModel } from '../../src/model/create-model.js';
import { scriptedModel } from '../../src/model/scripted.js';
import { manualClock } from '../../src/util/clock.js';
import { sequentialIds } from '../../src/util/ids.js';
import { startAimock, useAimock } from '../support/aimock.js';
import { collectStream } from './helpers.js';

const server = useAimock();

describe('createModel', () => {
  it('builds an OpenAI model from TASKFORCE_MODEL and OPENAI_BASE_URL alone (a local compatible server needs no key)', async () => {
    server().mock.onMessage('ping', { content: 'pong' });
    const model = createModel(undefined, { env: { TASKFORCE_MODEL: 'openai:llama3.2', OPENAI_BASE_URL: server().openaiBaseURL } });

    expect(model).toMatchObject({ provider: 'openai', modelId: 'llama3.2' });
    expect((await model.generate({ prompt: 'ping' })).text).toBe('pong');
    expect(server().modelRequests()[0]).toMatchObject({ model: 'llama3.2' });
  });

  it('builds an Anthropic model from a spec string with ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL', async () => {
    server().mock.onMessage('ping', { content: 'pong' });
    const model = createModel('anthropic:claude-haiku-4-5', {
      env: { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: server().anthropicBaseURL },
    });
    expect((await model.generate({ prompt: 'ping' })).text).toBe('pong');
    expect(server().modelEntries()[0]!.path).toBe('/v1/messages');
  });

  it('runs the scripted model from a config object', async () => {
    const model = createModel({ provider: 'scripted', replies: ['scripted hello'], modelId: 'fake' }, { env: {} });
    expect(model).toMatchObject({ provider: 'scripted', modelId: 'fake' });
    expect((await model.generate({ prompt: 'hi' })).text).toBe('scripted hello');
  });

  it('wraps a custom ProviderModel and emits call events with the injected clock and ids', async () => {
    const provider = scriptedModel({ replies: ['custom'], modelId: 'my-adapter' });
    const clock = manualClock(1000);
    const events: TaskforceEvent[] = [];
    const bus = createEventBus({ clock });
    bus.on((event) => events.push(event));
    const model = createModel({ provider }, { env: {}, events: bus, clock, ids: sequentialIds(), tags: { agent: 'writer' } });

    await model.generate({ prompt: 'hi' });
    expect(provider.calls).toBe(1);
    expect(events.map((e) => e.type)).toEqual(['model.call.started', 'model.call.finished']);
    expect(events[0]).toMatchObject({ provider: 'scripted', model: 'my-adapter', agent: 'writer', at: 1000 });
  });

  it('applies custom pricing over the defaults', async () => {
    const model = createModel(
      { provider: 'scripted', replies: [{ text: 'x', usage: { inputTokens: 1_000_000, outputTokens: 0 } }], modelId: 'house-model' },
      { env: {}, pricing: { 'house-model': { input: 3, output: 9 } } },
    );
    expect((await model.generate({ prompt: 'hi' })).costUsd).toBeCloseTo(3, 9);
  });

  it('lets custom pricing override a built-in price, also for the dated id the provider reports', async () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000 };
    const reply = { provider: 'scripted' as const, replies: [{ text: 'x', usage }], modelId: 'gpt-5-mini-2025-08-07' };
    const listed = await createModel(reply, { env: {} }).generate({ prompt: 'hi' });
    const negotiated = await createModel(reply, { env: {}, pricing: { 'gpt-5-mini*': { input: 0.2, output: 1.6 } } }).generate({ prompt: 'hi' });
    expect(listed.costUsd).toBeCloseTo(0.25 + 2, 9);
    expect(negotiated.costUsd).toBeCloseTo(0.2 + 1.6, 9);
  });

  it('records provider replies to a cassette and replays them with the provider gone and no API key', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'taskforce-cassette-')), 'calls.jsonl');
    const live = await startAimock();
    live.mock.onMessage('weather', { content: 'Sunny all week.', usage: { prompt_tokens: 30, completion_tokens: 4 } }, { chunkSize: 4 });
    const spec = { provider: 'openai' as const, model: 'gpt-5-mini', apiKey: 'k', baseURL: live.openaiBaseURL };
    const request = { prompt: 'weather this week?' };

    const recorded = createModel(spec, { env: {}, cassette: { mode: 'record', path } });
    const plain = await recorded.generate(request);
    const streamed = await collectStream(recorded, request);
    await live.stop();

    // Only the provider and model id decide the match: no key, no base URL, nothing listening.
    const replayed = createModel('openai:gpt-5-mini', { env: {}, cassette: { mode: 'replay', path }, resilience: { retry: { maxRetries: 0 } } });
    expect(await replayed.generate(request)).toEqual(plain);
    const replayedStream = await collectStream(replayed, request);
    expect(replayedStream.deltas).toEqual(streamed.deltas);
    expect(replayedStream.result).toEqual(streamed.result);
  });
});
