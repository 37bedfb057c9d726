import { setMaxListeners } from 'node:events';
import type { TaskSpec } from '../plan/types.js';
import type { Clock } from '../util/clock.js';
import { ignoreCancelledSleep } from './error-info.js';
import type { TaskTable } from './task-table.js';
import type { ScheduleOptions, TaskExecutionContext, TaskExecutor } from './types.js';

/**
 * Where an {@link AttemptRunner} reports how its attempts settle. Each call comes from a promise
 * callback, possibly long after the attempt was aborted: the receiver decides whether it still counts.
 */
export interface AttemptSettlements<O> {
  attemptSucceeded(task: number, attempt: number, output: O): void;
  attemptFailed(task: number, attempt: number, error: unknown): void;
  /** The attempt's timeout elapsed; nothing has been aborted yet. */
  attemptTimedOut(task: number, attempt: number, timeoutMs: number): void;
}

/** The context of one attempt. A class, so attempts share methods instead of allocating closures. */
class AttemptContext<O> implements TaskExecutionContext<O> {
  constructor(
    private readonly table: TaskTable<O>,
    private readonly task: number,
    readonly attempt: number,
    readonly inputs: Readonly<Record<string, O>>,
    readonly signal: AbortSignal,
  ) {}

  reportAgent(agent: string): void {
    this.table.reportAgent(this.task, agent);
  }
}

/**
 * Runs attempts: calls the executor with the attempt's inputs and signal, arms the attempt's timeout,
 * and reports the settlement. Attempts without a timeout share the run's signal; one with a timeout
 * gets its own controller, so the timeout aborts that attempt alone.
 */
export class AttemptRunner<O> {
  /** Per running attempt with a timeout: the controller behind its signal, and its timer's. */
  private readonly controllers: (AbortController | undefined)[] = [];
  private readonly timers: (AbortController | undefined)[] = [];

  constructor(
    private readonly execute: TaskExecutor<O>,
    private readonly timeoutMs: ScheduleOptions['timeoutMs'],
    private readonly clock: Clock,
    /** What attempts without a timeout see: aborted when the run stops them. */
    private readonly runSignal: AbortSignal,
    private readonly table: TaskTable<O>,
    private readonly settlements: AttemptSettlements<O>,
  ) {}

  /** Starts attempt `attempt` of task `i`. The executor's throw or rejection is reported as a failure. */
  launch(i: number, task: TaskSpec, attempt: number): void {
    let signal = this.runSignal;
    const timeoutMs = typeof this.timeoutMs === 'function' ? this.timeoutMs(task) : this.timeoutMs;
    if (timeoutMs !== undefined) {
      const controller = new AbortController();
      const timer = new AbortController();
      this.controllers[i] = controller;
      this.timers[i] = timer;
      signal = controller.signal;
      // Shared by the attempt's parallel work (bids, votes, agent runs), as the run's signal is.
      setMaxListeners(0, signal);
      this.clock.sleep(timeoutMs, timer.signal).then(
        () => this.settlements.attemptTimedOut(i, attempt, timeoutMs),
        ignoreCancelledSleep,
      );
    }

    const context = new AttemptContext<O>(this.table, i, attempt, this.table.inputsOf(i), signal);
    let pending: Promise<O>;
    try {
      pending = Promise.resolve(this.execute(task, context));
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (output) => this.settlements.attemptSucceeded(i, attempt, output),
      (error: unknown) => this.settlements.attemptFailed(i, attempt, error),
    );
  }

  /** The running attempt of task `i` ended: its timeout no longer applies. */
  ended(i: number): void {
    const timer = this.timers[i];
    if (timer) {
      timer.abort();
      this.timers[i] = undefined;
      this.controllers[i] = undefined;
    }
  }

  /** Aborts the running attempt of task `i` with `reason`, if it has a signal of its own. */
  abort(i: number, reason: unknown): void {
    this.controllers[i]?.abort(reason);
  }

  /** Cancels every timer and aborts every attempt that has a signal of its own. */
  abortAll(reason: unknown): void {
    for (const timer of this.timers) timer?.abort();
    for (const controller of this.controllers) controller?.abort(reason);
  }
}
