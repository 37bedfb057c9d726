import { TaskforceError } from './taskforce-error.js';

/** What needs a person's decision: a task, an agent on a task, or one tool call. */
export interface ApprovalSubject {
  /** `task`, `agent` or `tool`. */
  readonly kind: 'task' | 'agent' | 'tool';
  /** The task's place in the run tree: `""` for the top level, `"t2"` for sub-run t2's tasks. */
  readonly path: string;
  readonly taskId: string;
  /** The agent's or the tool's name, for those kinds. */
  readonly name?: string;
  /** Identifies the request in the journal (stable across resumes). */
  readonly key: string;
}

/**
 * Work that needs approval has none yet. Not a failure: the scheduler parks the task (status `waiting`),
 * the rest of the run goes on as far as it can, and the run ends `waiting` until someone decides.
 */
export class ApprovalPendingError extends TaskforceError {
  readonly subject: ApprovalSubject;
  constructor(subject: ApprovalSubject) {
    super('APPROVAL_PENDING', `${describeSubject(subject)} is waiting for approval (taskforce approve <run> ${subject.taskId})`);
    this.subject = subject;
  }
}

/** Someone (or a timeout's default) rejected the work; the task fails with this and is not retried. */
export class ApprovalRejectedError extends TaskforceError {
  readonly subject: ApprovalSubject;
  readonly by: string;
  constructor(subject: ApprovalSubject, by: string, reason?: string) {
    super('APPROVAL_REJECTED', `${describeSubject(subject)} was rejected by ${by}${reason ? `: ${reason}` : ''}`);
    this.subject = subject;
    this.by = by;
  }
}

/** "task t1", "agent writer on task t1", "tool send_email on task t1" (with the sub-run path when nested). */
export function describeSubject(subject: ApprovalSubject): string {
  const task = `task "${subject.path ? `${subject.path}/` : ''}${subject.taskId}"`;
  return subject.kind === 'task' ? task : `${subject.kind} "${subject.name}" on ${task}`;
}
