import { describe, expect, it } from 'vitest';
import type { TaskforceEvent } from '../events/types.js';
import { orchestrationProgress, type ProgressUpdate } from './progress.js';

const at = 0;
const started = (runId: string, depth = 0): TaskforceEvent => ({ type: 'run.started', at, runId, goal: 'g', depth });
const planned = (runId: string, taskCount: number): TaskforceEvent => ({ type: 'plan.created', at, runId, taskCount, droppedEdges: [], attempts: 1 });
const taskStarted = (runId: string, taskId: string): TaskforceEvent => ({ type: 'task.started', at, runId, taskId, title: `do ${taskId}`, attempt: 1 });
const taskDone = (runId: string, taskId: string): TaskforceEvent => ({ type: 'task.completed', at, runId, taskId, durationMs: 1 });

function follow(events: readonly TaskforceEvent[]): ProgressUpdate[] {
  const updates: ProgressUpdate[] = [];
  const listener = orchestrationProgress((u) => updates.push(u));
  events.forEach(listener);
  return updates;
}

describe('orchestrationProgress', () => {
  it('reports the plan, then each task as it starts and finishes, with progress growing every time', () => {
    const updates = follow([started('r1'), planned('r1', 1), taskStarted('r1', 'a'), taskDone('r1', 'a')]);
    expect(updates.map((u) => u.message)).toEqual(['planned 1 task(s) (r1)', 'task a started: do a', 'task a completed (1 finished)']);
    expect(updates.map((u) => u.progress)).toEqual([1, 2, 3]);
    expect(updates.at(-1)!.total).toBe(3);
  });

  it('follows the sub-runs its run spawns', () => {
    const updates = follow([
      started('r1'),
      { type: 'recursion.spawned', at, runId: 'r1', taskId: 'a', childRunId: 'r2', depth: 1 },
      started('r2', 1),
      taskStarted('r2', 'a.1'),
    ]);
    expect(updates.map((u) => u.message)).toEqual(['task a.1 started: do a.1']);
  });

  it('ignores the events of another top-level run on the same runtime', () => {
    const updates = follow([started('r1'), started('other'), taskStarted('other', 'x'), taskStarted('r1', 'a')]);
    expect(updates.map((u) => u.message)).toEqual(['task a started: do a']);
  });

  it('does not count a failed attempt that will be retried as finished', () => {
    const updates = follow([started('r1'), { type: 'task.failed', at, runId: 'r1', taskId: 'a', error: 'boom', willRetry: true }]);
    expect(updates).toEqual([]);
  });
});
