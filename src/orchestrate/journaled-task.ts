import type { CallLog, LoggedCall } from '../runtime/call-log.js';
import type { TaskExecutionContext } from '../scheduler/types.js';
import type { TaskSpec } from '../plan/types.js';
import { TaskFailedEarlierError } from '../durable/errors.js';
import type { RunLevel, RunOutcome, RunSettings, TaskRecord } from './orchestration.js';
import type { RunLineage } from './lineage.js';

/** A completed task as the journal keeps it: enough to put it back in the tree without running it. */
interface CompletedTask {
  readonly output: string;
  readonly agents: readonly string[];
  readonly mode: TaskRecord['mode'];
  readonly decision?: TaskRecord['decision'];
  readonly calls: readonly LoggedCall[];
  readonly subRuns: readonly JournaledOutcome[];
}

/** A sub-run's outcome as the journal keeps it: its lineage built, as a function cannot be stored. */
type JournaledOutcome = Omit<RunOutcome, 'lineage'> & { readonly lineage: readonly RunLineage[] };

/**
 * What an earlier process of a durable run already did for this task: its output, when it completed
 * (its calls, decision and sub-runs go back into its record, and its spend into the run's budget, so
 * the tree and the budget read as if it had run here); a `TaskFailedEarlierError` when it failed for
 * good and no `dlq retry` asked for it again; `undefined` when it must run.
 */
export async function journaledTask(
  settings: RunSettings,
  level: RunLevel,
  task: TaskSpec,
  record: TaskRecord,
  context: Pick<TaskExecutionContext<string>, 'reportAgent'>,
): Promise<{ readonly output: string } | undefined> {
  const journal = settings.journal;
  if (!journal) return undefined;
  const done = journal.entry('task.completed', level.path, task.id);
  if (done) {
    const completed = done.data as CompletedTask;
    restoreCalls(settings, record.log, completed.calls);
    record.mode = completed.mode;
    if (completed.decision) record.decision = completed.decision;
    for (const { lineage, ...outcome } of completed.subRuns) record.subRuns.push({ ...outcome, lineage: () => lineage });
    for (const agent of completed.agents) context.reportAgent(agent);
    settings.completions.push({ path: level.path, runId: level.runId, task, output: completed.output, order: done.seq, restored: true });
    return { output: completed.output };
  }
  const failed = journal.entry('task.failed', level.path, task.id);
  const retried = journal.entry('task.retry', level.path, task.id);
  if (failed && !(retried && retried.seq > failed.seq)) throw new TaskFailedEarlierError(task.id, (failed.data as { error: { message: string; code: string } }).error);
  return undefined;
}

/**
 * Puts calls made by an earlier process (or a worker) back in `log`, and counts them in this process's
 * budget, so the tree reads as if they were made here and a resumed run cannot spend its budget twice.
 */
export function restoreCalls(settings: Pick<RunSettings, 'budget'>, log: CallLog, calls: readonly LoggedCall[]): void {
  for (const call of calls) {
    log.add(call);
    settings.budget.charge(call.usage, call.costUsd);
  }
}

/** Journals a task that just completed (before the scheduler hears of it) and notes it for compensation. */
export async function recordCompletion(settings: RunSettings, level: RunLevel, task: TaskSpec, record: TaskRecord, output: string, agents: readonly string[]): Promise<void> {
  const journal = settings.journal;
  if (!journal) return noteCompletion(settings, level, task, output);
  const data: CompletedTask = {
    output,
    agents,
    mode: record.mode,
    ...(record.decision ? { decision: record.decision } : {}),
    calls: record.log.records,
    subRuns: record.subRuns.map((outcome) => ({ ...outcome, lineage: outcome.lineage() })),
  };
  noteCompletion(settings, level, task, output, await journal.append('task.completed', level.path, task.id, data));
}

/** Notes a completed task for compensation, `order` its place among the run's completions. */
export function noteCompletion(settings: RunSettings, level: RunLevel, task: TaskSpec, output: string, order = settings.completions.length + 1): void {
  settings.completions.push({ path: level.path, runId: level.runId, task, output, order });
}
