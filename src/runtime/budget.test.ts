import { describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../errors/budget-errors.js';
import { createEventBus } from '../events/bus.js';
import type { TaskforceEvent } from '../events/types.js';
import { manualClock } from '../util/clock.js';
import { checkBudgets, createBudgetTracker, type Budgets, type ExternalLedger } from './budget.js';

function setup(limits: Budgets) {
  const clock = manualClock();
  const events = createEventBus({ clock });
  const seen: TaskforceEvent[] = [];
  events.on((e) => seen.push(e));
  return { clock, seen, budget: createBudgetTracker(limits, { clock, events }) };
}

const usage = (inputTokens: number, outputTokens: number) => ({ inputTokens, outputTokens });

describe('budget tracker', () => {
  it('counts model calls at reserve time so parallel callers cannot overshoot maxModelCalls', async () => {
    const { budget } = setup({ maxModelCalls: 2 });
    await Promise.all([budget.reserve(), budget.reserve()]);
    await expect(budget.reserve()).rejects.toBeInstanceOf(BudgetExceededError);
    expect(budget.usage().modelCalls).toBe(2);
    expect(budget.exceeded?.budget).toBe('modelCalls');
  });

  it('stops on tokens and cost once settled usage reaches the limit', async () => {
    const tokens = setup({ maxTokens: 100 });
    (await tokens.budget.reserve()).settle(usage(60, 40), 0);
    expect(() => tokens.budget.check()).toThrow(/budget "tokens" reached: used 100 of 100/);

    const cost = setup({ maxCostUsd: 0.01 });
    (await cost.budget.reserve()).settle(usage(1, 1), 0.004);
    expect(() => cost.budget.check()).not.toThrow();
    (await cost.budget.reserve()).settle(usage(1, 1), 0.007);
    expect(() => cost.budget.check()).toThrow(BudgetExceededError);
  });

  it('is a deadline: its signal fires when maxWallTimeMs passes on the injected clock, with the budget as reason', async () => {
    const { budget, clock } = setup({ maxWallTimeMs: 1000 });
    budget.check();
    await clock.advance(999);
    expect(budget.signal.aborted).toBe(false);
    await clock.advance(1);
    expect(budget.signal.aborted).toBe(true);
    expect(budget.signal.reason).toMatchObject({ code: 'BUDGET_EXCEEDED', budget: 'wallTimeMs' });
    expect(() => budget.check()).toThrow(/wallTimeMs/);
  });

  it('warns once at 80% and reports the first budget exceeded as an event', async () => {
    const { budget, seen } = setup({ maxModelCalls: 5 });
    for (let i = 0; i < 5; i++) await budget.reserve();
    await expect(budget.reserve()).rejects.toThrow();
    await expect(budget.reserve()).rejects.toThrow();
    expect(seen.filter((e) => e.type === 'budget.warning')).toHaveLength(1);
    expect(seen.filter((e) => e.type === 'budget.exceeded')).toMatchObject([{ budget: 'modelCalls', used: 5, limit: 5 }]);
  });
});

describe('reservations', () => {
  it('refuse a call whose own output cap cannot fit what is left, naming the budget and what it needs', async () => {
    const { budget, seen } = setup({ maxTokens: 1000 });
    (await budget.reserve({ inputTokens: 100, maxOutputTokens: 500, defaultOutputTokens: 4096 })).settle(usage(100, 500), 0);
    const refused = await budget.reserve({ inputTokens: 300, maxOutputTokens: 200, defaultOutputTokens: 4096 }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'BUDGET_EXCEEDED', budget: 'tokens', used: 600, limit: 1000, needed: 500 });
    expect((refused as Error).message).toMatch(/cannot fit the next model call/);
    expect(seen.some((e) => e.type === 'budget.exceeded')).toBe(true);
  });

  it('lower the default output cap to what is left, and refuse when not even one output token fits', async () => {
    const { budget } = setup({ maxTokens: 1000 });
    const first = await budget.reserve({ inputTokens: 200, defaultOutputTokens: 4096 });
    expect(first.maxOutputTokens).toBe(800);
    first.settle(usage(200, 790), 0);
    await expect(budget.reserve({ inputTokens: 10, defaultOutputTokens: 4096 })).rejects.toMatchObject({ budget: 'tokens' });
  });

  it('price the worst case against a dollar budget', async () => {
    const { budget } = setup({ maxCostUsd: 0.01 });
    // $1 / M input, $10 / M output: 1000 input tokens cost $0.001, leaving $0.009 = 900 output tokens.
    const reservation = await budget.reserve({ inputTokens: 1000, defaultOutputTokens: 4096, price: { input: 1, output: 10 } });
    expect(reservation.maxOutputTokens).toBe(900);
  });

  it('wait while calls in flight hold the room, and go ahead when they settle below their worst case', async () => {
    const { budget } = setup({ maxTokens: 1000 });
    const held = await budget.reserve({ inputTokens: 100, defaultOutputTokens: 700 });
    let second: number | undefined;
    const waiting = budget.reserve({ inputTokens: 100, maxOutputTokens: 400, defaultOutputTokens: 4096 }).then((r) => (second = r.maxOutputTokens));
    await Promise.resolve();
    expect(second).toBeUndefined();
    held.settle(usage(100, 50), 0);
    await waiting;
    expect(second).toBe(400);
  });

  it('are taken at once by tryReserve when they fit, left to reserve when they would wait, refused alike', async () => {
    const { budget } = setup({ maxTokens: 1000, maxModelCalls: 3 });
    const first = budget.tryReserve!({ inputTokens: 100, defaultOutputTokens: 700 });
    expect(first?.maxOutputTokens).toBe(700);
    // The first holds 800 of 1,000: a call of 500 would wait, so it is not taken (and not counted).
    expect(budget.tryReserve!({ inputTokens: 100, maxOutputTokens: 400, defaultOutputTokens: 4096 })).toBeUndefined();
    expect(budget.usage().modelCalls).toBe(1);
    first!.settle(usage(100, 50), 0);
    expect(budget.tryReserve!({ inputTokens: 100, maxOutputTokens: 400, defaultOutputTokens: 4096 })?.maxOutputTokens).toBe(400);
    // A call that can never fit is refused as reserve refuses it.
    expect(() => budget.tryReserve!({ inputTokens: 900, maxOutputTokens: 400, defaultOutputTokens: 4096 })).toThrow(BudgetExceededError);
  });

  it('stop waiting when the signal fires', async () => {
    const { budget } = setup({ maxTokens: 100 });
    await budget.reserve({ inputTokens: 10, defaultOutputTokens: 90 });
    const controller = new AbortController();
    const waiting = budget.reserve({ inputTokens: 10, maxOutputTokens: 10, defaultOutputTokens: 10 }, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });

  it('never let settled spend pass the limit, whatever the order calls settle in', async () => {
    for (let seed = 1; seed <= 50; seed++) {
      const { budget } = setup({ maxTokens: 5000 });
      let x = seed;
      const rand = () => ((x = (x * 48271) % 2147483647) / 2147483647);
      const calls = Array.from({ length: 12 }, async () => {
        const input = 50 + Math.floor(rand() * 400);
        const r = await budget.reserve({ inputTokens: input, defaultOutputTokens: 1000 }).catch(() => undefined);
        if (!r) return;
        await Promise.resolve();
        r.settle(usage(input, Math.floor(rand() * r.maxOutputTokens)), 0);
      });
      await Promise.all(calls);
      expect(budget.usage().tokens).toBeLessThanOrEqual(5000);
    }
  });
});

describe('a budget inside another', () => {
  it('must fit both, counts in both, and follows the parent deadline', async () => {
    const clock = manualClock();
    const parent = createBudgetTracker({ maxTokens: 1000, maxWallTimeMs: 50 }, { clock });
    const child = createBudgetTracker({ maxModelCalls: 5 }, { clock, parent });
    const r = await child.reserve({ inputTokens: 100, defaultOutputTokens: 4096 });
    expect(r.maxOutputTokens).toBe(900);
    r.settle(usage(100, 100), 0);
    expect(parent.usage()).toMatchObject({ tokens: 200, modelCalls: 1 });
    expect(child.usage()).toMatchObject({ tokens: 200, modelCalls: 1 });
    await clock.advance(50);
    expect(child.signal.aborted).toBe(true);
    expect(child.signal.reason).toMatchObject({ budget: 'wallTimeMs' });
    child.dispose();
    parent.dispose();
  });
});

describe('checkBudgets', () => {
  it.each([
    [{ maxCostUsd: Number.NaN }, /maxCostUsd must be a finite number ≥ 0, got NaN/],
    [{ maxTokens: -1 }, /maxTokens must be a finite number ≥ 0, got -1/],
    [{ maxWallTimeMs: Infinity }, /maxWallTimeMs must be a finite number ≥ 0, got Infinity/],
    [{ maxCostUsd: '0.5' }, /maxCostUsd must be a finite number ≥ 0, got "0.5"/],
    [{ maxModelCalls: 2.5 }, /maxModelCalls must be a whole number/],
    [{ maxCost: 1 }, /budgets.maxCost is not a budget/],
  ])('refuses %j with a ConfigError naming the option', (budgets, message) => {
    expect(() => checkBudgets(budgets)).toThrow(message);
    expect(() => checkBudgets(budgets)).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR' }));
  });
});

describe('budget tracker with external ledgers', () => {
  /** An external ledger in memory: grants at most `cap` output, refuses once `refuseAfter` calls were granted. */
  function fakeLedger(cap: number, refuseAfter = Infinity) {
    const settled: [number, number][] = [];
    let granted = 0;
    const ledger: ExternalLedger = {
      capsSpend: true,
      async reserve(call) {
        if (granted >= refuseAfter) throw new BudgetExceededError('tokens', 1000, 1000); // reached, on another process
        granted += 1;
        return { outputTokens: Math.min(cap, call.outputTokens), settle: (tokens, cost) => void settled.push([tokens, cost]) };
      },
    };
    return { ledger, settled };
  }

  it('reserves in its own ledgers, then the external ones: the call gets the smallest cap, and its usage reaches both', async () => {
    const a = fakeLedger(300);
    const b = fakeLedger(200);
    const budget = createBudgetTracker({ maxTokens: 10_000 }, { clock: manualClock(), external: [a.ledger, b.ledger] });
    // External ledgers answer asynchronously: nothing is taken without asking them.
    expect(budget.tryReserve!({ inputTokens: 100, defaultOutputTokens: 4096 })).toBeUndefined();
    const reservation = await budget.reserve({ inputTokens: 100, defaultOutputTokens: 4096 });
    expect(reservation.maxOutputTokens).toBe(200);
    reservation.settle(usage(100, 150), 0.01);
    expect(a.settled).toEqual([[250, 0.01]]);
    expect(b.settled).toEqual([[250, 0.01]]);
    expect(budget.usage()).toMatchObject({ tokens: 250, modelCalls: 1 });
  });

  it('an external refusal releases what was held, is not counted as a call, and stops the budget', async () => {
    const first = fakeLedger(500);
    const refusing = fakeLedger(500, 0);
    const budget = createBudgetTracker({ maxTokens: 1_000 }, { clock: manualClock(), external: [first.ledger, refusing.ledger] });
    await expect(budget.reserve({ inputTokens: 100, defaultOutputTokens: 400 })).rejects.toBeInstanceOf(BudgetExceededError);
    expect(first.settled).toEqual([[0, 0]]);
    expect(budget.usage().modelCalls).toBe(0);
    expect(budget.exceeded?.budget).toBe('tokens');
    expect(() => budget.check()).toThrow(BudgetExceededError);
  });

  it('caps spend when only an external ledger does, and charge() counts a call made elsewhere without refusing it', async () => {
    const external = fakeLedger(64);
    const budget = createBudgetTracker({ maxModelCalls: 1 }, { clock: manualClock(), external: [external.ledger] });
    expect(budget.capsSpend).toBe(true);
    expect(createBudgetTracker({ maxModelCalls: 1 }, { clock: manualClock() }).capsSpend).toBe(false);
    budget.charge(usage(10, 5), 0.5);
    budget.charge(usage(10, 5), 0.5);
    expect(budget.usage()).toMatchObject({ tokens: 30, costUsd: 1, modelCalls: 2 });
    expect(external.settled).toEqual([]);
    expect(() => budget.check()).toThrow(/modelCalls/);
  });
});
