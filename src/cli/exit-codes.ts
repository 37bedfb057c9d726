/**
 * The CLI's exit codes. `CANCELLED` follows the shell convention for a process ended by SIGINT
 * (128 + 2), so scripts can tell "you pressed Ctrl-C" from "the run failed".
 */
export const EXIT = Object.freeze({
  /** The command did what it was asked (for `eval`: the pass rate reached the threshold). */
  OK: 0,
  /** The run failed, was stopped by a budget or a failure, or an eval suite fell below its threshold. */
  FAILED: 1,
  /** Bad usage or configuration: unknown command or flag, missing argument, no model configured, unreadable file. */
  USAGE: 2,
  /**
   * A journaled run stopped to wait for a person's decision (a task with `approval`): nothing failed;
   * `taskforce approve` / `reject` decide, and the run goes on.
   */
  WAITING: 3,
  /** Cancelled with Ctrl-C (SIGINT); the partial result was printed. */
  CANCELLED: 130,
});

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
