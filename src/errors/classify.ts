import type { ApprovalPendingError } from './approval-errors.js';
import type { BudgetExceededError } from './budget-errors.js';
import { TaskforceError } from './taskforce-error.js';

// The one place that decides whether an error is a stop or a fault. A stop (a budget reached, the
// caller cancelled) ends work cleanly and says nothing about whoever was working; a fault is a failure.
// Matched on the stable `code`, not `instanceof`, so errors from a duplicate copy of the package count.

/** What kind of stop an error stands for. */
export type StopKind = 'budget' | 'cancelled';

/** A budget was reached (`BUDGET_EXCEEDED`). */
export function isBudgetStop(error: unknown): error is BudgetExceededError {
  return TaskforceError.isInstance(error) && error.code === 'BUDGET_EXCEEDED';
}

/**
 * The work was aborted (`ABORTED`): the caller's signal fired, or a cancelled timer or sleep.
 * Not a type guard: `AbortedError` adds nothing to `TaskforceError`, so its "false" branch would be `never`.
 */
export function isAborted(error: unknown): boolean {
  return TaskforceError.isInstance(error) && error.code === 'ABORTED';
}

/**
 * The stop an error stands for: `budget` for a budget reached, `cancelled` for an abort or whenever
 * `signal` has fired (whatever the error: a provider may reject an aborted call with its own error),
 * `undefined` for a fault. A budget stop wins over an aborted signal, and a signal aborted by a
 * budget's deadline (its reason a `BudgetExceededError`) is a budget stop.
 */
export function stopKind(error: unknown, signal?: AbortSignal): StopKind | undefined {
  if (isBudgetStop(error) || (signal?.aborted && isBudgetStop(signal.reason))) return 'budget';
  if (isAborted(error) || signal?.aborted) return 'cancelled';
  return undefined;
}

/** Whether an error is a stop (a budget reached or a cancellation) rather than a fault. */
export function isStop(error: unknown, signal?: AbortSignal): boolean {
  return stopKind(error, signal) !== undefined;
}

/** Work is parked until someone approves it (`APPROVAL_PENDING`): neither a stop nor a fault. */
export function isApprovalPending(error: unknown): error is ApprovalPendingError {
  return TaskforceError.isInstance(error) && error.code === 'APPROVAL_PENDING';
}
