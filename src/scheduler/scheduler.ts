import type { TaskTree } from '../plan/types.js';
import { ScheduleRun } from './schedule-run.js';
import { compileTaskGraph } from './task-graph.js';
import type { ScheduleHandle, ScheduleOptions, ScheduleResult, TaskExecutor } from './types.js';

/**
 * Starts running a task tree and returns a handle at once. Ready tasks are dispatched longest
 * remaining path first (then priority, then id), at most `concurrency` at a time; each receives its
 * dependencies' outputs (declared dependencies the plan's reduction dropped included). See
 * {@link ScheduleOptions} for failure policy, retries, timeouts, cancellation and budgets.
 *
 * @example
 * ```ts
 * const handle = scheduleTaskTree(tree, async (task, { inputs }) => `${task.id}(${Object.keys(inputs)})`, {
 *   concurrency: 8,
 * });
 * handle.setPriority('write-report', 'critical');
 * const result = await handle.result;
 * console.log(result.status, result.tasks['write-report']?.output);
 * ```
 * @throws InvalidTaskGraphError for a tree it cannot run; ConfigError for a bad option.
 */
export function scheduleTaskTree<O>(tree: TaskTree, execute: TaskExecutor<O>, options: ScheduleOptions = {}): ScheduleHandle<O> {
  const run = new ScheduleRun(compileTaskGraph(tree), execute, options);
  return {
    result: run.result,
    setPriority: (taskId, priority) => run.setPriority(taskId, priority),
    cancel: (reason) => run.cancel(reason),
  };
}

/** Runs a task tree to the end: `scheduleTaskTree(...).result`. */
export function runTaskTree<O>(tree: TaskTree, execute: TaskExecutor<O>, options: ScheduleOptions = {}): Promise<ScheduleResult<O>> {
  return scheduleTaskTree(tree, execute, options).result;
}
