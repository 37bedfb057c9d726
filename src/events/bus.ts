import type { Clock } from '../util/clock.js';
import type { EventInput, TaskforceEvent, TaskforceEventType, EventOf } from './types.js';

export type EventListener = (event: TaskforceEvent) => void;

/**
 * A typed, synchronous event bus. Listeners observe; a listener that throws is reported on the
 * `onListenerError` hook and never changes what the run does.
 */
export interface EventBus {
  emit(event: EventInput): void;
  /** Subscribes to every event; returns the unsubscribe function. */
  on(listener: EventListener): () => void;
  /** Subscribes to one event type. */
  onType<T extends TaskforceEventType>(type: T, listener: (event: EventOf<T>) => void): () => void;
  /** A bus that stamps `runId` on what it emits and forwards to this one. */
  child(runId: string): EventBus;
  /**
   * Whether anyone listens: a parent and its children share one listener set, so every bus of the
   * family gives the same answer. Hot paths check this to skip building events nobody will see.
   */
  hasListeners(): boolean;
}

export function createEventBus(options: { clock: Clock; onListenerError?: (error: unknown) => void }): EventBus {
  const listeners = new Set<EventListener>();
  const deliver = (event: TaskforceEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        options.onListenerError?.(error);
      }
    }
  };
  const make = (runId?: string): EventBus => ({
    emit(input) {
      if (listeners.size === 0) return;
      const event = { ...input, at: input.at ?? options.clock.now() } as TaskforceEvent;
      if (runId !== undefined && event.runId === undefined) event.runId = runId;
      deliver(event);
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onType(type, listener) {
      const wrapped: EventListener = (e) => {
        if (e.type === type) (listener as (e: TaskforceEvent) => void)(e);
      };
      listeners.add(wrapped);
      return () => listeners.delete(wrapped);
    },
    child: (childRunId) => make(childRunId),
    hasListeners: () => listeners.size > 0,
  });
  return make();
}
