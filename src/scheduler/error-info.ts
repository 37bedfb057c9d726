import { isAborted } from '../errors/classify.js';

// How the scheduler reads the reasons signals abort with and the rejections of its own timers.
// Anything may be thrown, so none of these assume an Error. Stops and error data: src/errors.

/** The code a task outcome records for a failure that carries no string `code` of its own. */
export const TASK_ERROR_CODE = 'TASK_ERROR';

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
  if (!isAborted(error)) throw error;
}
