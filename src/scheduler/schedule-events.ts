import type { EventBus } from '../events/bus.js';
import type { TaskSpec } from '../plan/types.js';
import { errorMessage } from '../errors/error-info.js';

/**
 * The `task.*` and `resource.*` events of one schedule. Each method first asks whether anyone
 * listens, and builds no event object when nobody does: building them is most of the cost of an
 * event on the dispatch path.
 */
export class ScheduleEvents {
  constructor(
    private readonly bus: EventBus | undefined,
    /** Name of the slot resource. */
    private readonly resource: string,
    /** Slots in all. */
    private readonly capacity: number,
  ) {}

  /** The bus when someone listens to it, else undefined. */
  private get audience(): EventBus | undefined {
    const bus = this.bus;
    return bus !== undefined && bus.hasListeners() ? bus : undefined;
  }

  /** An attempt took a slot (`inUse` counts it) and started. */
  attemptStarted(task: TaskSpec, attempt: number, inUse: number): void {
    const audience = this.audience;
    if (!audience) return;
    audience.emit({ type: 'resource.allocated', resource: this.resource, taskId: task.id, inUse, capacity: this.capacity });
    audience.emit({ type: 'task.started', taskId: task.id, title: task.title, attempt });
  }

  /** An attempt gave its slot back (`inUse` no longer counts it). */
  slotReleased(taskId: string, inUse: number): void {
    this.audience?.emit({ type: 'resource.released', resource: this.resource, taskId, inUse, capacity: this.capacity });
  }

  /** `output` goes on the event when it is text (what `orchestrate`'s tasks return). */
  taskCompleted(taskId: string, durationMs: number, output?: unknown): void {
    this.audience?.emit({ type: 'task.completed', taskId, durationMs, ...(typeof output === 'string' ? { output } : {}) });
  }

  taskFailed(taskId: string, error: unknown, willRetry: boolean): void {
    this.audience?.emit({ type: 'task.failed', taskId, error: errorMessage(error), willRetry });
  }

  /** A retry is due in `delayMs`; `attempt` is the number it will have. */
  taskRetried(taskId: string, attempt: number, delayMs: number): void {
    this.audience?.emit({ type: 'task.retried', taskId, attempt, delayMs });
  }

  taskSkipped(taskId: string, reason: string): void {
    this.audience?.emit({ type: 'task.skipped', taskId, reason });
  }

  taskParked(taskId: string, reason: string): void {
    this.audience?.emit({ type: 'task.waiting', taskId, reason });
  }

  taskCancelled(taskId: string, reason: string): void {
    this.audience?.emit({ type: 'task.cancelled', taskId, reason });
  }
}
