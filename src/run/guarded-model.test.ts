import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BudgetExceededError } from '../errors/budget-errors.js';
import { modelFromProvider } from '../model/model.js';
import { scriptedModel } from '../model/scripted.js';
import { manualClock } from '../util/clock.js';
import { createBudgetTracker, type Budgets } from './budget.js';
import { guardedModel } from './guarded-model.js';

const usage = { inputTokens: 40, outputTokens: 10 };

function setup(budgets: Budgets, replies = Array.from({ length: 10 }, () => ({ text: '{"ok":true}', usage }))) {
  const provider = scriptedModel({ replies });
  const budget = createBudgetTracker(budgets, { clock: manualClock() });
  return { provider, budget, model: guardedModel(modelFromProvider(provider), budget) };
}

describe('guardedModel', () => {
  it('refuses the call past maxModelCalls before it reaches the provider', async () => {
    const { provider, model, budget } = setup({ maxModelCalls: 2 });
    await model.generate({ prompt: 'a' });
    await model.generate({ prompt: 'b' });
    await expect(model.generate({ prompt: 'c' })).rejects.toBeInstanceOf(BudgetExceededError);
    expect(provider.calls).toBe(2);
    expect(budget.exceeded).toMatchObject({ code: 'BUDGET_EXCEEDED', budget: 'modelCalls', used: 2, limit: 2 });
  });

  it('records usage of generate, stream and generateObject, and stops once tokens run out', async () => {
    const { provider, model, budget } = setup({ maxTokens: 150 });
    await model.generate({ prompt: 'a' });
    for await (const _part of model.stream({ prompt: 'b' }));
    await model.generateObject({ prompt: 'c', schema: z.object({ ok: z.boolean() }) });
    expect(budget.usage()).toMatchObject({ tokens: 150, modelCalls: 3 });
    await expect(model.generate({ prompt: 'd' })).rejects.toMatchObject({ budget: 'tokens' });
    const streamed = model.stream({ prompt: 'e' });
    await expect(streamed[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(BudgetExceededError);
    expect(provider.calls).toBe(3);
  });

  it('does not count a call twice when a model is guarded twice by one budget', async () => {
    const { model, budget } = setup({});
    const again = guardedModel(model, budget);
    expect(again).toBe(model);
    await again.generate({ prompt: 'a' });
    expect(budget.usage().modelCalls).toBe(1);
  });
});
