import { describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../errors/budget-errors.js';
import { createEventBus } from '../events/bus.js';
import type { TaskforceEvent } from '../events/types.js';
import { manualClock } from '../util/clock.js';
import { createBudgetTracker } from './budget.js';

function setup(limits: Parameters<typeof createBudgetTracker>[0]) {
  const clock = manualClock();
  const events = createEventBus({ clock });
  const seen: TaskforceEvent[] = [];
  events.on((e) => seen.push(e));
  return { clock, seen, budget: createBudgetTracker(limits, { clock, events }) };
}

describe('budget tracker', () => {
  it('counts model calls at reserve time so parallel callers cannot overshoot maxModelCalls', () => {
    const { budget } = setup({ maxModelCalls: 2 });
    budget.reserve();
    budget.reserve();
    expect(() => budget.reserve()).toThrow(BudgetExceededError);
    expect(budget.usage().modelCalls).toBe(2);
    expect(budget.exceeded?.budget).toBe('modelCalls');
  });

  it('stops on tokens and cost once recorded usage reaches the limit', () => {
    const tokens = setup({ maxTokens: 100 });
    tokens.budget.reserve();
    tokens.budget.record({ inputTokens: 60, outputTokens: 40 }, 0);
    expect(() => tokens.budget.check()).toThrow(/budget "tokens" reached: used 100 of 100/);

    const cost = setup({ maxCostUsd: 0.01 });
    cost.budget.record({ inputTokens: 1, outputTokens: 1 }, 0.004);
    expect(() => cost.budget.check()).not.toThrow();
    cost.budget.record({ inputTokens: 1, outputTokens: 1 }, 0.007);
    expect(() => cost.budget.check()).toThrow(BudgetExceededError);
  });

  it('stops on wall time measured with the injected clock', async () => {
    const { budget, clock } = setup({ maxWallTimeMs: 1000 });
    budget.check();
    await clock.advance(1000);
    expect(() => budget.check()).toThrow(/wallTimeMs/);
  });

  it('warns once at 80% and reports the first budget exceeded as an event', () => {
    const { budget, seen } = setup({ maxModelCalls: 5 });
    for (let i = 0; i < 5; i++) budget.reserve();
    expect(() => budget.reserve()).toThrow();
    expect(() => budget.reserve()).toThrow();
    expect(seen.filter((e) => e.type === 'budget.warning')).toHaveLength(1);
    expect(seen.filter((e) => e.type === 'budget.exceeded')).toMatchObject([{ budget: 'modelCalls', used: 5, limit: 5 }]);
  });
});
