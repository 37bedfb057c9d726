import { TaskforceError } from '../errors/taskforce-error.js';

/** The task tree cannot be scheduled (duplicate id, unknown dependency, cycle, missing remaining path). */
export class InvalidTaskGraphError extends TaskforceError {
  constructor(message: string) {
    super('INVALID_TASK_GRAPH', message);
  }
}

/** An attempt of a task ran longer than its timeout; its signal was aborted. Counts as a failure. */
export class TaskTimeoutError extends TaskforceError {
  readonly taskId: string;
  readonly timeoutMs: number;
  constructor(taskId: string, timeoutMs: number, attempt: number) {
    super('TASK_TIMEOUT', `task "${taskId}" timed out after ${timeoutMs} ms (attempt ${attempt})`);
    this.taskId = taskId;
    this.timeoutMs = timeoutMs;
  }
}
