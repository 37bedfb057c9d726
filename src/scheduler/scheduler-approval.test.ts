import { describe, expect, it } from 'vitest';
import { ApprovalPendingError } from '../errors/approval-errors.js';
import { createEventBus } from '../events/bus.js';
import type { TaskforceEvent } from '../events/types.js';
import { manualClock } from '../util/clock.js';
import { testTree } from '../../test/scheduler/tree.js';
import { runTaskTree } from './scheduler.js';

describe('scheduleTaskTree: work waiting for approval', () => {
  it('parks the task without failing or retrying it, runs what does not depend on it, and stops as waiting', async () => {
    const events: TaskforceEvent[] = [];
    const bus = createEventBus({ clock: manualClock() });
    bus.on((e) => events.push(e));
    const tree = testTree([{ id: 'a' }, { id: 'gate', deps: ['a'] }, { id: 'after', deps: ['gate'] }, { id: 'side', deps: ['a'] }]);
    const calls: string[] = [];
    const result = await runTaskTree(
      tree,
      async (task) => {
        calls.push(task.id);
        if (task.id === 'gate') throw new ApprovalPendingError({ kind: 'task', path: '', taskId: 'gate', key: 'task:gate' });
        return task.id;
      },
      { events: bus, retry: { maxAttempts: 3, baseDelayMs: 0 } },
    );
    expect(result.status).toBe('waiting');
    expect(result.stoppedBy).toEqual({ kind: 'waiting', taskIds: ['gate'], detail: 'waiting for approval: "gate"' });
    expect(result.counts).toEqual({ completed: 2, failed: 0, skipped: 0, cancelled: 0, 'not-run': 1, waiting: 1 });
    expect(result.tasks.gate).toMatchObject({ status: 'waiting', attempts: 1, reason: expect.stringContaining('waiting for approval') });
    expect(result.tasks.after?.status).toBe('not-run');
    expect(calls.sort()).toEqual(['a', 'gate', 'side']);
    expect(events.filter((e) => e.type === 'task.waiting').map((e) => (e as { taskId: string }).taskId)).toEqual(['gate']);
    expect(events.some((e) => e.type === 'task.failed')).toBe(false);
  });

  it('a failure elsewhere still makes the schedule failed', async () => {
    const tree = testTree([{ id: 'gate' }, { id: 'broken' }]);
    const result = await runTaskTree(
      tree,
      async (task) => {
        if (task.id === 'gate') throw new ApprovalPendingError({ kind: 'task', path: '', taskId: 'gate', key: 'task:gate' });
        throw new Error('broken');
      },
      { failurePolicy: 'continue' },
    );
    expect(result.status).toBe('failed');
    expect(result.tasks.gate?.status).toBe('waiting');
  });
});
