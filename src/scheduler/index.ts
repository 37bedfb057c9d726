export { scheduleTaskTree, runTaskTree } from './scheduler.js';
export { InvalidTaskGraphError, TaskTimeoutError } from './errors.js';
export { resolveRetryPolicy, retryDelayMs, type ResolvedRetryPolicy } from './retry-policy.js';
export { ReadyQueue } from './ready-queue.js';
export { compileTaskGraph, PRIORITY_RANK, type CompiledTaskGraph } from './task-graph.js';
export type {
  FailurePolicy,
  RetryPolicy,
  ScheduleHandle,
  ScheduleOptions,
  ScheduleResult,
  ScheduleStatus,
  StopCause,
  TaskErrorInfo,
  TaskExecutionContext,
  TaskExecutor,
  TaskOutcome,
  TaskStatus,
} from './types.js';
