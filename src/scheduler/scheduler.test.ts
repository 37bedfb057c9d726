import { describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../errors/budget-errors.js';
import { ConfigError } from '../errors/taskforce-error.js';
import { createEventBus } from '../events/bus.js';
import type { EventOf, TaskforceEvent } from '../events/types.js';
import type { TaskSpec } from '../plan/types.js';
import { manualClock, type ManualClock } from '../util/clock.js';
import type { Random } from '../util/random.js';
import { createBudgetTracker } from '../runtime/budget.js';
import { drive } from '../../test/scheduler/drive.js';
import { testTree } from '../../test/scheduler/tree.js';
import { InvalidTaskGraphError, TaskTimeoutError } from './errors.js';
import { runTaskTree, scheduleTaskTree } from './scheduler.js';
import type { ScheduleOptions, TaskExecutionContext, TaskExecutor } from './types.js';

/** An executor whose tasks take `durations[id]` (default 10) ms of the manual clock and honour their signal. */
function timedExecutor(clock: ManualClock, durations: Record<string, number> = {}) {
  const starts: { id: string; at: number; attempt: number }[] = [];
  const contexts = new Map<string, TaskExecutionContext<string>>();
  let inFlight = 0;
  let maxInFlight = 0;
  const execute: TaskExecutor<string> = async (task, context) => {
    starts.push({ id: task.id, at: clock.now(), attempt: context.attempt });
    contexts.set(task.id, context);
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    try {
      await clock.sleep(durations[task.id] ?? 10, context.signal);
      return `out:${task.id}`;
    } finally {
      inFlight--;
    }
  };
  return {
    execute,
    starts,
    contexts,
    startOf: (id: string) => starts.find((s) => s.id === id)?.at,
    order: () => starts.map((s) => s.id),
    maxInFlight: () => maxInFlight,
  };
}

function recordEvents(options: { clock: ManualClock }) {
  const bus = createEventBus({ clock: options.clock });
  const events: TaskforceEvent[] = [];
  bus.on((event) => events.push(event));
  const ofType = <T extends TaskforceEvent['type']>(type: T) => events.filter((e): e is EventOf<T> => e.type === type);
  return { bus, events, ofType };
}

describe('scheduleTaskTree: order and inputs', () => {
  it('starts a task only after its dependencies completed and passes their outputs by id', async () => {
    const clock = manualClock();
    const tree = testTree([{ id: 'a' }, { id: 'b', deps: ['a'] }, { id: 'c', deps: ['a'] }, { id: 'd', deps: ['b', 'c'] }]);
    const seen: Record<string, Readonly<Record<string, string>>> = {};
    const executor = timedExecutor(clock, { b: 30, c: 10 });
    const result = await drive(
      clock,
      runTaskTree<string>(tree, (task, context) => ((seen[task.id] = context.inputs), executor.execute(task, context)), {
        clock,
        concurrency: 4,
      }),
    );
    expect(result.status).toBe('completed');
    expect(seen.d).toEqual({ b: 'out:b', c: 'out:c' });
    expect(seen.b).toEqual({ a: 'out:a' });
    expect(seen.a).toEqual({});
    expect(executor.startOf('d')).toBe(40); // after the slower of b (10→40) and c (10→20)
    expect(result.tasks.d).toMatchObject({ status: 'completed', output: 'out:d', attempts: 1, startedAt: 40, endedAt: 50 });
    expect(result.counts).toEqual({ completed: 4, failed: 0, skipped: 0, cancelled: 0, 'not-run': 0, waiting: 0 });
  });

  it('never runs more tasks at once than the concurrency cap, and uses all of it', async () => {
    const clock = manualClock();
    const tree = testTree(Array.from({ length: 10 }, (_, i) => ({ id: `t${i}` })));
    const executor = timedExecutor(clock);
    const { bus, ofType } = recordEvents({ clock });
    const result = await drive(clock, runTaskTree(tree, executor.execute, { clock, concurrency: 3, events: bus }));
    expect(result.status).toBe('completed');
    expect(executor.maxInFlight()).toBe(3);
    expect(Math.max(...ofType('resource.allocated').map((e) => e.inUse))).toBe(3);
    expect(ofType('resource.released').at(-1)?.inUse).toBe(0);
    expect(result.endedAt).toBe(40); // ceil(10 / 3) rounds of 10 ms
  });

  it('starts a long chain before short independent tasks when slots are scarce (longest remaining path first)', async () => {
    const clock = manualClock();
    // Ids sort the short tasks first, so only the remaining path can put the chain ahead.
    const tree = testTree([
      { id: 'a' },
      { id: 'b' },
      { id: 'c' },
      { id: 'z1' },
      { id: 'z2', deps: ['z1'] },
      { id: 'z3', deps: ['z2'] },
    ]);
    const executor = timedExecutor(clock);
    const result = await drive(clock, runTaskTree(tree, executor.execute, { clock, concurrency: 2 }));
    expect(executor.startOf('z1')).toBe(0);
    expect(executor.startOf('z2')).toBe(10);
    expect(executor.startOf('z3')).toBe(20);
    expect(result.endedAt).toBe(30); // the critical path; id order would take 40
  });

  it('breaks remaining-path ties by priority, then by id', async () => {
    const clock = manualClock();
    const tree = testTree([{ id: 'c' }, { id: 'b', priority: 'high' }, { id: 'a' }, { id: 'd', priority: 'low' }]);
    const executor = timedExecutor(clock);
    await drive(clock, runTaskTree(tree, executor.execute, { clock, concurrency: 1 }));
    expect(executor.order()).toEqual(['b', 'a', 'c', 'd']);
  });

  it('reorders the ready queue when a priority changes while running', async () => {
    const clock = manualClock();
    const tree = testTree([{ id: 'first', effort: 5 }, { id: 'a' }, { id: 'b' }, { id: 'c' }]);
    const executor = timedExecutor(clock);
    const handle = scheduleTaskTree(tree, executor.execute, { clock, concurrency: 1 });
    await clock.advance(5); // "first" is running; a, b, c wait in the queue
    expect(executor.order()).toEqual(['first']);
    handle.setPriority('c', 'critical');
    handle.setPriority('a', 'low');
    await drive(clock, handle.result);
    expect(executor.order()).toEqual(['first', 'c', 'b', 'a']);
  });

  it('applies a priority set before a task is ready once it becomes ready', async () => {
    const clock = manualClock();
    const tree = testTree([{ id: 'root' }, { id: 'x', deps: ['root'] }, { id: 'y', deps: ['root'] }]);
    const executor = timedExecutor(clock);
    const handle = scheduleTaskTree(tree, executor.execute, { clock, concurrency: 1 });
    handle.setPriority('y', 'high');
    await drive(clock, handle.result);
    expect(executor.order()).toEqual(['root', 'y', 'x']);
  });

  it('rejects setPriority for an unknown task, naming it', () => {
    const handle = scheduleTaskTree(testTree([{ id: 'a' }]), async () => 1, { clock: manualClock() });
    expect(() => handle.setPriority('nope', 'high')).toThrow(InvalidTaskGraphError);
    expect(() => handle.setPriority('nope', 'high')).toThrow(/"nope"/);
  });

  it('passes the outputs of declared dependencies the reduction dropped, and rejects a dropped edge nothing implies', async () => {
    const base = testTree([{ id: 'a' }, { id: 'b', deps: ['a'] }, { id: 'c', deps: ['b'] }, { id: 'x' }]);
    const seen: Record<string, string[]> = {};
    const execute: TaskExecutor<string> = async (task, { inputs }) => ((seen[task.id] = Object.keys(inputs)), task.id);
    await runTaskTree({ ...base, droppedEdges: [['c', 'a']] }, execute);
    expect(seen.c).toEqual(['b', 'a']);
    // x is not upstream of c: a hand-built tree that claims so is rejected when c starts, naming the edge.
    await expect(runTaskTree({ ...base, droppedEdges: [['c', 'x']] }, execute, { concurrency: 1 })).rejects.toThrow(
      /droppedEdges: "c" → "x" is not implied/,
    );
  });

  it('records the agents an executor reports, once each', async () => {
    const result = await runTaskTree(testTree([{ id: 'a' }]), async (_task, context) => {
      context.reportAgent('researcher');
      context.reportAgent('critic');
      context.reportAgent('researcher');
      return 'done';
    });
    expect(result.tasks.a?.agents).toEqual(['researcher', 'critic']);
  });

  it('completes an empty tree at once', async () => {
    const result = await runTaskTree({ ...testTree([{ id: 'a' }]), tasks: [] }, async () => 1);
    expect(result.status).toBe('completed');
    expect(result.tasks).toEqual({});
  });
});

describe('scheduleTaskTree: cancellation and timeouts', () => {
  it('aborts running tasks, starts nothing new, and reports what was cancelled and not run', async () => {
    const clock = manualClock();
    const tree = testTree([{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd', deps: ['a'] }]);
    const executor = timedExecutor(clock, { a: 5, b: 20, c: 20 });
    const controller = new AbortController();
    const { bus, ofType } = recordEvents({ clock });
    const pending = runTaskTree(tree, executor.execute, { clock, concurrency: 2, signal: controller.signal, events: bus });
    await clock.advance(7); // a done at 5, then c started; b and c running, d waiting for a slot
    controller.abort(new Error('user pressed stop'));
    const result = await drive(clock, pending);
    await clock.advance(100);
    expect(executor.contexts.get('b')?.signal.aborted).toBe(true);
    expect(executor.order()).toEqual(['a', 'b', 'c']);
    expect(result.status).toBe('cancelled');
    expect(result.stoppedBy).toEqual({ kind: 'cancelled', detail: 'user pressed stop' });
    expect(result.tasks.a?.status).toBe('completed');
    expect(result.tasks.b).toMatchObject({ status: 'cancelled', reason: 'schedule stopped: user pressed stop', endedAt: 7 });
    expect(result.tasks.c?.status).toBe('cancelled');
    expect(result.tasks.d).toMatchObject({ status: 'not-run', attempts: 0 });
    expect(ofType('task.cancelled').map((e) => e.taskId).sort()).toEqual(['b', 'c']);
  });

  it('runs nothing when the signal is already aborted', async () => {
    let calls = 0;
    const result = await runTaskTree(testTree([{ id: 'a' }]), async () => ++calls, { signal: AbortSignal.abort('too late') });
    expect(calls).toBe(0);
    expect(result.status).toBe('cancelled');
    expect(result.tasks.a?.status).toBe('not-run');
  });

  it('cancels through the handle', async () => {
    const clock = manualClock();
    const executor = timedExecutor(clock);
    const handle = scheduleTaskTree(testTree([{ id: 'a' }, { id: 'b', deps: ['a'] }]), executor.execute, { clock });
    await clock.advance(3);
    handle.cancel('enough');
    const result = await handle.result;
    expect(result.stoppedBy).toEqual({ kind: 'cancelled', detail: 'enough' });
    expect(result.tasks.a?.status).toBe('cancelled');
    expect(result.tasks.b?.status).toBe('not-run');
  });

  it('fails an attempt that outlives its timeout and aborts its signal with a TaskTimeoutError', async () => {
    const clock = manualClock();
    const tree = testTree([{ id: 'slow' }, { id: 'quick' }, { id: 'after', deps: ['slow'] }]);
    const executor = timedExecutor(clock, { slow: 100, quick: 10 });
    const result = await drive(
      clock,
      runTaskTree(tree, executor.execute, { clock, failurePolicy: 'continue', timeoutMs: (t) => (t.id === 'slow' ? 30 : undefined) }),
    );
    const signal = executor.contexts.get('slow')?.signal;
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBeInstanceOf(TaskTimeoutError);
    expect(result.tasks.slow).toMatchObject({ status: 'failed', endedAt: 30, error: { code: 'TASK_TIMEOUT' } });
    expect(result.tasks.slow?.error?.message).toMatch(/"slow" timed out after 30 ms/);
    expect(result.tasks.quick?.status).toBe('completed');
    expect(result.tasks.after).toMatchObject({ status: 'skipped', reason: 'dependency "slow" failed' });
  });

  it('does not time out an attempt that finishes in time', async () => {
    const clock = manualClock();
    const executor = timedExecutor(clock, { a: 29 });
    const result = await drive(clock, runTaskTree(testTree([{ id: 'a' }]), executor.execute, { clock, timeoutMs: 30 }));
    expect(result.tasks.a?.status).toBe('completed');
    expect(executor.contexts.get('a')?.signal.aborted).toBe(false);
  });
});

describe('scheduleTaskTree: retries', () => {
  const fixedRandom = (value: number): Random => ({ next: () => value });

  it('retries a failed task after exponential, jittered delays on the injected clock', async () => {
    const clock = manualClock();
    const { bus, ofType } = recordEvents({ clock });
    const starts: number[] = [];
    const result = await drive(
      clock,
      runTaskTree(
        testTree([{ id: 'flaky' }]),
        async (_task, { attempt }) => {
          starts.push(clock.now());
          if (attempt < 3) throw new Error(`boom ${attempt}`);
          return 'finally';
        },
        { clock, events: bus, random: fixedRandom(0.5), retry: { maxAttempts: 3, baseDelayMs: 100, factor: 2, jitter: 0.5 } },
      ),
    );
    // delay = base · 2^(retry-1) · (1 - 0.5 + 0.5 · 0.5): 75, then 150
    expect(ofType('task.retried').map((e) => [e.attempt, e.delayMs])).toEqual([
      [2, 75],
      [3, 150],
    ]);
    expect(starts).toEqual([0, 75, 225]);
    expect(ofType('task.failed').map((e) => e.willRetry)).toEqual([true, true]);
    expect(result.tasks.flaky).toMatchObject({ status: 'completed', output: 'finally', attempts: 3, startedAt: 0, endedAt: 225 });
  });

  it('caps delays at maxDelayMs and reports the last error when attempts run out', async () => {
    const clock = manualClock();
    const { bus, ofType } = recordEvents({ clock });
    const result = await drive(
      clock,
      runTaskTree(
        testTree([{ id: 'broken' }]),
        async (_t, { attempt }) => {
          throw new ConfigError(`bad ${attempt}`);
        },
        { clock, events: bus, retry: { maxAttempts: 4, baseDelayMs: 100, factor: 3, maxDelayMs: 250, jitter: 0 } },
      ),
    );
    expect(ofType('task.retried').map((e) => e.delayMs)).toEqual([100, 250, 250]);
    expect(result.tasks.broken).toMatchObject({ status: 'failed', attempts: 4, error: { message: 'bad 4', code: 'CONFIG_ERROR' } });
  });

  it('does not retry what retryOn refuses, nor budget errors', async () => {
    let attempts = 0;
    const refused = await runTaskTree(
      testTree([{ id: 'a' }]),
      async () => {
        attempts++;
        throw new Error('fatal');
      },
      { retry: { maxAttempts: 5, retryOn: (error) => !(error instanceof Error && error.message === 'fatal') } },
    );
    expect(attempts).toBe(1);
    expect(refused.tasks.a?.attempts).toBe(1);

    const budget = await runTaskTree(
      testTree([{ id: 'a' }]),
      async () => {
        throw new BudgetExceededError('costUsd', 2, 1);
      },
      { retry: { maxAttempts: 5 } },
    );
    expect(budget.tasks.a?.attempts).toBe(1);
  });

  it('rejects the result and aborts running work when retryOn itself throws', async () => {
    const clock = manualClock();
    const executor = timedExecutor(clock, { long: 100 });
    const pending = runTaskTree<string>(
      testTree([{ id: 'long' }, { id: 'bad' }]),
      async (task, context) => {
        if (task.id === 'bad') throw new Error('first failure');
        return executor.execute(task, context);
      },
      {
        clock,
        concurrency: 2,
        retry: {
          maxAttempts: 2,
          retryOn: () => {
            throw new TypeError('retryOn is broken');
          },
        },
      },
    );
    await expect(drive(clock, pending)).rejects.toThrow('retryOn is broken');
    expect(executor.contexts.get('long')?.signal.aborted).toBe(true);
  });

  it('frees the slot during a backoff so other tasks run meanwhile', async () => {
    const clock = manualClock();
    const starts: string[] = [];
    const result = await drive(
      clock,
      runTaskTree(
        testTree([{ id: 'a', effort: 2 }, { id: 'b' }]),
        async (task, { attempt, signal }) => {
          starts.push(`${task.id}#${attempt}@${clock.now()}`);
          if (task.id === 'a' && attempt === 1) throw new Error('once');
          await clock.sleep(10, signal);
          return task.id;
        },
        { clock, concurrency: 1, retry: { maxAttempts: 2, baseDelayMs: 50, jitter: 0 } },
      ),
    );
    expect(starts).toEqual(['a#1@0', 'b#1@0', 'a#2@50']);
    expect(result.status).toBe('completed');
  });
});

describe('scheduleTaskTree: failure policies', () => {
  const tree = () =>
    testTree([
      { id: 'bad', effort: 3 },
      { id: 'long' },
      { id: 'other' },
      { id: 'child', deps: ['bad'] },
      { id: 'grandchild', deps: ['child'] },
      { id: 'after-long', deps: ['long'] },
    ]);
  const failingExecutor = (clock: ManualClock) => {
    const executor = timedExecutor(clock, { bad: 5, long: 20 });
    const execute: TaskExecutor<string> = async (task, context) => {
      if (task.id !== 'bad') return executor.execute(task, context);
      await clock.sleep(5, context.signal);
      throw new Error('bad input');
    };
    return { ...executor, execute };
  };

  it('fail-fast: stops dispatching, cancels running tasks and skips dependents of the failure', async () => {
    const clock = manualClock();
    const executor = failingExecutor(clock);
    const { bus, ofType } = recordEvents({ clock });
    const result = await drive(clock, runTaskTree(tree(), executor.execute, { clock, concurrency: 2, events: bus }));
    expect(result.status).toBe('failed');
    expect(result.stoppedBy).toEqual({ kind: 'failure', taskId: 'bad', detail: 'task "bad" failed: bad input' });
    expect(result.tasks.bad).toMatchObject({ status: 'failed', error: { message: 'bad input', code: 'TASK_ERROR' } });
    expect(result.tasks.long).toMatchObject({ status: 'cancelled', endedAt: 5 });
    expect(executor.contexts.get('long')?.signal.aborted).toBe(true);
    expect(result.tasks.other?.status).toBe('not-run');
    expect(result.tasks.child).toMatchObject({ status: 'skipped', reason: 'dependency "bad" failed' });
    expect(result.tasks.grandchild).toMatchObject({
      status: 'skipped',
      reason: 'dependency "child" was skipped because "bad" failed',
    });
    expect(ofType('task.skipped').map((e) => e.taskId)).toEqual(['child', 'grandchild']);
    expect(executor.order()).toEqual(['long']);
  });

  it('continue: finishes independent branches and skips only what depends on the failure', async () => {
    const clock = manualClock();
    const executor = failingExecutor(clock);
    const result = await drive(clock, runTaskTree(tree(), executor.execute, { clock, concurrency: 2, failurePolicy: 'continue' }));
    expect(result.status).toBe('failed');
    expect(result.stoppedBy).toBeUndefined();
    expect(result.counts).toEqual({ completed: 3, failed: 1, skipped: 2, cancelled: 0, 'not-run': 0, waiting: 0 });
    expect(result.tasks['after-long']?.status).toBe('completed');
    expect(result.tasks.grandchild?.reason).toMatch(/"bad" failed/);
  });

  it('records a synchronous throw from the executor as a failure', async () => {
    const result = await runTaskTree(testTree([{ id: 'a' }]), (() => {
      throw new TypeError('not even async');
    }) as TaskExecutor<never>);
    expect(result.tasks.a).toMatchObject({ status: 'failed', error: { message: 'not even async' } });
  });
});

describe('scheduleTaskTree: budgets', () => {
  it('stops cleanly when a task hits a budget: keeps finished and running work, starts nothing more', async () => {
    const clock = manualClock();
    const { bus, ofType } = recordEvents({ clock });
    const budget = createBudgetTracker({ maxModelCalls: 3 }, { clock, events: bus });
    const started: string[] = [];
    // Each task makes one "model call" (reserve), then works for 10 ms.
    const execute: TaskExecutor<string> = async (task: TaskSpec, { signal }) => {
      started.push(task.id);
      await budget.reserve();
      await clock.sleep(task.id === 't1' ? 15 : 10, signal);
      return task.id;
    };
    const tree = testTree(['t0', 't1', 't2', 't3', 't4', 't5'].map((id) => ({ id })));
    const result = await drive(clock, runTaskTree(tree, execute, { clock, concurrency: 2, events: bus }));
    // t0,t1 at 0; t2 at 10 (3rd call); t3 at 15 throws: budget reached. t2 is left to finish at 20.
    expect(started).toEqual(['t0', 't1', 't2', 't3']);
    expect(result.status).toBe('budget-exceeded');
    expect(result.stoppedBy).toMatchObject({ kind: 'budget', budget: 'modelCalls', taskId: 't3' });
    expect(result.stoppedBy?.detail).toMatch(/modelCalls/);
    expect(result.tasks.t2).toMatchObject({ status: 'completed', endedAt: 20 });
    expect(result.tasks.t3).toMatchObject({ status: 'failed', error: { code: 'BUDGET_EXCEEDED' } });
    expect(result.tasks.t4).toMatchObject({ status: 'not-run', reason: expect.stringMatching(/^schedule stopped: budget "modelCalls"/) });
    expect(ofType('budget.exceeded')).toHaveLength(1);
  });

  it("stops at the budget's deadline: the task in flight is aborted, nothing more starts", async () => {
    const clock = manualClock();
    const budget = createBudgetTracker({ maxWallTimeMs: 25 }, { clock });
    const executor = timedExecutor(clock);
    const tree = testTree(['a', 'b', 'c', 'd'].map((id) => ({ id })));
    const result = await drive(clock, runTaskTree(tree, executor.execute, { clock, concurrency: 1, budget }));
    expect(executor.order()).toEqual(['a', 'b', 'c']); // c runs 20–30 and is cut at 25
    expect(result.stoppedBy).toMatchObject({ kind: 'budget', budget: 'wallTimeMs' });
    expect(result.endedAt).toBe(25);
    expect(result.tasks.b?.status).toBe('completed');
    expect(result.tasks.c?.status).toBe('cancelled');
    expect(result.tasks.d?.status).toBe('not-run');
  });

  it('lets a cancel abort the work a budget stop was letting finish', async () => {
    const clock = manualClock();
    const executor = timedExecutor(clock, { long: 100 });
    const tree = testTree([{ id: 'long' }, { id: 'spender' }]);
    const handle = scheduleTaskTree<string>(
      tree,
      async (task, context) => {
        if (task.id === 'spender') throw new BudgetExceededError('tokens', 10, 5);
        return executor.execute(task, context);
      },
      { clock, concurrency: 2 },
    );
    await clock.advance(1);
    handle.cancel('stop now');
    const result = await handle.result;
    expect(result.stoppedBy).toMatchObject({ kind: 'budget', budget: 'tokens' });
    expect(result.tasks.long?.status).toBe('cancelled');
  });
});

describe('scheduleTaskTree: bad input', () => {
  it('rejects a bad concurrency or failure policy with a ConfigError naming the option', () => {
    const tree = testTree([{ id: 'a' }]);
    expect(() => scheduleTaskTree(tree, async () => 1, { concurrency: 0 })).toThrow(/concurrency must be an integer >= 1, got 0/);
    expect(() => scheduleTaskTree(tree, async () => 1, { failurePolicy: 'maybe' } as unknown as ScheduleOptions)).toThrow(ConfigError);
    expect(() => scheduleTaskTree(tree, async () => 1, { retry: { jitter: 2 } })).toThrow(/retry.jitter/);
  });
});
