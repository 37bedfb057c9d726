import { TaskforceError } from '../errors/taskforce-error.js';
import type { CapReport } from './types.js';

/**
 * An agent run or sub-run was refused by a cap: the total agent cap (`limits.maxAgents`) or the
 * repeat guard (the same agent asked the same thing again, or a goal delegated again). The refusal is
 * also in the result's `caps` and a `recursion.capped` event.
 */
export class RecursionCapError extends TaskforceError {
  readonly report: CapReport;
  constructor(report: CapReport) {
    super('RECURSION_CAPPED', `${report.cap} cap reached in run ${report.runId}, task "${report.taskId}": ${report.detail}`);
    this.report = report;
  }
}

/** A sub-run completed none of its tasks, so the task it worked for has no result. */
export class SubRunError extends TaskforceError {
  readonly runId: string;
  constructor(runId: string, taskId: string, detail: string) {
    super('SUB_RUN_FAILED', `sub-run ${runId} for task "${taskId}" produced no result: ${detail}`);
    this.runId = runId;
  }
}
