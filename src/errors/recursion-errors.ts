import { TaskforceError } from './taskforce-error.js';

/** Which cap stopped something: recursion depth, total agents, or repeated work. */
export type CapKind = 'maxDepth' | 'maxAgents' | 'repeat';

/** One time a cap was reached. Never silent: each also is a `recursion.capped` event. */
export interface CapReport {
  readonly cap: CapKind;
  readonly runId: string;
  readonly taskId: string;
  /** Depth of the run the task belongs to. */
  readonly depth: number;
  /** The agent involved (the one refused, or the one that asked to delegate). */
  readonly agent?: string;
  /** What happened instead, in words. */
  readonly detail: string;
}

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

