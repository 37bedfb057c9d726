import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEventBus } from '../../events/bus.js';
import { manualClock } from '../../util/clock.js';
import { modelFromProvider } from '../../model/model.js';
import { scriptedModel } from '../../model/scripted.js';
import { BudgetExceededError } from '../../errors/budget-errors.js';
import { createBudgetTracker } from '../budget.js';
import { createCallLog, meteredModel } from './metered-model.js';

const inline = <T>(fn: () => Promise<T>) => fn();

describe('meteredModel', () => {
  it('logs every call with usage, cost and agent, under local call ids', async () => {
    const model = modelFromProvider(scriptedModel({ replies: [{ text: 'a', usage: { inputTokens: 3, outputTokens: 1 } }, { text: 'b', usage: { inputTokens: 4, outputTokens: 2 } }] }));
    const log = createCallLog('run_1/t');
    const metered = meteredModel(model, { log, slot: inline, agent: 'ada' });
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
    const metered = meteredModel(model, { log: createCallLog('run_1/t'), slot: inline, agent: 'ada', tags: { runId: 'run_1', taskId: 't' } });
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
    const metered = meteredModel(model, { log, slot });
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
    const metered = meteredModel(modelFromProvider(provider), { log: createCallLog('p'), slot: inline, budget });
    await metered.generate({ prompt: 'x' });
    await expect(metered.generate({ prompt: 'y' })).rejects.toBeInstanceOf(BudgetExceededError);
    expect(provider.calls).toBe(1);
  });
});
