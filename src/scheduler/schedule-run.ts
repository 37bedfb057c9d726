import { setMaxListeners } from 'node:events';
import { isApprovalPending, isBudgetStop } from '../errors/classify.js';
import { errorMessage } from '../errors/error-info.js';
import { AbortedError, ConfigError } from '../errors/taskforce-error.js';
import type { TaskPriority } from '../plan/types.js';
import type { Clock } from '../util/clock.js';
import type { BudgetTracker } from '../runtime/budget.js';
import { AttemptRunner, type AttemptSettlements } from './attempt-runner.js';
import { describeAbortReason, ignoreCancelledSleep } from './error-info.js';
import { InvalidTaskGraphError, TaskTimeoutError } from './errors.js';
import { ReadyQueue } from './ready-queue.js';
import { retryDelayMs } from './retry-policy.js';
import { ScheduleEvents } from './schedule-events.js';
import { resolveScheduleOptions, type ResolvedScheduleOptions } from './schedule-options.js';
import { buildScheduleResult } from './schedule-result.js';
import { PRIORITY_RANK, type CompiledTaskGraph } from './task-graph.js';
import { BACKOFF, RUNNING } from './task-state.js';
import { TaskTable } from './task-table.js';
import type { ScheduleOptions, ScheduleResult, StopCause, TaskExecutor } from './types.js';

/**
 * One schedule as a state machine: it dispatches ready tasks while slots are free, moves tasks on as
 * their attempts settle (retry, fail, release dependents) and stops on cancellation, fail-fast or a
 * budget. Per-task state lives in a {@link TaskTable}; attempts run in an {@link AttemptRunner}.
 */
export class ScheduleRun<O> implements AttemptSettlements<O> {
  readonly result: Promise<ScheduleResult<O>>;
  private resolveResult!: (result: ScheduleResult<O>) => void;
  private rejectResult!: (error: unknown) => void;

  private readonly options: ResolvedScheduleOptions;
  private readonly concurrency: number;
  private readonly clock: Clock;
  private readonly budget: BudgetTracker | undefined;
  /** Priority ranks the queue reads; a copy, so setPriority never writes into the compiled graph. */
  private readonly priorities: Uint8Array;
  private readonly queue: ReadyQueue;
  private readonly table: TaskTable<O>;
  private readonly events: ScheduleEvents;
  private readonly attempts: AttemptRunner<O>;

  /** Aborted on cancellation or fail-fast: the signal running attempts see. */
  private readonly runController = new AbortController();
  /** Aborted on any stop: wakes retry backoffs so they can be cancelled. */
  private readonly backoffController = new AbortController();
  private inFlight = 0;
  private backingOff = 0;
  private stoppedBy: StopCause | undefined;
  /** Tasks parked for approval, in the order they asked. */
  private readonly parked: string[] = [];
  private finished = false;
  private readonly startTime: number;
  private readonly onCallerAbort = () => this.stopForAbort(this.options.signal?.reason);
  private readonly onDeadline = () => this.stopForAbort(this.budget?.signal.reason);

  /** Starts on the next microtask, so the caller can reprioritise or cancel before anything runs. */
  constructor(
    private readonly graph: CompiledTaskGraph,
    execute: TaskExecutor<O>,
    options: ScheduleOptions,
  ) {
    const resolved = (this.options = resolveScheduleOptions(options));
    this.concurrency = resolved.concurrency;
    this.clock = resolved.clock;
    this.budget = resolved.budget;
    // Every running attempt shares this signal and typically listens on it (sleeps, model calls), so
    // `concurrency` listeners is normal, not the leak Node warns about past 10.
    setMaxListeners(0, this.runController.signal);

    this.priorities = graph.priority.slice();
    this.queue = new ReadyQueue(graph.remainingPath, this.priorities, graph.idRank);
    this.events = new ScheduleEvents(resolved.events, resolved.resourceName, resolved.concurrency);
    this.result = new Promise((resolve, reject) => {
      this.resolveResult = resolve;
      this.rejectResult = reject;
    });
    this.startTime = this.clock.now();
    this.table = new TaskTable<O>(graph, this.queue);
    this.attempts = new AttemptRunner(execute, resolved.timeoutMs, this.clock, this.runController.signal, this.table, this);

    const signal = resolved.signal;
    // A budget's deadline aborts what is in flight, like a cancellation, but is reported as the budget.
    if (this.budget?.signal.aborted) this.onDeadline();
    else this.budget?.signal.addEventListener('abort', this.onDeadline, { once: true });
    if (signal?.aborted) {
      this.onCallerAbort();
      return;
    }
    signal?.addEventListener('abort', this.onCallerAbort, { once: true });
    queueMicrotask(() => this.guarded(this.pump));
  }

  /** Changes a task's priority: `ScheduleHandle.setPriority`. */
  setPriority(taskId: string, priority: TaskPriority): void {
    const i = this.graph.indexOf.get(taskId);
    if (i === undefined) throw new InvalidTaskGraphError(`setPriority: no task "${taskId}" in this schedule`);
    const rank = PRIORITY_RANK[priority];
    if (rank === undefined) throw new ConfigError(`setPriority("${taskId}"): unknown priority ${JSON.stringify(priority)}`);
    this.priorities[i] = rank;
    this.queue.update(i);
  }

  /** A signal fired: a deadline (its reason a budget error) stops as that budget, anything else cancels. */
  private stopForAbort(reason: unknown): void {
    if (this.finished) return;
    if (isBudgetStop(reason)) this.stop({ kind: 'budget', budget: reason.budget, detail: reason.message }, true);
    else this.cancel(describeAbortReason(reason));
  }

  /** Cancels the run: `ScheduleHandle.cancel`. */
  cancel(reason = 'cancelled by caller'): void {
    if (this.finished) return;
    this.stop({ kind: 'cancelled', detail: reason }, true);
  }

  // Settlements reported by the AttemptRunner: each runs as a guarded step of the state machine.
  attemptSucceeded(i: number, attempt: number, output: O): void {
    this.guarded(this.onSuccess, i, attempt, output);
  }

  attemptFailed(i: number, attempt: number, error: unknown): void {
    this.guarded(this.onFailure, i, attempt, error);
  }

  attemptTimedOut(i: number, attempt: number, timeoutMs: number): void {
    this.guarded(this.onTimeout, i, attempt, timeoutMs);
  }

  /** Dispatches ready tasks while slots are free, then finishes if nothing can happen any more. */
  private pump(): void {
    while (this.inFlight < this.concurrency && this.queue.size > 0 && !this.stoppedBy) {
      if (this.budget && !this.budgetAllowsDispatch()) break;
      this.start(this.queue.pop());
    }
    if (!this.finished && this.inFlight === 0 && this.backingOff === 0 && (this.queue.size === 0 || this.stoppedBy))
      this.finish();
  }

  private budgetAllowsDispatch(): boolean {
    try {
      this.budget!.check();
      return true;
    } catch (error) {
      if (!isBudgetStop(error)) throw error;
      this.stop({ kind: 'budget', budget: error.budget, detail: error.message }, false);
      return false;
    }
  }

  private start(i: number): void {
    const task = this.graph.tasks[i]!;
    const attempt = this.table.startAttempt(i, this.clock.now());
    this.inFlight++;
    this.events.attemptStarted(task, attempt, this.inFlight);
    this.attempts.launch(i, task, attempt);
  }

  private releaseSlot(i: number): void {
    this.inFlight--;
    this.attempts.ended(i);
    this.events.slotReleased(this.graph.tasks[i]!.id, this.inFlight);
  }

  private onSuccess(i: number, attempt: number, output: O): void {
    if (!this.table.isCurrent(i, attempt)) return;
    this.releaseSlot(i);
    const durationMs = this.table.complete(i, output, this.clock.now());
    this.events.taskCompleted(this.graph.tasks[i]!.id, durationMs, output);
    this.table.releaseDependentsOf(i);
    this.pump();
  }

  private onTimeout(i: number, attempt: number, timeoutMs: number): void {
    if (!this.table.isCurrent(i, attempt)) return;
    const error = new TaskTimeoutError(this.graph.tasks[i]!.id, timeoutMs, attempt);
    this.attempts.abort(i, error);
    this.onFailure(i, attempt, error);
  }

  private onFailure(i: number, attempt: number, error: unknown): void {
    if (!this.table.isCurrent(i, attempt)) return;
    this.releaseSlot(i);
    const task = this.graph.tasks[i]!;
    if (isApprovalPending(error)) {
      this.table.park(i, error.message, this.clock.now());
      this.parked.push(task.id);
      this.events.taskParked(task.id, error.message);
      this.pump();
      return;
    }
    const { retry, failurePolicy } = this.options;
    const budgetError = isBudgetStop(error) ? error : undefined;
    const willRetry =
      !budgetError && !this.stoppedBy && attempt < retry.maxAttempts && (retry.retryOn ? retry.retryOn(error, task, attempt) : true);
    this.events.taskFailed(task.id, error, willRetry);

    if (willRetry) {
      const delayMs = retryDelayMs(retry, attempt, this.options.random);
      this.table.backOff(i);
      this.backingOff++;
      this.events.taskRetried(task.id, attempt + 1, delayMs);
      this.clock.sleep(delayMs, this.backoffController.signal).then(
        () => this.guarded(this.onBackoffOver, i),
        ignoreCancelledSleep,
      );
      this.pump();
      return;
    }

    this.table.fail(i, error, this.clock.now());
    this.table.skipDependentsOf(i, this.events);
    if (budgetError) this.stop({ kind: 'budget', budget: budgetError.budget, detail: budgetError.message, taskId: task.id }, false);
    else if (failurePolicy === 'fail-fast')
      this.stop({ kind: 'failure', taskId: task.id, detail: `task "${task.id}" failed: ${errorMessage(error)}` }, true);
    this.pump();
  }

  private onBackoffOver(i: number): void {
    if (this.table.stateOf(i) !== BACKOFF) return;
    this.backingOff--;
    this.table.makeReady(i);
    this.pump();
  }

  /**
   * Stops dispatching. Retry backoffs are cancelled; running attempts are aborted and cancelled when
   * `abortRunning` (cancellation, fail-fast), or left to finish (budget: their work is kept).
   */
  private stop(cause: StopCause, abortRunning: boolean): void {
    // The first cause is the one reported; a later cancel still aborts what a budget stop let run.
    this.stoppedBy ??= cause;
    const reason = `schedule stopped: ${cause.detail}`;
    if (abortRunning) this.runController.abort(new AbortedError(reason));
    this.backoffController.abort();
    const { tasks } = this.graph;
    // A one-off walk over all tasks: stops happen once per schedule.
    for (let i = 0; i < tasks.length; i++) {
      const state = this.table.stateOf(i);
      if (state === BACKOFF) this.backingOff--;
      else if (state === RUNNING && abortRunning) {
        this.attempts.abort(i, new AbortedError(reason));
        this.releaseSlot(i);
      } else continue;
      this.table.cancel(i, reason, this.clock.now());
      this.events.taskCancelled(tasks[i]!.id, reason);
    }
    this.pump();
  }

  private finish(): void {
    this.finished = true;
    if (this.parked.length > 0 && !this.stoppedBy)
      this.stoppedBy = { kind: 'waiting', taskIds: [...this.parked], detail: `waiting for approval: ${this.parked.map((id) => `"${id}"`).join(', ')}` };
    this.options.signal?.removeEventListener('abort', this.onCallerAbort);
    this.budget?.signal.removeEventListener('abort', this.onDeadline);
    this.resolveResult(buildScheduleResult(this.graph.tasks, this.table, this.stoppedBy, this.startTime, this.clock.now()));
  }

  /**
   * Runs a step of the state machine from a promise callback. A throw here is a bug or a throwing
   * user hook (`retryOn`, a budget tracker): it aborts the run and rejects the result instead of
   * becoming an unhandled rejection. Takes a method and its arguments rather than a closure: one
   * runs per settled attempt.
   */
  private guarded<V>(step: (this: this, i: number, attempt: number, value: V) => void, i = -1, attempt = 0, value?: V): void {
    if (this.finished) return;
    try {
      step.call(this, i, attempt, value as V);
    } catch (error) {
      this.finished = true;
      this.runController.abort(error);
      this.backoffController.abort();
      this.attempts.abortAll(error);
      this.options.signal?.removeEventListener('abort', this.onCallerAbort);
    this.budget?.signal.removeEventListener('abort', this.onDeadline);
      this.rejectResult(error);
    }
  }
}
