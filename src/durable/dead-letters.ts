import type { TaskTree } from '../plan/types.js';
import type { ScheduleResult } from '../scheduler/types.js';
import type { DeadLetter, RunStore } from '../store/run-store.js';
import { DeadLetterNotFoundError } from './errors.js';
import type { RunJournal } from './journal.js';

/** Failures that are not dead letters: a decision (a rejection), or a failure an earlier process already recorded. */
const NOT_DEAD_LETTERS = new Set(['APPROVAL_REJECTED', 'TASK_FAILED_EARLIER', 'ABORTED', 'BUDGET_EXCEEDED']);

/**
 * Records every task of one run level that failed for good in this process: a `task.failed` journal
 * entry (so a resume does not run it again) and a dead letter with its inputs, error and attempts (so
 * `dlq retry` can). Returns the letters.
 */
export async function recordDeadLetters(
  journal: RunJournal,
  level: { readonly path: string },
  tree: TaskTree,
  schedule: ScheduleResult<string>,
  inputsOf: (taskId: string) => Readonly<Record<string, string>> | undefined,
): Promise<DeadLetter[]> {
  const letters: DeadLetter[] = [];
  for (const task of tree.tasks) {
    const outcome = schedule.tasks[task.id];
    if (outcome?.status !== 'failed' || !outcome.error || NOT_DEAD_LETTERS.has(outcome.error.code)) continue;
    const at = await journal.append('task.failed', level.path, task.id, { error: outcome.error, attempts: outcome.attempts });
    const letter: DeadLetter = {
      id: deadLetterId(journal.runId, level.path, task.id),
      runId: journal.runId,
      path: level.path,
      taskId: task.id,
      title: task.title,
      inputs: inputsOf(task.id) ?? {},
      error: outcome.error,
      attempts: outcome.attempts,
      createdAt: journal.entry('task.failed', level.path, task.id)?.at ?? at,
      status: 'open',
    };
    await journal.store.putDeadLetter(letter);
    letters.push(letter);
  }
  return letters;
}

/** `run:path/task`, or `run:task` at the top level. */
export function deadLetterId(runId: string, path: string, taskId: string): string {
  return `${runId}:${path ? `${path}/` : ''}${taskId}`;
}

/**
 * Marks dead letter `id` for another try within its run: a `task.retry` entry lets the next resume run
 * the task again (its dependents follow), and the letter becomes `retried`. The caller then resumes
 * the run (`resumeRun`, `taskforce dlq retry` does both).
 *
 * @throws DeadLetterNotFoundError
 */
export async function markForRetry(store: RunStore, id: string, now: number): Promise<DeadLetter> {
  const letter = await store.getDeadLetter(id);
  if (!letter) throw new DeadLetterNotFoundError(id);
  await store.append(letter.runId, [{ kind: 'task.retry', path: letter.path, key: letter.taskId, data: { deadLetter: id }, at: now }]);
  const retried: DeadLetter = { ...letter, status: 'retried' };
  await store.putDeadLetter(retried);
  return retried;
}
