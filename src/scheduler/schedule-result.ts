import type { TaskSpec } from '../plan/types.js';
import type { TaskTable } from './task-table.js';
import type { ScheduleResult, ScheduleStatus, StopCause, TaskOutcome, TaskStatus } from './types.js';

/** What a finished schedule reports: every task's outcome, the counts per status, and the overall status. */
export function buildScheduleResult<O>(
  tasks: readonly TaskSpec[],
  table: TaskTable<O>,
  stoppedBy: StopCause | undefined,
  startedAt: number,
  endedAt: number,
): ScheduleResult<O> {
  const counts: Record<TaskStatus, number> = { completed: 0, failed: 0, skipped: 0, cancelled: 0, 'not-run': 0, waiting: 0 };
  const outcomes: Record<string, TaskOutcome<O>> = {};
  const notRunReason = stoppedBy ? `schedule stopped: ${stoppedBy.detail}` : 'never became ready';
  for (let i = 0; i < tasks.length; i++) {
    const outcome = table.outcomeOf(i, notRunReason);
    counts[outcome.status]++;
    outcomes[tasks[i]!.id] = outcome;
  }
  return {
    status: overallStatus(stoppedBy, counts, tasks.length),
    ...(stoppedBy ? { stoppedBy } : {}),
    tasks: outcomes,
    counts,
    startedAt,
    endedAt,
  };
}

function overallStatus(stoppedBy: StopCause | undefined, counts: Record<TaskStatus, number>, total: number): ScheduleStatus {
  if (stoppedBy?.kind === 'cancelled') return 'cancelled';
  if (stoppedBy?.kind === 'budget') return 'budget-exceeded';
  if (stoppedBy?.kind === 'waiting' && counts.failed === 0) return 'waiting';
  return counts.completed === total ? 'completed' : 'failed';
}
