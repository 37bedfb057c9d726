import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEventBus } from '../events/bus.js';
import { manualClock } from '../util/clock.js';
import { modelFromProvider } from '../model/model.js';
import { scriptedModel } from '../model/scripted.js';
import { BudgetExceededError } from '../errors/budget-errors.js';
import { createBudgetTracker, type BudgetTracker, type Budgets } from './budget.js';
import { createCallLog } from './call-log.js';
import { chainModel, withBudget } from './model-chain.js';

const inline = <T>(fn: () => Promise<T>) => fn();

describe('chainModel', () => {
  it('logs every call with usage, cost and agent, under local call ids', async () => {
    const model = modelFromProvider(scriptedModel({ replies: [{ text: 'a', usage: { inputTokens: 3, outputTokens: 1 } }, { text: 'b', usage: { inputTokens: 4, outputTokens: 2 } }] }));
    const log = createCallLog('run_1/t');
    const metered = chainModel(model, { log, slot: inline, tags: { agent: 'ada' } });
    await metered.generate({ prompt: 'x' });
    await metered.generate({ prompt: 'y' });
    expect(log.records.map((r) => [r.callId, r.agent, r.usage.inputTokens])).toEqual([
      ['run_1/t#1', 'ada', 3],
      ['run_1/t#2', 'ada', 4],
    ]);
    expect(log.usage()).toMatchObject({ modelCalls: 2, tokens: 10 });
  });

  it("tags every kind of call's events with its node and agent; a caller's own tags win", async () => {
    const bus = createEventBus({ clock: manualClock() });
    const seen: (readonly [string, string | undefined, string | undefined, string | undefined])[] = [];
    bus.on((e) => {
      if (e.type === 'model.call.finished') seen.push([e.callId, e.runId, e.taskId, e.agent]);
    });
    const model = modelFromProvider(scriptedModel({ replies: ['a', 'b', '{"n":1}'] }), { events: bus });
    const metered = chainModel(model, { log: createCallLog('run_1/t'), slot: inline, tags: { runId: 'run_1', taskId: 't', agent: 'ada' } });
    await metered.generate({ prompt: 'x' });
    for await (const _part of metered.stream({ prompt: 'y', tags: { agent: 'bob' } }));
    await metered.generateObject({ prompt: 'z', schema: z.object({ n: z.number() }) });
    expect(seen).toEqual([
      ['call_1', 'run_1', 't', 'ada'],
      ['call_2', 'run_1', 't', 'bob'],
      ['call_3', 'run_1', 't', 'ada'],
    ]);
  });

  it('holds one slot per call, released when the call ends', async () => {
    let held = 0;
    let peak = 0;
    const slot = async <T>(fn: () => Promise<T>) => {
      peak = Math.max(peak, ++held);
      try {
        return await fn();
      } finally {
        held -= 1;
      }
    };
    const model = modelFromProvider(scriptedModel({ replies: ['a', 'b', 'streamed text'] }));
    const log = createCallLog('p');
    const metered = chainModel(model, { log, slot });
    await Promise.all([metered.generate({ prompt: 'x' }), metered.generate({ prompt: 'y' })]);
    expect(peak).toBe(2);
    expect(held).toBe(0);
    const heldWhileStreaming: number[] = [];
    for await (const _part of metered.stream({ prompt: 'z' })) heldWhileStreaming.push(held);
    expect(heldWhileStreaming.every((n) => n === 1)).toBe(true);
    expect(held).toBe(0);
    expect(log.records).toHaveLength(3);
  });

  it('enforces the run budget before the call reaches the model', async () => {
    const provider = scriptedModel({ replies: ['a', 'b'] });
    const budget = createBudgetTracker({ maxModelCalls: 1 }, { clock: manualClock() });
    const metered = chainModel(modelFromProvider(provider), { log: createCallLog('p'), slot: inline, budget });
    await metered.generate({ prompt: 'x' });
    await expect(metered.generate({ prompt: 'y' })).rejects.toBeInstanceOf(BudgetExceededError);
    expect(provider.calls).toBe(1);
  });

  it('takes the slot before reserving the budget, so a refused call never holds a slot', async () => {
    const order: string[] = [];
    const budget = createBudgetTracker({ maxModelCalls: 0 }, { clock: manualClock() });
    const watched: BudgetTracker = {
      ...budget,
      reserve: () => (order.push('reserve'), budget.reserve()),
      tryReserve: () => (order.push('reserve'), budget.tryReserve!()),
    };
    const slot = async <T>(fn: () => Promise<T>) => {
      order.push('slot in');
      try {
        return await fn();
      } finally {
        order.push('slot out');
      }
    };
    const model = chainModel(modelFromProvider(scriptedModel({ replies: ['a'] })), { slot, budget: watched });
    await expect(model.generate({ prompt: 'x' })).rejects.toBeInstanceOf(BudgetExceededError);
    expect(order).toEqual(['slot in', 'reserve', 'slot out']);
  });
});

const usage = { inputTokens: 40, outputTokens: 10 };

function setup(budgets: Budgets, replies = Array.from({ length: 10 }, () => ({ text: '{"ok":true}', usage }))) {
  const provider = scriptedModel({ replies });
  const budget = createBudgetTracker(budgets, { clock: manualClock() });
  return { provider, budget, model: withBudget(modelFromProvider(provider), budget) };
}

describe('withBudget', () => {
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

  it('reserves and charges each attempt of a generateObject, and reports its re-asks with the tags', async () => {
    const bus = createEventBus({ clock: manualClock() });
    const repairs: unknown[] = [];
    bus.on((e) => {
      if (e.type === 'model.repair') repairs.push(e);
    });
    const provider = scriptedModel({ replies: ['not json', '{"ok":true}'] });
    const budget = createBudgetTracker({ maxModelCalls: 5 }, { clock: manualClock() });
    const model = chainModel(modelFromProvider(provider), { tags: { runId: 'run_1', taskId: 't' }, budget, events: bus });
    const { object } = await model.generateObject({ prompt: 'x', schema: z.object({ ok: z.boolean() }) });
    expect(object).toEqual({ ok: true });
    expect(budget.usage().modelCalls).toBe(2);
    expect(budget.usage().tokens).toBeGreaterThan(0);
    expect(repairs).toMatchObject([{ attempt: 1, runId: 'run_1', taskId: 't' }]);
  });
});
