import { TaskforceError } from '../errors/taskforce-error.js';

/** A sub-run completed none of its tasks, so the task it worked for has no result. */
export class SubRunError extends TaskforceError {
  readonly runId: string;
  constructor(runId: string, taskId: string, detail: string) {
    super('SUB_RUN_FAILED', `sub-run ${runId} for task "${taskId}" produced no result: ${detail}`);
    this.runId = runId;
  }
}
