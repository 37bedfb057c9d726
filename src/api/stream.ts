import type { TaskforceEvent } from '../events/types.js';
import { createEventStream, type EventStream } from '../observe/event-stream.js';
import { orchestrate } from './orchestrate.js';
import type { OrchestrateOptions } from '../orchestrate/options.js';
import type { RunResult } from '../orchestrate/types.js';
import { defaultRuntime } from './default-runtime.js';
import { runTask, type TaskOptions, type TaskResult } from './task.js';

/** The planner's task tree for a run level is ready (not sent when the plan was given in `options.plan`). */
export interface StreamPlanEvent {
  readonly type: 'plan';
  /** The run level the plan is for (sub-runs have their own). */
  readonly runId: string;
  readonly taskCount: number;
  readonly at: number;
}

/** A task attempt started. */
export interface StreamTaskStartedEvent {
  readonly type: 'task.started';
  /** The run level of the task; absent for `Task()`. */
  readonly runId?: string;
  readonly taskId: string;
  readonly title: string;
  readonly attempt: number;
  readonly at: number;
}

/** A task ended for good (a failed attempt that will be retried is not an end). */
export interface StreamTaskFinishedEvent {
  readonly type: 'task.finished';
  readonly runId?: string;
  readonly taskId: string;
  readonly status: 'completed' | 'failed' | 'skipped' | 'cancelled';
  /** The task's output, when it completed. */
  readonly output?: string;
  /** Why it failed, was skipped or was cancelled. */
  readonly reason?: string;
  readonly at: number;
}

/** A strategy's decision on a task (who was chosen, the votes, the bids, ...). */
export interface StreamDecisionEvent {
  readonly type: 'decision';
  readonly runId: string;
  readonly taskId: string;
  readonly strategy: string;
  readonly decision: unknown;
  readonly at: number;
}

/**
 * A piece of the final answer's text as it is written. Pieces of one `draft` join into that draft; a
 * higher `draft` starts over (a re-ask after failed checks, a refined revision, which comes whole). The
 * last draft is the answer, as `result` has it (up to surrounding whitespace).
 */
export interface StreamAnswerDeltaEvent {
  readonly type: 'answer.delta';
  readonly draft: number;
  readonly text: string;
}

/** The last event: what `orchestrate()` or `Task()` returns. */
export interface StreamResultEvent<R> {
  readonly type: 'result';
  readonly result: R;
}

/** What `orchestrateStream` yields, in the order things happen; `result` is last. */
export type RunStreamEvent<T = string> =
  | StreamPlanEvent
  | StreamTaskStartedEvent
  | StreamTaskFinishedEvent
  | StreamDecisionEvent
  | StreamAnswerDeltaEvent
  | StreamResultEvent<RunResult<T>>;

/** What `taskStream` yields: the task's start and end, its answer, then the result. */
export type TaskStreamEvent = StreamTaskStartedEvent | StreamTaskFinishedEvent | StreamAnswerDeltaEvent | StreamResultEvent<TaskResult>;

/** A run consumed as it goes: iterate it once with `for await`; `result` settles however it is consumed. */
export interface ResultStream<E, R> extends AsyncIterable<E> {
  /** The run's result. Leaving the loop early cancels the run, and this resolves with what finished. */
  readonly result: Promise<R>;
  /** `answer.delta` events dropped because the consumer lagged (0 unless they could not be merged). */
  readonly dropped: number;
}

/** How a stream holds events for a consumer that reads slower than the run emits them. */
export interface StreamBufferOptions {
  /**
   * Events held for a lagging consumer (default 1024). Past it, `answer.delta` texts are merged into
   * the last buffered delta; lifecycle events (plan, tasks, decisions, result) are always kept.
   */
  readonly bufferCapacity?: number;
}

/**
 * `orchestrate()` as an async iterable of typed events: `plan`, `task.started`, `task.finished` (with
 * the output), `decision`, `answer.delta` and, last, `result`. Breaking out of the loop cancels the run
 * (through its signal; the `result` promise then resolves with `stoppedBy: { kind: 'cancelled' }`).
 *
 * The synthesized answer comes as `answer.delta` pieces while the synthesizer writes it (a refined
 * revision as one more draft, whole; a schema-typed output, or a run stopped before synthesis, has
 * none). Events of sub-runs are included (see `runId`). With a shared `runtime`, the stream follows the
 * first top-level run that starts on it after the call.
 *
 * @example
 * ```ts
 * for await (const event of orchestrateStream('Compare three e-bike motors', { model: 'anthropic:claude-haiku-4-5' })) {
 *   if (event.type === 'task.finished') console.log(event.taskId, event.status);
 *   if (event.type === 'answer.delta') process.stdout.write(event.text);
 * }
 * ```
 */
export function orchestrateStream<T = string>(
  goal: string,
  options: OrchestrateOptions<T> & StreamBufferOptions = {},
): ResultStream<RunStreamEvent<T>, RunResult<T>> {
  const { bufferCapacity, ...rest } = options;
  const controller = new AbortController();
  const stream = deltaStream<RunStreamEvent<T>>(controller, bufferCapacity);
  const follow = runFollower((event) => {
    const mapped = runEvent(event);
    if (mapped) stream.push(mapped);
  });
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const result = orchestrate<T>(goal, {
    ...rest,
    signal,
    // Backpressure: while the reader lags a full buffer behind, the run makes no new model call.
    beforeModelCall: options.beforeModelCall ? async () => (await stream.room(), await options.beforeModelCall!()) : () => stream.room(),
    onEvent: (event) => {
      follow(event);
      options.onEvent?.(event);
    },
  });
  return finish(stream, result);
}

/**
 * `Task()` as an async iterable of typed events: `task.started`, `task.finished` (with the output),
 * `answer.delta` (the agent's text as it is written, one draft per model call: the last draft is the
 * answer) and, last, `result`. Breaking out of the loop cancels
 * the task through its signal; the `result` promise then rejects with an `AbortedError`.
 *
 * @example
 * ```ts
 * for await (const event of taskStream('review auth', 'Review src/auth.ts for injection bugs', 'reviewer')) {
 *   if (event.type === 'result') console.log(event.result.output);
 * }
 * ```
 */
export function taskStream(
  description: string,
  prompt: string,
  agentType: string,
  options: TaskOptions & StreamBufferOptions = {},
): ResultStream<TaskStreamEvent, TaskResult> {
  const { bufferCapacity, runtime: given, ...rest } = options;
  const controller = new AbortController();
  const stream = deltaStream<TaskStreamEvent>(controller, bufferCapacity);
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  let taskId: string | undefined;
  const result = (async () => {
    const runtime = given ?? (await defaultRuntime());
    // Task() emits no run id: its own task.started is the first one with its description from now on.
    const unsubscribe = runtime.events.on((event) => {
      if (event.type === 'answer.delta' && taskId !== undefined && event.taskId === taskId) {
        stream.push({ type: 'answer.delta', draft: event.draft, text: event.text });
        return;
      }
      if (event.type !== 'task.started' || taskId !== undefined || event.title !== description || event.runId !== undefined) return;
      taskId = event.taskId;
      stream.push({ type: 'task.started', taskId, title: event.title, attempt: event.attempt, at: event.at });
    });
    try {
      const done = await runTask(runtime, description, prompt, agentType, { ...rest, signal });
      stream.push({ type: 'task.finished', taskId: done.taskId, status: 'completed', output: done.output, at: runtime.clock.now() });
      return done;
    } catch (error) {
      if (taskId !== undefined)
        stream.push({
          type: 'task.finished',
          taskId,
          status: signal.aborted ? 'cancelled' : 'failed',
          reason: error instanceof Error ? error.message : String(error),
          at: runtime.clock.now(),
        });
      throw error;
    } finally {
      unsubscribe();
    }
  })();
  return finish(stream, result);
}

/** A stream whose `answer.delta` events merge (never drop) when the consumer lags. */
function deltaStream<E extends { readonly type: string }>(controller: AbortController, capacity: number | undefined): EventStream<E> {
  return createEventStream<E>({
    ...(capacity !== undefined ? { capacity } : {}),
    controller,
    sheddable: (event) => event.type === 'answer.delta',
    coalesce: (last, next) => {
      if (last.type !== 'answer.delta' || next.type !== 'answer.delta') return undefined;
      const [a, b] = [last as unknown as StreamAnswerDeltaEvent, next as unknown as StreamAnswerDeltaEvent];
      return a.draft === b.draft ? ({ type: 'answer.delta', draft: a.draft, text: a.text + b.text } as unknown as E) : undefined;
    },
  });
}

/** Ends the stream with the answer and the result (or the error), and exposes the result promise. */
function finish<E extends { readonly type: string }, R>(
  stream: EventStream<E>,
  result: Promise<R>,
): ResultStream<E, R> {
  result.then(
    (value) => {
      stream.push({ type: 'result', result: value } as unknown as E);
      stream.end();
    },
    (error: unknown) => stream.fail(error),
  );
  return {
    result,
    get dropped() {
      return stream.dropped;
    },
    [Symbol.asyncIterator]: () => stream,
  };
}

/**
 * Calls `forward` with the events of one orchestration: the first top-level run that starts, and the
 * sub-runs it spawns (a shared runtime may carry other work's events too).
 */
function runFollower(forward: (event: TaskforceEvent) => void): (event: TaskforceEvent) => void {
  const runs = new Set<string>();
  return (event) => {
    if (event.runId === undefined) return;
    if (event.type === 'run.started' && event.depth === 0 && runs.size === 0) runs.add(event.runId);
    if (!runs.has(event.runId)) return;
    if (event.type === 'recursion.spawned') runs.add(event.childRunId);
    forward(event);
  };
}

/** The stream event for a bus event, or undefined for the ones a stream does not carry. */
function runEvent(event: TaskforceEvent): RunStreamEvent<never> | undefined {
  const runId = event.runId!;
  const { at } = event;
  switch (event.type) {
    case 'plan.created':
      return { type: 'plan', runId, taskCount: event.taskCount, at };
    case 'task.started':
      return { type: 'task.started', runId, taskId: event.taskId, title: event.title, attempt: event.attempt, at };
    case 'task.completed':
      return { type: 'task.finished', runId, taskId: event.taskId, status: 'completed', ...(event.output !== undefined ? { output: event.output } : {}), at };
    case 'task.failed':
      return event.willRetry ? undefined : { type: 'task.finished', runId, taskId: event.taskId, status: 'failed', reason: event.error, at };
    case 'task.skipped':
      return { type: 'task.finished', runId, taskId: event.taskId, status: 'skipped', reason: event.reason, at };
    case 'task.cancelled':
      return { type: 'task.finished', runId, taskId: event.taskId, status: 'cancelled', reason: event.reason, at };
    case 'strategy.decision':
      return { type: 'decision', runId, taskId: event.taskId, strategy: event.strategy, decision: event.decision, at };
    case 'answer.delta':
      return event.taskId === undefined ? { type: 'answer.delta', draft: event.draft, text: event.text } : undefined;
    default:
      return undefined;
  }
}
