import { setMaxListeners } from 'node:events';
import { AbortedError, ConfigError, TaskforceError } from '../../errors/taskforce-error.js';
import type { BudgetExceededError } from '../../errors/budget-errors.js';
import type { EventBus } from '../../events/bus.js';
import type { TaskPriority, TaskTree } from '../../plan/types.js';
import { systemClock, type Clock } from '../../util/clock.js';
import { systemRandom, type Random } from '../../util/random.js';
import type { BudgetTracker } from '../budget.js';
import { InvalidTaskGraphError, TaskTimeoutError } from './errors.js';
import { ReadyQueue } from './ready-queue.js';
import { resolveRetryPolicy, retryDelayMs, type ResolvedRetryPolicy } from './retry-policy.js';
import { compileTaskGraph, PRIORITY_RANK, type CompiledTaskGraph } from './task-graph.js';
import type {
  FailurePolicy,
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

/**
 * Starts running a task tree and returns a handle at once. Ready tasks are dispatched longest
 * remaining path first (then priority, then id), at most `concurrency` at a time; each receives its
 * dependencies' outputs (declared dependencies the plan's reduction dropped included). See
 * {@link ScheduleOptions} for failure policy, retries, timeouts, cancellation and budgets.
 *
 * @example
 * ```ts
 * const handle = scheduleTaskTree(tree, async (task, { inputs }) => `${task.id}(${Object.keys(inputs)})`, {
 *   concurrency: 8,
 * });
 * handle.setPriority('write-report', 'critical');
 * const result = await handle.result;
 * console.log(result.status, result.tasks['write-report']?.output);
 * ```
 * @throws InvalidTaskGraphError for a tree it cannot run; ConfigError for a bad option.
 */
export function scheduleTaskTree<O>(tree: TaskTree, execute: TaskExecutor<O>, options: ScheduleOptions = {}): ScheduleHandle<O> {
  const run = new ScheduleRun(compileTaskGraph(tree), execute, options);
  return {
    result: run.result,
    setPriority: (taskId, priority) => run.setPriority(taskId, priority),
    cancel: (reason) => run.cancel(reason),
  };
}

/** Runs a task tree to the end: `scheduleTaskTree(...).result`. */
export function runTaskTree<O>(tree: TaskTree, execute: TaskExecutor<O>, options: ScheduleOptions = {}): Promise<ScheduleResult<O>> {
  return scheduleTaskTree(tree, execute, options).result;
}

// Task states. Terminal states are >= COMPLETED.
const WAITING = 0;
const READY = 1;
const RUNNING = 2;
const BACKOFF = 3;
const COMPLETED = 4;
const FAILED = 5;
const SKIPPED = 6;
const CANCELLED = 7;

const DEFAULT_CONCURRENCY = 4;

/** The context of one attempt. A class, so attempts share methods instead of allocating closures. */
class AttemptContext<O> implements TaskExecutionContext<O> {
  constructor(
    private readonly run: ScheduleRun<O>,
    private readonly task: number,
    readonly attempt: number,
    readonly inputs: Readonly<Record<string, O>>,
    readonly signal: AbortSignal,
  ) {}

  reportAgent(agent: string): void {
    this.run.reportAgent(this.task, agent);
  }
}

/** The state of one schedule. All per-task state sits in arrays indexed like `graph.tasks`. */
class ScheduleRun<O> {
  readonly result: Promise<ScheduleResult<O>>;
  private resolveResult!: (result: ScheduleResult<O>) => void;
  private rejectResult!: (error: unknown) => void;

  private readonly concurrency: number;
  private readonly failurePolicy: FailurePolicy;
  private readonly retry: ResolvedRetryPolicy;
  private readonly timeoutMs: ScheduleOptions['timeoutMs'];
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly events: EventBus | undefined;
  private readonly budget: BudgetTracker | undefined;
  private readonly resourceName: string;
  private readonly userSignal: AbortSignal | undefined;

  private readonly queue: ReadyQueue;
  /** Priority ranks the queue reads; a copy, so setPriority never writes into the compiled graph. */
  private readonly priorities: Uint8Array;
  private readonly state: Uint8Array;
  private readonly unmetDependencies: Int32Array;
  private readonly attempts: Int32Array;
  private readonly startedAt: Float64Array;
  private readonly endedAt: Float64Array;
  private readonly outputs: (O | undefined)[];
  private readonly errors: (TaskErrorInfo | undefined)[] = [];
  private readonly reasons: (string | undefined)[] = [];
  private readonly agents: (string[] | undefined)[] = [];
  /** Per-attempt controllers and timeout timers; only used when a timeout applies. */
  private readonly attemptControllers: (AbortController | undefined)[] = [];
  private readonly timers: (AbortController | undefined)[] = [];

  /** Aborted on cancellation or fail-fast: the signal running attempts see. */
  private readonly runController = new AbortController();
  /** Aborted on any stop: wakes retry backoffs so they can be cancelled. */
  private readonly backoffController = new AbortController();
  private inFlight = 0;
  private backingOff = 0;
  private stoppedBy: StopCause | undefined;
  private finished = false;
  private readonly startTime: number;
  private readonly onUserAbort = () => this.cancel(describeAbortReason(this.userSignal?.reason));

  constructor(
    private readonly graph: CompiledTaskGraph,
    private readonly execute: TaskExecutor<O>,
    options: ScheduleOptions,
  ) {
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1)
      throw new ConfigError(`concurrency must be an integer >= 1, got ${String(options.concurrency)}`);
    this.failurePolicy = options.failurePolicy ?? 'fail-fast';
    if (this.failurePolicy !== 'fail-fast' && this.failurePolicy !== 'continue')
      throw new ConfigError(`failurePolicy must be "fail-fast" or "continue", got ${JSON.stringify(this.failurePolicy)}`);
    this.retry = resolveRetryPolicy(options.retry);
    this.timeoutMs = options.timeoutMs;
    this.clock = options.clock ?? systemClock();
    this.random = options.random ?? systemRandom();
    this.events = options.events;
    this.budget = options.budget;
    this.resourceName = options.resourceName ?? 'scheduler.slot';
    this.userSignal = options.signal;
    // Every running attempt shares this signal and typically listens on it (sleeps, model calls), so
    // `concurrency` listeners is normal, not the leak Node warns about past 10.
    setMaxListeners(0, this.runController.signal);

    const n = graph.tasks.length;
    this.priorities = graph.priority.slice();
    this.queue = new ReadyQueue(graph.remainingPath, this.priorities, graph.idRank);
    this.state = new Uint8Array(n);
    this.unmetDependencies = new Int32Array(n);
    this.attempts = new Int32Array(n);
    this.startedAt = new Float64Array(n).fill(NaN);
    this.endedAt = new Float64Array(n).fill(NaN);
    this.outputs = new Array<O | undefined>(n);
    this.result = new Promise((resolve, reject) => {
      this.resolveResult = resolve;
      this.rejectResult = reject;
    });
    this.startTime = this.clock.now();

    for (let i = 0; i < n; i++) {
      const unmet = graph.dependencyStart[i + 1]! - graph.dependencyStart[i]!;
      this.unmetDependencies[i] = unmet;
      if (unmet === 0) {
        this.state[i] = READY;
        this.queue.push(i);
      }
    }
    if (this.userSignal?.aborted) {
      this.cancel(describeAbortReason(this.userSignal.reason));
      return;
    }
    this.userSignal?.addEventListener('abort', this.onUserAbort, { once: true });
    // Dispatch on the next microtask, so the caller can reprioritise or cancel before anything starts.
    queueMicrotask(() => this.guarded(() => this.pump()));
  }

  setPriority(taskId: string, priority: TaskPriority): void {
    const i = this.graph.indexOf.get(taskId);
    if (i === undefined) throw new InvalidTaskGraphError(`setPriority: no task "${taskId}" in this schedule`);
    const rank = PRIORITY_RANK[priority];
    if (rank === undefined) throw new ConfigError(`setPriority("${taskId}"): unknown priority ${JSON.stringify(priority)}`);
    this.priorities[i] = rank;
    this.queue.update(i);
  }

  cancel(reason = 'cancelled by caller'): void {
    if (this.finished) return;
    this.stop({ kind: 'cancelled', detail: reason }, true);
  }

  /**
   * The bus when someone listens to it, else undefined: `this.audience?.emit({...})` then skips
   * building the event object, which is most of the cost of an event on the hot path.
   */
  private get audience(): EventBus | undefined {
    const events = this.events;
    return events !== undefined && events.hasListeners() ? events : undefined;
  }

  reportAgent(task: number, agent: string): void {
    const list = (this.agents[task] ??= []);
    if (!list.includes(agent)) list.push(agent);
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
      if (!isBudgetError(error)) throw error;
      this.stop({ kind: 'budget', budget: error.budget, detail: error.message }, false);
      return false;
    }
  }

  private start(i: number): void {
    const task = this.graph.tasks[i]!;
    const attempt = ++this.attempts[i]!;
    this.state[i] = RUNNING;
    const now = this.clock.now();
    if (attempt === 1) this.startedAt[i] = now;
    this.inFlight++;
    const audience = this.audience;
    if (audience) {
      audience.emit({ type: 'resource.allocated', resource: this.resourceName, taskId: task.id, inUse: this.inFlight, capacity: this.concurrency });
      audience.emit({ type: 'task.started', taskId: task.id, title: task.title, attempt });
    }

    let signal = this.runController.signal;
    const timeoutMs = typeof this.timeoutMs === 'function' ? this.timeoutMs(task) : this.timeoutMs;
    if (timeoutMs !== undefined) {
      const controller = new AbortController();
      const timer = new AbortController();
      this.attemptControllers[i] = controller;
      this.timers[i] = timer;
      signal = controller.signal;
      this.clock.sleep(timeoutMs, timer.signal).then(
        () => this.guarded(() => this.onTimeout(i, attempt, timeoutMs)),
        ignoreCancelledSleep,
      );
    }

    const context = new AttemptContext<O>(this, i, attempt, this.inputsOf(i), signal);
    let pending: Promise<O>;
    try {
      pending = Promise.resolve(this.execute(task, context));
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (output) => this.guarded(() => this.onSuccess(i, attempt, output)),
      (error: unknown) => this.guarded(() => this.onFailure(i, attempt, error)),
    );
  }

  /** Outputs of the task's dependencies, and of the declared ones the transitive reduction dropped. */
  private inputsOf(i: number): Record<string, O> {
    const { dependencyStart, dependencies, tasks } = this.graph;
    const inputs: Record<string, O> = {};
    for (let e = dependencyStart[i]!; e < dependencyStart[i + 1]!; e++) {
      const d = dependencies[e]!;
      inputs[tasks[d]!.id] = this.outputs[d] as O;
    }
    const indirect = this.graph.indirectInputs.get(i);
    if (indirect)
      for (const d of indirect) {
        // A dropped edge is implied by a longer path, so its task completed before this one became ready.
        if (this.state[d] !== COMPLETED)
          throw new InvalidTaskGraphError(
            `droppedEdges: "${tasks[i]!.id}" → "${tasks[d]!.id}" is not implied by the remaining dependencies ("${tasks[d]!.id}" has not completed)`,
          );
        inputs[tasks[d]!.id] = this.outputs[d] as O;
      }
    return inputs;
  }

  /** Whether a settlement belongs to the attempt now running (late settlements of aborted attempts do not). */
  private isCurrent(i: number, attempt: number): boolean {
    return this.state[i] === RUNNING && this.attempts[i] === attempt;
  }

  private releaseSlot(i: number): void {
    this.inFlight--;
    const timer = this.timers[i];
    if (timer) {
      timer.abort();
      this.timers[i] = undefined;
      this.attemptControllers[i] = undefined;
    }
    this.audience?.emit({ type: 'resource.released', resource: this.resourceName, taskId: this.graph.tasks[i]!.id, inUse: this.inFlight, capacity: this.concurrency });
  }

  private onSuccess(i: number, attempt: number, output: O): void {
    if (!this.isCurrent(i, attempt)) return;
    this.releaseSlot(i);
    this.state[i] = COMPLETED;
    this.outputs[i] = output;
    const now = this.clock.now();
    this.endedAt[i] = now;
    this.audience?.emit({ type: 'task.completed', taskId: this.graph.tasks[i]!.id, durationMs: now - this.startedAt[i]! });
    const { dependentStart, dependents } = this.graph;
    for (let e = dependentStart[i]!; e < dependentStart[i + 1]!; e++) {
      const d = dependents[e]!;
      if (this.state[d] === WAITING && --this.unmetDependencies[d]! === 0) {
        this.state[d] = READY;
        this.queue.push(d);
      }
    }
    this.pump();
  }

  private onTimeout(i: number, attempt: number, timeoutMs: number): void {
    if (!this.isCurrent(i, attempt)) return;
    const error = new TaskTimeoutError(this.graph.tasks[i]!.id, timeoutMs, attempt);
    this.attemptControllers[i]?.abort(error);
    this.onFailure(i, attempt, error);
  }

  private onFailure(i: number, attempt: number, error: unknown): void {
    if (!this.isCurrent(i, attempt)) return;
    this.releaseSlot(i);
    const task = this.graph.tasks[i]!;
    const budgetError = isBudgetError(error) ? error : undefined;
    const willRetry =
      !budgetError &&
      !this.stoppedBy &&
      attempt < this.retry.maxAttempts &&
      (this.retry.retryOn ? this.retry.retryOn(error, task, attempt) : true);
    this.audience?.emit({ type: 'task.failed', taskId: task.id, error: errorMessage(error), willRetry });

    if (willRetry) {
      const delayMs = retryDelayMs(this.retry, attempt, this.random);
      this.state[i] = BACKOFF;
      this.backingOff++;
      this.audience?.emit({ type: 'task.retried', taskId: task.id, attempt: attempt + 1, delayMs });
      this.clock.sleep(delayMs, this.backoffController.signal).then(
        () => this.guarded(() => this.onBackoffOver(i)),
        ignoreCancelledSleep,
      );
      this.pump();
      return;
    }

    this.state[i] = FAILED;
    this.errors[i] = errorInfo(error);
    this.endedAt[i] = this.clock.now();
    this.skipDependentsOf(i);
    if (budgetError) this.stop({ kind: 'budget', budget: budgetError.budget, detail: budgetError.message, taskId: task.id }, false);
    else if (this.failurePolicy === 'fail-fast')
      this.stop({ kind: 'failure', taskId: task.id, detail: `task "${task.id}" failed: ${errorMessage(error)}` }, true);
    this.pump();
  }

  private onBackoffOver(i: number): void {
    if (this.state[i] !== BACKOFF) return;
    this.backingOff--;
    this.state[i] = READY;
    this.queue.push(i);
    this.pump();
  }

  /** Marks every task downstream of a failed one as skipped, naming the failure. */
  private skipDependentsOf(failed: number): void {
    const { dependentStart, dependents, tasks } = this.graph;
    const failedId = tasks[failed]!.id;
    const stack = [failed];
    while (stack.length > 0) {
      const from = stack.pop()!;
      const reason =
        from === failed
          ? `dependency "${failedId}" failed`
          : `dependency "${tasks[from]!.id}" was skipped because "${failedId}" failed`;
      for (let e = dependentStart[from]!; e < dependentStart[from + 1]!; e++) {
        const d = dependents[e]!;
        if (this.state[d] !== WAITING) continue;
        this.state[d] = SKIPPED;
        this.reasons[d] = reason;
        this.audience?.emit({ type: 'task.skipped', taskId: tasks[d]!.id, reason });
        stack.push(d);
      }
    }
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
      const state = this.state[i];
      if (state === BACKOFF) this.backingOff--;
      else if (state === RUNNING && abortRunning) {
        this.attemptControllers[i]?.abort(new AbortedError(reason));
        this.releaseSlot(i);
      } else continue;
      this.state[i] = CANCELLED;
      this.reasons[i] = reason;
      this.endedAt[i] = this.clock.now();
      this.audience?.emit({ type: 'task.cancelled', taskId: tasks[i]!.id, reason });
    }
    this.pump();
  }

  private finish(): void {
    this.finished = true;
    this.userSignal?.removeEventListener('abort', this.onUserAbort);
    const { tasks } = this.graph;
    const counts: Record<TaskStatus, number> = { completed: 0, failed: 0, skipped: 0, cancelled: 0, 'not-run': 0 };
    const outcomes: Record<string, TaskOutcome<O>> = {};
    const notRunReason = this.stoppedBy ? `schedule stopped: ${this.stoppedBy.detail}` : 'never became ready';
    for (let i = 0; i < tasks.length; i++) {
      const status = statusOf(this.state[i]!);
      counts[status]++;
      outcomes[tasks[i]!.id] = this.outcome(i, status, notRunReason);
    }
    this.resolveResult({
      status: overallStatus(this.stoppedBy, counts, tasks.length),
      ...(this.stoppedBy ? { stoppedBy: this.stoppedBy } : {}),
      tasks: outcomes,
      counts,
      startedAt: this.startTime,
      endedAt: this.clock.now(),
    });
  }

  private outcome(i: number, status: TaskStatus, notRunReason: string): TaskOutcome<O> {
    const outcome: { -readonly [K in keyof TaskOutcome<O>]: TaskOutcome<O>[K] } = {
      taskId: this.graph.tasks[i]!.id,
      status,
      attempts: this.attempts[i]!,
      agents: this.agents[i] ?? [],
    };
    if (status === 'completed') outcome.output = this.outputs[i];
    const error = this.errors[i];
    if (error) outcome.error = error;
    const reason = status === 'not-run' ? notRunReason : this.reasons[i];
    if (reason !== undefined) outcome.reason = reason;
    if (!Number.isNaN(this.startedAt[i])) outcome.startedAt = this.startedAt[i];
    if (!Number.isNaN(this.endedAt[i])) outcome.endedAt = this.endedAt[i];
    return outcome;
  }

  /**
   * Runs a step of the state machine from a promise callback. A throw here is a bug or a throwing
   * user hook (`retryOn`, a budget tracker): it aborts the run and rejects the result instead of
   * becoming an unhandled rejection.
   */
  private guarded(step: () => void): void {
    if (this.finished) return;
    try {
      step();
    } catch (error) {
      this.finished = true;
      this.runController.abort(error);
      this.backoffController.abort();
      for (const timer of this.timers) timer?.abort();
      for (const controller of this.attemptControllers) controller?.abort(error);
      this.userSignal?.removeEventListener('abort', this.onUserAbort);
      this.rejectResult(error);
    }
  }
}

function statusOf(state: number): TaskStatus {
  switch (state) {
    case COMPLETED:
      return 'completed';
    case FAILED:
      return 'failed';
    case SKIPPED:
      return 'skipped';
    case CANCELLED:
      return 'cancelled';
    default:
      return 'not-run';
  }
}

function overallStatus(stoppedBy: StopCause | undefined, counts: Record<TaskStatus, number>, total: number): ScheduleStatus {
  if (stoppedBy?.kind === 'cancelled') return 'cancelled';
  if (stoppedBy?.kind === 'budget') return 'budget-exceeded';
  return counts.completed === total ? 'completed' : 'failed';
}

function isBudgetError(error: unknown): error is BudgetExceededError {
  return TaskforceError.isInstance(error) && error.code === 'BUDGET_EXCEEDED';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function errorInfo(error: unknown): TaskErrorInfo {
  const code = (error as { code?: unknown } | null)?.code;
  return { message: errorMessage(error), code: typeof code === 'string' ? code : 'TASK_ERROR' };
}

function describeAbortReason(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  if (typeof reason === 'string') return reason;
  return 'signal aborted';
}

/** A timeout timer or backoff sleep was cancelled because its attempt ended or the run stopped. */
function ignoreCancelledSleep(error: unknown): void {
  if (!(TaskforceError.isInstance(error) && error.code === 'ABORTED')) throw error;
}
