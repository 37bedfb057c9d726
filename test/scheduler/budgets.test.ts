import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../src/events/bus.js';
import type { TaskforceEvent } from '../../src/events/types.js';
import { modelFromProvider } from '../../src/model/model.js';
import { scriptedModel } from '../../src/model/scripted.js';
import { estimateInputTokens } from '../../src/model/tokens.js';
import { createBudgetTracker, type Budgets } from '../../src/runtime/budget.js';
import { withBudget } from '../../src/runtime/model-chain.js';
import { runTaskTree } from '../../src/scheduler/index.js';
import type { BudgetKind } from '../../src/events/types.js';
import { manualClock } from '../../src/util/clock.js';
import { drive } from './drive.js';
import { testTree } from './tree.js';

/**
 * Eight independent tasks, two at a time; each makes one model call of 10 ms (manual clock) that
 * reads its prompt and writes 100 tokens (fewer when its output cap is lower, as a real provider
 * would), at $10 / M tokens, through the budgeted model a runtime uses.
 */
async function runUnder(limits: Budgets, checkDispatch = true) {
  const clock = manualClock();
  const bus = createEventBus({ clock });
  const events: TaskforceEvent[] = [];
  bus.on((event) => events.push(event));
  const budget = createBudgetTracker(limits, { clock, events: bus });
  const provider = scriptedModel({
    replies: (request) => ({ text: `done: ${request.messages.at(-1)?.content}`, usage: { inputTokens: estimateInputTokens(request), outputTokens: 100 } }),
    latencyMs: 10,
    clock,
  });
  const model = withBudget(modelFromProvider(provider, { clock, pricing: { scripted: { input: 10, output: 10 } } }), budget);
  const tree = testTree(Array.from({ length: 8 }, (_, i) => ({ id: `t${i}` })));
  const result = await drive(
    clock,
    runTaskTree(tree, async (task, { signal }) => (await model.generate({ prompt: task.id, signal })).text, {
      clock,
      concurrency: 2,
      ...(checkDispatch ? { budget } : {}),
      events: bus,
    }),
  );
  const byStatus = (status: string) => Object.values(result.tasks).filter((t) => t.status === status).map((t) => t.taskId);
  return { result, budget, events, provider, byStatus };
}

// Tokens and dollars are reserved before each call, so they never pass the limit: the run stops when
// the next call cannot fit. Wall time is a deadline: calls in flight when it passes are cancelled.
const cases: { budget: BudgetKind; limits: Budgets; completed: string[]; failed: string[]; cancelled?: string[]; checkDispatch?: boolean }[] = [
  // Each call reserves all that is left, so calls go one by one: t0–t3 spend about 107 tokens each;
  // t4's output is cut to what is left; t5, waiting for room, is then refused and fails.
  { budget: 'tokens', limits: { maxTokens: 500 }, completed: ['t0', 't1', 't2', 't3', 't4'], failed: ['t5'] },
  // The same in dollars ($0.00001 a token).
  { budget: 'costUsd', limits: { maxCostUsd: 0.005 }, completed: ['t0', 't1', 't2', 't3', 't4'], failed: ['t5'] },
  // t4 and t5 start at 20 and are cut at the 25 ms deadline.
  { budget: 'wallTimeMs', limits: { maxWallTimeMs: 25 }, completed: ['t0', 't1', 't2', 't3'], failed: [], cancelled: ['t4', 't5'] },
  // t2 takes the third and last call at 10; the dispatch check then refuses t3 before it calls.
  { budget: 'modelCalls', limits: { maxModelCalls: 3 }, completed: ['t0', 't1', 't2'], failed: [] },
  // A call refused inside a running task fails that task with the budget error and stops the run too.
  { budget: 'modelCalls', limits: { maxModelCalls: 3 }, completed: ['t0', 't1', 't2'], failed: ['t3'], checkDispatch: false },
];

describe('each budget stops a scheduled run cleanly, keeping the finished work', () => {
  it.each(cases)('$budget (scheduler checks before dispatch: $checkDispatch)', async ({ budget: kind, limits, completed, failed, cancelled = [], checkDispatch }) => {
    const { result, events, provider, byStatus, budget } = await runUnder(limits, checkDispatch ?? true);

    expect(result.status).toBe('budget-exceeded');
    expect(result.stoppedBy).toMatchObject({ kind: 'budget', budget: kind });
    expect(result.stoppedBy?.detail).toContain(`budget "${kind}"`);
    expect(byStatus('completed')).toEqual(completed);
    expect(byStatus('failed')).toEqual(failed);
    expect(byStatus('cancelled')).toEqual(cancelled);
    for (const id of failed) expect(result.tasks[id]?.error?.code).toBe('BUDGET_EXCEEDED');
    // What finished is kept, with its output.
    for (const id of completed) expect(result.tasks[id]?.output).toBe(`done: ${id}`);
    // The rest never started, and say why.
    const notRun = byStatus('not-run');
    expect(notRun.length + completed.length + failed.length + cancelled.length).toBe(8);
    for (const id of notRun) expect(result.tasks[id]?.reason).toMatch(new RegExp(`^schedule stopped: budget "${kind}"`));
    expect(provider.calls).toBe(completed.length + cancelled.length);
    expect(events.filter((e) => e.type === 'budget.exceeded')).toEqual([expect.objectContaining({ budget: kind })]);
    // Spent never passes a token or dollar limit.
    if (limits.maxTokens !== undefined) expect(budget.usage().tokens).toBeLessThanOrEqual(limits.maxTokens);
    if (limits.maxCostUsd !== undefined) expect(budget.usage().costUsd).toBeLessThanOrEqual(limits.maxCostUsd + 1e-12);
  });

  it('warns at 80% of a budget before stopping', async () => {
    const { events } = await runUnder({ maxModelCalls: 5 });
    const warning = events.find((e) => e.type === 'budget.warning');
    expect(warning).toMatchObject({ budget: 'modelCalls', used: 4, limit: 5 });
    expect(events.indexOf(warning!)).toBeLessThan(events.findIndex((e) => e.type === 'budget.exceeded'));
  });
});
