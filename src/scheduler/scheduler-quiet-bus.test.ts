import { describe, expect, it } from 'vitest';
import { createEventBus, type EventBus } from '../events/bus.js';
import type { TaskforceEvent } from '../events/types.js';
import { manualClock } from '../util/clock.js';
import { drive } from '../../test/scheduler/drive.js';
import { testTree } from '../../test/scheduler/tree.js';
import { runTaskTree, scheduleTaskTree } from './scheduler.js';

/** A real bus whose `emit` calls are counted, whether or not anyone listens. */
function countingBus(): { bus: EventBus; emitted: () => number } {
  const inner = createEventBus({ clock: manualClock() });
  let emitted = 0;
  const bus: EventBus = {
    ...inner,
    emit(event) {
      emitted++;
      inner.emit(event);
    },
  };
  return { bus, emitted: () => emitted };
}

describe('scheduler events when nobody listens', () => {
  it('emits nothing to a bus without listeners, through success, retry, failure and skips', async () => {
    const { bus, emitted } = countingBus();
    const clock = manualClock();
    const tree = testTree([{ id: 'a' }, { id: 'flaky', deps: ['a'] }, { id: 'broken', deps: ['a'] }, { id: 'after', deps: ['broken'] }]);
    let flakyCalls = 0;
    const result = await drive(
      clock,
      runTaskTree(
        tree,
        async (task) => {
          if (task.id === 'flaky' && ++flakyCalls === 1) throw new Error('first try fails');
          if (task.id === 'broken') throw new Error('always fails');
          return task.id;
        },
        { clock, events: bus, failurePolicy: 'continue', retry: { maxAttempts: 2, baseDelayMs: 100, jitter: 0, retryOn: (_e, task) => task.id === 'flaky' } },
      ),
    );

    expect(result.counts).toEqual({ completed: 2, failed: 1, skipped: 1, cancelled: 0, 'not-run': 0, waiting: 0 });
    expect(result.tasks.flaky?.attempts).toBe(2);
    expect(emitted()).toBe(0);
  });

  it('starts emitting as soon as someone subscribes mid-run', async () => {
    const { bus, emitted } = countingBus();
    const seen: TaskforceEvent[] = [];
    const tree = testTree([{ id: 'first' }, { id: 'second', deps: ['first'] }]);
    const handle = scheduleTaskTree(
      tree,
      async (task) => {
        if (task.id === 'first') bus.on((event) => seen.push(event));
        return task.id;
      },
      { events: bus },
    );

    expect((await handle.result).status).toBe('completed');
    expect(seen.map((e) => `${e.type}${'taskId' in e ? `:${e.taskId}` : ''}`)).toEqual([
      'resource.released:first',
      'task.completed:first',
      'resource.allocated:second',
      'task.started:second',
      'resource.released:second',
      'task.completed:second',
    ]);
    expect(emitted()).toBe(seen.length);
  });
});
