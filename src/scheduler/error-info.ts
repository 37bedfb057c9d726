import type { BudgetExceededError } from '../errors/budget-errors.js';
import { TaskforceError } from '../errors/taskforce-error.js';
import type { TaskErrorInfo } from './types.js';

// How the scheduler reads the values executors, budgets, sleeps and signals reject or abort with.
// Anything may be thrown, so none of these assume an Error.

/** A budget ran out: stops the schedule and is never retried. */
export function isBudgetError(error: unknown): error is BudgetExceededError {
  return TaskforceError.isInstance(error) && error.code === 'BUDGET_EXCEEDED';
}

/** The message of an Error, or the thrown value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A failure as the plain data a task outcome keeps. */
export function errorInfo(error: unknown): TaskErrorInfo {
  const code = (error as { code?: unknown } | null)?.code;
  return { message: errorMessage(error), code: typeof code === 'string' ? code : 'TASK_ERROR' };
}

/** The cancellation reason to report for an aborted caller signal. */
export function describeAbortReason(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  if (typeof reason === 'string') return reason;
  return 'signal aborted';
}

/**
 * Rejection handler of timeout timers and backoff sleeps: those are cancelled on purpose when their
 * attempt ends or the run stops; any other rejection is rethrown.
 */
export function ignoreCancelledSleep(error: unknown): void {
  if (!(TaskforceError.isInstance(error) && error.code === 'ABORTED')) throw error;
}
