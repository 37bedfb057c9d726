import type { TaskStatus } from './types.js';

// A task's place in its lifecycle. Small integers, so a schedule keeps every task's state in one
// Uint8Array. Terminal states are >= COMPLETED.

/** Some dependency has not completed yet. */
export const WAITING = 0;
/** In the ready queue. */
export const READY = 1;
/** An attempt holds a slot. */
export const RUNNING = 2;
/** Waiting out the delay before a retry. */
export const BACKOFF = 3;
/** Terminal: an attempt succeeded. */
export const COMPLETED = 4;
/** Terminal: the last attempt failed. */
export const FAILED = 5;
/** Terminal: a dependency failed. */
export const SKIPPED = 6;
/** Terminal: the schedule stopped while the task was running or backing off. */
export const CANCELLED = 7;
/** Terminal for this schedule: the task waits for a person's approval; its dependents stay unrun. */
export const PARKED = 8;

/** The status a task reports in its outcome; a task still waiting or ready when the run ended did not run. */
export function statusOf(state: number): TaskStatus {
  switch (state) {
    case COMPLETED:
      return 'completed';
    case FAILED:
      return 'failed';
    case SKIPPED:
      return 'skipped';
    case CANCELLED:
      return 'cancelled';
    case PARKED:
      return 'waiting';
    default:
      return 'not-run';
  }
}
