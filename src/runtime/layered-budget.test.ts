import { describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../errors/budget-errors.js';
import { manualClock } from '../util/clock.js';
import { createBudgetTracker } from './budget.js';
import { layeredBudget } from './layered-budget.js';

describe('layeredBudget', () => {
  it('is the runtime budget itself when the run has none', () => {
    const runtime = createBudgetTracker({}, { clock: manualClock() });
    expect(layeredBudget(runtime, undefined)).toBe(runtime);
  });

  it('refuses when the run budget is reached, without counting the refused call in the runtime', () => {
    const clock = manualClock();
    const runtime = createBudgetTracker({ maxModelCalls: 10 }, { clock });
    const run = createBudgetTracker({ maxModelCalls: 1 }, { clock });
    const both = layeredBudget(runtime, run);
    both.reserve();
    expect(() => both.reserve()).toThrow(BudgetExceededError);
    expect(runtime.usage().modelCalls).toBe(1);
    expect(both.exceeded?.budget).toBe('modelCalls');
  });

  it('refuses when the runtime budget is reached even if the run has room', () => {
    const clock = manualClock();
    const runtime = createBudgetTracker({ maxTokens: 100 }, { clock });
    const both = layeredBudget(runtime, createBudgetTracker({ maxTokens: 1000 }, { clock }));
    both.reserve();
    both.record({ inputTokens: 90, outputTokens: 20 }, 0);
    expect(() => both.check()).toThrow(/tokens/);
    expect(both.usage().tokens).toBe(110);
  });
});
