import { describe, expect, it } from 'vitest';
import { ModelApiError } from '../errors/model-errors.js';
import { createEventBus } from '../events/bus.js';
import { manualClock } from '../util/clock.js';
import { modelFromProvider } from './model.js';
import { scriptedModel } from './scripted.js';
import { createUsageMeter } from './usage-meter.js';

describe('createUsageMeter', () => {
  it('totals tokens, cost and calls overall and per model', async () => {
    const events = createEventBus({ clock: manualClock() });
    const meter = createUsageMeter(events);
    const pricing = { small: { input: 1, output: 2, cacheRead: 0.5 }, big: { input: 10, output: 20 } };
    const small = modelFromProvider(
      scriptedModel({
        modelId: 'small',
        replies: [
          { text: 'a', usage: { inputTokens: 1000, outputTokens: 500, cacheReadTokens: 2000 } },
          { text: 'b', usage: { inputTokens: 3000, outputTokens: 0 } },
        ],
      }),
      { events, pricing },
    );
    const big = modelFromProvider(scriptedModel({ modelId: 'big', replies: [{ text: 'c', usage: { inputTokens: 100, outputTokens: 100 } }] }), { events, pricing });
    await small.generate({ prompt: 'x' });
    await big.generate({ prompt: 'y' });
    await small.generate({ prompt: 'z' });

    const totals = meter.totals();
    expect(totals.calls).toBe(3);
    expect(totals.usage).toEqual({ inputTokens: 4100, outputTokens: 600, cacheReadTokens: 2000 });
    // small: (4000·1 + 500·2 + 2000·0.5) / 1e6 = 0.006; big: (100·10 + 100·20) / 1e6 = 0.003
    expect(totals.costUsd).toBeCloseTo(0.009, 12);
    expect(meter.byModel().map((m) => [m.model, m.calls, m.costUsd.toFixed(6)])).toEqual([
      ['small', 2, '0.006000'],
      ['big', 1, '0.003000'],
    ]);
  });

  it('counts failed calls and retries, and stops counting after stop()', async () => {
    const events = createEventBus({ clock: manualClock() });
    const meter = createUsageMeter(events);
    const model = modelFromProvider(
      scriptedModel({ replies: [{ error: new ModelApiError({ provider: 'scripted', status: 400, message: 'bad' }) }, 'ok'] }),
      { events },
    );
    await expect(model.generate({ prompt: 'x' })).rejects.toThrow('400');
    events.emit({ type: 'model.retry', callId: 'c', provider: 'scripted', model: 'scripted', attempt: 1, delayMs: 5, reason: 'status 503' });
    expect(meter.totals()).toMatchObject({ calls: 0, failedCalls: 1, retries: 1 });
    meter.stop();
    await model.generate({ prompt: 'x' });
    expect(meter.totals().calls).toBe(0);
  });
});

describe('createUsageMeter keys', () => {
  it('keeps a model’s calls together under its configured id when the provider reports a dated one', async () => {
    const events = createEventBus({ clock: manualClock() });
    const meter = createUsageMeter(events);
    events.emit({ type: 'model.call.started', callId: 'c1', provider: 'anthropic', model: 'claude-haiku-4-5' });
    events.emit({ type: 'model.retry', callId: 'c1', provider: 'anthropic', model: 'claude-haiku-4-5', attempt: 1, delayMs: 1, reason: 'status 529' });
    events.emit({
      type: 'model.call.finished',
      callId: 'c1',
      provider: 'anthropic',
      model: 'claude-haiku-4-5-20251001',
      usage: { inputTokens: 5, outputTokens: 1 },
      costUsd: 0.1,
      durationMs: 3,
    });
    expect(meter.byModel()).toEqual([
      { provider: 'anthropic', model: 'claude-haiku-4-5', calls: 1, failedCalls: 0, retries: 1, usage: { inputTokens: 5, outputTokens: 1 }, costUsd: 0.1 },
    ]);
  });
});
