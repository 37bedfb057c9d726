import { errorInfo } from '../errors/error-info.js';
import { TASK_ERROR_CODE } from './error-info.js';
import { InvalidTaskGraphError } from './errors.js';
import type { ReadyQueue } from './ready-queue.js';
import type { ScheduleEvents } from './schedule-events.js';
import { BACKOFF, CANCELLED, COMPLETED, FAILED, PARKED, READY, RUNNING, SKIPPED, statusOf, WAITING } from './task-state.js';
import type { CompiledTaskGraph } from './task-graph.js';
import type { TaskErrorInfo, TaskOutcome } from './types.js';

/**
 * What a schedule knows about each task, one array per field, indexed like `graph.tasks`, and the
 * moves between states that follow from the graph: a task becomes ready when its last dependency
 * completes, and is skipped when one fails.
 */
export class TaskTable<O> {
  private readonly state: Uint8Array;
  private readonly unmetDependencies: Int32Array;
  private readonly attempts: Int32Array;
  /** Clock time of the first attempt; NaN until then. */
  private readonly startedAt: Float64Array;
  /** Clock time the task reached a terminal state; NaN until then. */
  private readonly endedAt: Float64Array;
  private readonly outputs: (O | undefined)[];
  private readonly errors: (TaskErrorInfo | undefined)[] = [];
  /** Why a task was skipped or cancelled. */
  private readonly reasons: (string | undefined)[] = [];
  private readonly agents: (string[] | undefined)[] = [];

  /** Puts every task without dependencies in `queue`; the others wait. */
  constructor(
    private readonly graph: CompiledTaskGraph,
    private readonly queue: ReadyQueue,
  ) {
    const n = graph.tasks.length;
    this.state = new Uint8Array(n);
    this.unmetDependencies = new Int32Array(n);
    this.attempts = new Int32Array(n);
    this.startedAt = new Float64Array(n).fill(NaN);
    this.endedAt = new Float64Array(n).fill(NaN);
    this.outputs = new Array<O | undefined>(n);
    for (let i = 0; i < n; i++) {
      const unmet = graph.dependencyStart[i + 1]! - graph.dependencyStart[i]!;
      this.unmetDependencies[i] = unmet;
      if (unmet === 0) this.makeReady(i);
    }
  }

  /** Queues a task: the first time, or again after a retry backoff. */
  makeReady(i: number): void {
    this.state[i] = READY;
    this.queue.push(i);
  }

  /** Starts the next attempt of a task; returns its number. */
  startAttempt(i: number, now: number): number {
    const attempt = ++this.attempts[i]!;
    this.state[i] = RUNNING;
    if (attempt === 1) this.startedAt[i] = now;
    return attempt;
  }

  /** The task's state, one of `task-state.ts`. */
  stateOf(i: number): number {
    return this.state[i]!;
  }

  /** Whether a settlement belongs to the attempt now running (late settlements of aborted attempts do not). */
  isCurrent(i: number, attempt: number): boolean {
    return this.state[i] === RUNNING && this.attempts[i] === attempt;
  }

  /** Adds an agent to the task's lineage, once. */
  reportAgent(i: number, agent: string): void {
    const list = (this.agents[i] ??= []);
    if (!list.includes(agent)) list.push(agent);
  }

  /** Records the output of a task's successful attempt; returns the time since its first attempt started. */
  complete(i: number, output: O, now: number): number {
    this.state[i] = COMPLETED;
    this.outputs[i] = output;
    this.endedAt[i] = now;
    return now - this.startedAt[i]!;
  }

  /** Queues the dependents of a completed task that were waiting only for it. */
  releaseDependentsOf(i: number): void {
    const { dependentStart, dependents } = this.graph;
    for (let e = dependentStart[i]!; e < dependentStart[i + 1]!; e++) {
      const d = dependents[e]!;
      if (this.state[d] === WAITING && --this.unmetDependencies[d]! === 0) this.makeReady(d);
    }
  }

  /** Parks a task whose attempt failed until its retry is due. */
  backOff(i: number): void {
    this.state[i] = BACKOFF;
  }

  /** Records the error of a task's last attempt. */
  fail(i: number, error: unknown, now: number): void {
    this.state[i] = FAILED;
    this.errors[i] = errorInfo(error, TASK_ERROR_CODE);
    this.endedAt[i] = now;
  }

  /** Parks a task that waits for approval: not failed, so its dependents are left waiting, not skipped. */
  park(i: number, reason: string, now: number): void {
    this.state[i] = PARKED;
    this.reasons[i] = reason;
    this.endedAt[i] = now;
  }

  /** Records why a running or backing-off task was stopped. */
  cancel(i: number, reason: string, now: number): void {
    this.state[i] = CANCELLED;
    this.reasons[i] = reason;
    this.endedAt[i] = now;
  }

  /** Marks every task downstream of a failed one as skipped, naming the failure. */
  skipDependentsOf(failed: number, events: ScheduleEvents): void {
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
        events.taskSkipped(tasks[d]!.id, reason);
        stack.push(d);
      }
    }
  }

  /** Outputs of the task's dependencies, and of the declared ones the transitive reduction dropped. */
  inputsOf(i: number): Record<string, O> {
    const { dependencyStart, dependencies, indirectInputs, tasks } = this.graph;
    const inputs: Record<string, O> = {};
    for (let e = dependencyStart[i]!; e < dependencyStart[i + 1]!; e++) {
      const d = dependencies[e]!;
      inputs[tasks[d]!.id] = this.outputs[d] as O;
    }
    const indirect = indirectInputs.get(i);
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

  /** What happened to a task, as its outcome reports it. `notRunReason` explains a task that never started. */
  outcomeOf(i: number, notRunReason: string): TaskOutcome<O> {
    const status = statusOf(this.state[i]!);
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
}
