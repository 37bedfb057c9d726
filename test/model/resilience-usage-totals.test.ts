import { describe, expect, it } from 'vitest';
import { createModel } from '../../src/model/create-model.js';
import { createUsageMeter } from '../../src/model/usage-meter.js';
import { useAimock } from '../support/aimock.js';
import { collectStream, rejectionOf } from './helpers.js';
import { retryClock } from './resilience-support.js';

const server = useAimock();

describe('usage and cost totals over the real SDKs', () => {
  it('sums tokens, cost and calls per model and overall, counting retries and failed calls', async () => {
    const { clock, events } = retryClock();
    const meter = createUsageMeter(events);
    const common = { env: {}, clock, events, resilience: { retry: { maxRetries: 1, baseDelayMs: 10 } } };
    const claude = createModel({ provider: 'anthropic', model: 'claude-haiku-4-5', apiKey: 'k', baseURL: server().anthropicBaseURL }, common);
    const gpt = createModel({ provider: 'openai', model: 'gpt-5-mini', apiKey: 'k', baseURL: server().openaiBaseURL }, common);
    server().mock.onMessage('summarise', { content: 'Short.', usage: { input_tokens: 2000, output_tokens: 100 } });
    server().mock.onMessage('translate', { content: 'Hola.', usage: { prompt_tokens: 4000, completion_tokens: 400 } });
    server().mock.onMessage('always down', { error: { message: 'down', type: 'api_error' }, status: 500 });

    await claude.generate({ prompt: 'summarise this' });
    await collectStream(claude, { prompt: 'summarise that' });
    await gpt.generate({ prompt: 'translate hello' });
    await rejectionOf(gpt.generate({ prompt: 'always down' }));

    const byModel = Object.fromEntries(meter.byModel().map((m) => [m.provider, m]));
    // claude-haiku-4-5: $1 / 1M input, $5 / 1M output
    expect(byModel.anthropic).toMatchObject({ calls: 2, failedCalls: 0, usage: { inputTokens: 4000, outputTokens: 200 } });
    expect(byModel.anthropic!.costUsd).toBeCloseTo(2 * (2000 * 1e-6 + 100 * 5e-6), 12);
    // gpt-5-mini: $0.25 / 1M input, $2 / 1M output
    expect(byModel.openai).toMatchObject({ calls: 1, failedCalls: 1, retries: 1, usage: { inputTokens: 4000, outputTokens: 400 } });
    expect(byModel.openai!.costUsd).toBeCloseTo(4000 * 0.25e-6 + 400 * 2e-6, 12);

    const totals = meter.totals();
    expect(totals).toMatchObject({ calls: 3, failedCalls: 1, retries: 1 });
    expect(totals.usage).toEqual({ inputTokens: 8000, outputTokens: 600 });
    expect(totals.costUsd).toBeCloseTo(byModel.anthropic!.costUsd + byModel.openai!.costUsd, 12);
  });
});
