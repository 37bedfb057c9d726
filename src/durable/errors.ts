import { TaskforceError } from '../errors/taskforce-error.js';
import type { Lease } from '../store/run-store.js';

/** Another process holds the run (it is running there, or crashed less than the lease's time ago). */
export class RunLeasedError extends TaskforceError {
  readonly runId: string;
  readonly holder: Lease;
  constructor(runId: string, holder: Lease) {
    super(
      'RUN_LEASED',
      `run ${runId} is held by process ${holder.pid} on ${holder.host} until ${new Date(holder.expiresAt).toISOString()}; ` +
        'wait for it to finish (or for its lease to expire if it died on another host), then resume',
    );
    this.runId = runId;
    this.holder = holder;
  }
}

/** `approve` / `reject` named work that is not waiting for a decision. */
export class ApprovalNotPendingError extends TaskforceError {
  readonly runId: string;
  constructor(runId: string, target: string, pending: readonly string[]) {
    super(
      'APPROVAL_NOT_PENDING',
      `run ${runId} has no pending approval for "${target}"` + (pending.length > 0 ? `; pending: ${pending.join(', ')}` : '; nothing in it waits for approval'),
    );
    this.runId = runId;
  }
}

/** A task that failed for good in an earlier process of the run: resuming does not run it again (`dlq retry` does). */
export class TaskFailedEarlierError extends TaskforceError {
  readonly taskId: string;
  constructor(taskId: string, error: { readonly message: string; readonly code: string }) {
    super('TASK_FAILED_EARLIER', `task "${taskId}" failed in an earlier process of this run (${error.code}: ${error.message}); retry it with \`taskforce dlq retry\``);
    this.taskId = taskId;
  }
}

export class DeadLetterNotFoundError extends TaskforceError {
  constructor(id: string) {
    super('DEAD_LETTER_NOT_FOUND', `no dead letter "${id}" (list them with \`taskforce dlq list\`)`);
  }
}

/** `resumeRun` on a run that cannot continue (unknown goal, or options that no longer fit). */
export class RunNotResumableError extends TaskforceError {
  readonly runId: string;
  constructor(runId: string, why: string) {
    super('RUN_NOT_RESUMABLE', `run ${runId} cannot be resumed: ${why}`);
    this.runId = runId;
  }
}
