import type { EventBus } from '../events/bus.js';
import type { BudgetKind } from '../events/types.js';
import type { TaskPriority, TaskSpec } from '../plan/types.js';
import type { Clock } from '../util/clock.js';
import type { Random } from '../util/random.js';
import type { BudgetTracker } from '../runtime/budget.js';

/**
 * What the scheduler hands an executor for one attempt of one task.
 * `O` is the output type every task of the tree produces.
 */
export interface TaskExecutionContext<O> {
  /**
   * Outputs of the task's dependencies, keyed by dependency id: those in `dependsOn` and those the
   * plan declared but its transitive reduction dropped (`tree.droppedEdges`), since the task was
   * written to use them.
   */
  readonly inputs: Readonly<Record<string, O>>;
  /**
   * Aborts when the run is cancelled, a fail-fast failure stops it, or this attempt times out.
   * Executors must honour it: the scheduler does not wait for an aborted attempt to settle.
   */
  readonly signal: AbortSignal;
  /** 1 for the first try, 2 for the first retry, ... */
  readonly attempt: number;
  /** Records an agent that worked on this task; it appears in the task's outcome (for lineage). */
  reportAgent(agent: string): void;
}

/** Runs one task. A rejection is a failure (retried if the retry policy allows). */
export type TaskExecutor<O> = (task: TaskSpec, context: TaskExecutionContext<O>) => Promise<O>;

/**
 * When a task fails for good: `fail-fast` stops dispatching and aborts running tasks;
 * `continue` lets branches that do not depend on the failure finish.
 */
export type FailurePolicy = 'fail-fast' | 'continue';

/** How failed attempts are retried. Delays are `baseDelayMs · factor^(retry-1)`, capped, then jittered. */
export interface RetryPolicy {
  /** Attempts per task, the first included. 1 (the default) means no retries. */
  readonly maxAttempts?: number;
  /** Delay before the first retry; default 500 ms. */
  readonly baseDelayMs?: number;
  /** Growth per retry; default 2. */
  readonly factor?: number;
  /** Upper bound of a delay before jitter; default 30 000 ms. */
  readonly maxDelayMs?: number;
  /**
   * Fraction of the delay drawn at random, in [0, 1]: the delay is `d · (1 - jitter + jitter · random)`.
   * 0 gives exact delays, 1 "full jitter". Default 0.5.
   */
  readonly jitter?: number;
  /**
   * Whether an error may be retried. Budget errors and cancellation are never retried, whatever this says.
   * Default: every other error (timeouts included).
   */
  readonly retryOn?: (error: unknown, task: TaskSpec, attempt: number) => boolean;
}

/** Options of {@link scheduleTaskTree}. Everything is optional. */
export interface ScheduleOptions {
  /** Max tasks running at once; default 4. */
  readonly concurrency?: number;
  /** Default `fail-fast`. */
  readonly failurePolicy?: FailurePolicy;
  readonly retry?: RetryPolicy;
  /** Per-attempt timeout in clock ms, for all tasks or per task (undefined = none). */
  readonly timeoutMs?: number | ((task: TaskSpec) => number | undefined);
  /** Cancels the run: running tasks see an aborted signal, nothing new starts. */
  readonly signal?: AbortSignal;
  /** Checked before every dispatch, so a budget reached elsewhere stops the schedule too. */
  readonly budget?: BudgetTracker;
  /** Receives `task.*` and `resource.*` events. Nothing is built when absent. */
  readonly events?: EventBus;
  /** Time source for start/end times, retry delays and timeouts; default the system clock. */
  readonly clock?: Clock;
  /** Source of retry jitter; default `Math.random`. */
  readonly random?: Random;
  /** Name of the slot resource in `resource.*` events; default `"scheduler.slot"`. */
  readonly resourceName?: string;
}

/**
 * Final state of one task. `not-run`: the schedule stopped before the task could start (or its
 * dependency is `waiting`); `waiting`: its work needs a person's approval (`ApprovalPendingError`).
 */
export type TaskStatus = 'completed' | 'failed' | 'skipped' | 'cancelled' | 'not-run' | 'waiting';

/** An error as plain data. */
export interface TaskErrorInfo {
  readonly message: string;
  /** The TaskforceError `code` (or a Node error code); `TASK_ERROR` for anything else. */
  readonly code: string;
}

/** What happened to one task. */
export interface TaskOutcome<O> {
  readonly taskId: string;
  readonly status: TaskStatus;
  /** Present when `completed`. */
  readonly output?: O;
  /** The last attempt's error, when `failed`. */
  readonly error?: TaskErrorInfo;
  /** Why the task was skipped, cancelled or not run. */
  readonly reason?: string;
  /** Attempts started (0 if it never started). */
  readonly attempts: number;
  /** Clock time the first attempt started. */
  readonly startedAt?: number;
  /** Clock time the task reached its final status, if it ever started. */
  readonly endedAt?: number;
  /** Agents the executor reported, in report order, without repeats. */
  readonly agents: readonly string[];
}

/** Why a schedule stopped before running everything it could. */
export type StopCause =
  | { readonly kind: 'budget'; readonly budget: BudgetKind; readonly detail: string; readonly taskId?: string }
  | { readonly kind: 'cancelled'; readonly detail: string }
  | { readonly kind: 'failure'; readonly taskId: string; readonly detail: string }
  /** Some task waits for approval, and nothing else could run. */
  | { readonly kind: 'waiting'; readonly taskIds: readonly string[]; readonly detail: string };

/**
 * `completed`: every task completed. `failed`: some task failed (under `continue`, the rest finished
 * what they could). `cancelled` / `budget-exceeded`: the schedule was stopped; see `stoppedBy`.
 */
export type ScheduleStatus = 'completed' | 'failed' | 'cancelled' | 'budget-exceeded' | 'waiting';

/** What a schedule returns: one outcome per task, and why it stopped if it stopped early. */
export interface ScheduleResult<O> {
  readonly status: ScheduleStatus;
  /** Set when the schedule stopped early: budget, cancellation, or a fail-fast failure. */
  readonly stoppedBy?: StopCause;
  /** Every task of the tree, keyed by id, in the tree's order. */
  readonly tasks: Readonly<Record<string, TaskOutcome<O>>>;
  /** Tasks per final status. */
  readonly counts: Readonly<Record<TaskStatus, number>>;
  readonly startedAt: number;
  readonly endedAt: number;
}

/** A running schedule: its result, plus controls that act while it runs. */
export interface ScheduleHandle<O> {
  /** Settles when every task has a final status. Never rejects for task failures. */
  readonly result: Promise<ScheduleResult<O>>;
  /**
   * Changes a task's priority. A ready task moves in the queue at once; a waiting task uses it when it
   * becomes ready; a started task is unaffected. Priority breaks ties between equal remaining paths.
   * @throws InvalidTaskGraphError if no task has this id.
   */
  setPriority(taskId: string, priority: TaskPriority): void;
  /** Cancels the run, like aborting `options.signal`. */
  cancel(reason?: string): void;
}
