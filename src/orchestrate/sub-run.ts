import { BudgetExceededError } from '../errors/budget-errors.js';
import { ApprovalPendingError } from '../errors/approval-errors.js';
import { AbortedError } from '../errors/taskforce-error.js';
import type { TaskSpec } from '../plan/types.js';
import { renderDataBlocks } from '../util/data-blocks.js';
import { SubRunError } from './errors.js';
import type { Ticket } from './guard.js';
import type { RunGoal, RunLevel, RunOutcome, RunSettings, TaskRecord } from './orchestration.js';

/**
 * The goal of a sub-run for a task: its title and instructions, with the results it builds on, so
 * the sub-run's planner and agents see everything the task would have seen (as labelled data blocks,
 * the way `taskPrompt` gives them to an agent).
 */
export function subGoalOf(task: Pick<TaskSpec, 'title' | 'instructions'>, inputs: Readonly<Record<string, string>>): string {
  const parts = [task.title, task.instructions];
  const data = renderDataBlocks(Object.entries(inputs));
  if (data) parts.push(data);
  return parts.join('\n\n');
}

/**
 * Runs `goal` as a sub-run one level below `level`, for task `taskId`, and attaches it to the task's
 * record. A sub-run stopped by a budget or cancellation rethrows that stop, so the parent stops too;
 * one that failed (its plan stayed invalid) rethrows its error; one that completed none of its tasks
 * is a `SubRunError`. In every case the sub-run stays in the tree with what it did and spent. The
 * ticket is released on failure, so a retry is not taken for a repeat.
 */
export async function spawnSubRun(
  settings: RunSettings,
  level: RunLevel,
  runGoal: RunGoal,
  admission: { readonly taskId: string; readonly path: string; readonly goal: string; readonly record: TaskRecord; readonly ticket: Ticket; readonly signal: AbortSignal },
): Promise<RunOutcome> {
  const { taskId, goal, record, path } = admission;
  // In a durable run a sub-run's id comes from its place in the tree, so a resumed run names it the same.
  const runId = settings.journal ? `${settings.journal.runId}/${path}` : settings.runtime.ids.next('run');
  const depth = level.depth + 1;
  level.events.emit({ type: 'recursion.spawned', taskId, childRunId: runId, depth });
  let child: RunOutcome;
  try {
    child = await runGoal({
      runId,
      path,
      goal,
      depth,
      signal: admission.signal,
      parent: { runId: level.runId, taskId },
      plannerContext: `This is one part of a larger goal, planned on its own: "${level.goal}". Plan only this part.`,
    });
  } catch (error) {
    admission.ticket.release();
    throw error;
  }
  record.subRuns.push(child);
  const { node } = child;
  if (child.failure) {
    admission.ticket.release();
    throw child.failure.error;
  }
  const stop = node.stoppedBy;
  if (stop?.kind === 'budget') {
    admission.ticket.release();
    throw settings.budget.exceeded ?? settings.runtime.budget.exceeded ?? new BudgetExceededError(stop.budget, 0, 0);
  }
  if (stop?.kind === 'waiting') {
    admission.ticket.release();
    throw new ApprovalPendingError({ kind: 'task', path, taskId: stop.taskIds[0]!, key: `sub-run:${path}` });
  }
  if (stop?.kind === 'cancelled') {
    admission.ticket.release();
    throw new AbortedError(`sub-run ${runId} was cancelled: ${stop.detail}`);
  }
  if (!node.tasks.some((t) => t.status === 'completed')) {
    admission.ticket.release();
    const failed = node.tasks.find((t) => t.error);
    throw new SubRunError(runId, taskId, failed?.error ? `task "${failed.id}" failed: ${failed.error.message}` : 'no task completed');
  }
  settings.guard.noteGoalResult(goal, runId, node.output);
  return child;
}
