import type { TaskforceEvent } from '../events/types.js';

/** One MCP progress update: `progress` only grows; `total` is the tasks known so far. */
export interface ProgressUpdate {
  readonly progress: number;
  readonly total?: number;
  readonly message: string;
}

/**
 * Turns the events of one orchestration into progress updates: a message per task started and per
 * task finished, `progress` counting finished tasks (plus the steps seen, so it always grows) and
 * `total` the tasks planned at every level so far. It follows the first top-level run that starts
 * after it is created and the sub-runs that run spawns, as `orchestrateStream` does, since a shared
 * runtime carries other calls' events too.
 *
 * Returns the listener to give `onEvent`; `send` receives each update.
 */
export function orchestrationProgress(send: (update: ProgressUpdate) => void): (event: TaskforceEvent) => void {
  const runs = new Set<string>();
  let planned = 0;
  let finished = 0;
  let updates = 0;
  const emit = (message: string) => {
    updates += 1;
    // MCP requires progress to increase with every notification; finished tasks alone would not.
    send({ progress: updates, ...(planned > 0 ? { total: Math.max(planned, updates) } : {}), message });
  };
  return (event) => {
    if (event.runId === undefined) return;
    if (event.type === 'run.started' && event.depth === 0 && runs.size === 0) runs.add(event.runId);
    if (!runs.has(event.runId)) return;
    const where = event.runId;
    switch (event.type) {
      case 'recursion.spawned':
        runs.add(event.childRunId);
        return;
      case 'plan.created':
        // Each task starts and finishes: two updates per task.
        planned += event.taskCount * 2;
        return emit(`planned ${event.taskCount} task(s) (${where})`);
      case 'task.started':
        return emit(`task ${event.taskId} started: ${event.title}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`);
      case 'task.completed':
        finished += 1;
        return emit(`task ${event.taskId} completed (${finished} finished)`);
      case 'task.failed':
        if (event.willRetry) return;
        finished += 1;
        return emit(`task ${event.taskId} failed: ${event.error}`);
      case 'task.skipped':
      case 'task.cancelled':
        finished += 1;
        return emit(`task ${event.taskId} ${event.type === 'task.skipped' ? 'skipped' : 'cancelled'}: ${event.reason}`);
      default:
        return;
    }
  };
}
