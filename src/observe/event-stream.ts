import { AbortedError, ConfigError } from '../errors/taskforce-error.js';

/** How an {@link EventStream} holds events for a consumer that reads slower than they come. */
export interface EventStreamOptions<E> {
  /**
   * Events held for a lagging consumer before the overflow policy applies. Default 1024. Events the
   * policy may not shed are kept past it, so the bound holds for sheddable events only.
   */
  readonly capacity?: number;
  /**
   * Whether an event may be merged or dropped once the buffer is full (high-volume events such as
   * text deltas). Every other event is always kept. Default: none may (the buffer is then unbounded).
   */
  readonly sheddable?: (event: E) => boolean;
  /**
   * Merges a sheddable event into the last buffered one, when that is sheddable too and the buffer is
   * full (two text deltas into one, so no text is lost). Return undefined when they do not merge: the
   * new event is dropped and counted in `dropped`. A sheddable event that follows a kept one is kept.
   */
  readonly coalesce?: (last: E, next: E) => E | undefined;
  /** Aborted (with an `AbortedError`) when the consumer stops reading before the producer ended. */
  readonly controller?: AbortController;
}

/**
 * A one-consumer async-iterable queue of events: the producer side (`push`, `end`, `fail`) is
 * synchronous, as the event bus is, and the consumer reads with `for await`.
 *
 * Backpressure: the bus emits synchronously and cannot wait for a consumer, so `push` never blocks.
 * A producer that can wait asks `room()` before making more events (a run awaits it before each model
 * call), so a slow consumer slows the run instead of filling memory. Past `capacity`, a sheddable
 * event is coalesced into a sheddable one at the tail or dropped (counted in `dropped`), and all others
 * are kept.
 *
 * Cancellation: leaving the loop early (`break`, `return`, a throw in the body) calls the iterator's
 * `return()`, which aborts `controller` when the producer had not ended yet, empties the buffer and
 * ignores whatever is pushed after.
 */
export interface EventStream<E> extends AsyncIterableIterator<E> {
  /** Adds an event; ignored once the stream ended or the consumer left. */
  push(event: E): void;
  /** No more events: the consumer gets what is buffered, then the loop ends. */
  end(): void;
  /** Ends with an error: the consumer gets what is buffered, then the loop throws `error`. */
  fail(error: unknown): void;
  /** Resolves when the buffer is below `capacity` (at once when it is, or when the stream is over). */
  room(): Promise<void>;
  /** Sheddable events dropped (not coalesced) because the buffer was full. */
  readonly dropped: number;
  /** Whether the consumer left before the producer ended. */
  readonly cancelled: boolean;
}

interface Waiter<E> {
  resolve(result: IteratorResult<E>): void;
  reject(error: unknown): void;
}

/**
 * A new {@link EventStream}.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const stream = createEventStream<string>({ capacity: 2, sheddable: () => true, coalesce: (a, b) => a + b, controller });
 * ['a', 'b', 'c'].forEach((s) => stream.push(s));
 * stream.end();
 * for await (const s of stream) console.log(s); // a, then bc
 * ```
 */
export function createEventStream<E>(options: EventStreamOptions<E> = {}): EventStream<E> {
  const capacity = options.capacity ?? 1024;
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new ConfigError(`createEventStream: capacity must be a positive integer, got ${String(capacity)}`);
  let buffer: E[] = [];
  let head = 0;
  let waiter: Waiter<E> | undefined;
  let state: 'open' | 'ended' | 'failed' | 'cancelled' = 'open';
  let failure: unknown;
  let dropped = 0;
  let roomWaiters: (() => void)[] = [];
  const size = () => buffer.length - head;
  const freeRoom = () => {
    if (roomWaiters.length === 0 || (state === 'open' && size() >= capacity)) return;
    const waiting = roomWaiters;
    roomWaiters = [];
    for (const resolve of waiting) resolve();
  };
  const done = (): IteratorResult<E> => ({ done: true, value: undefined });

  const settle = () => {
    const w = waiter;
    if (!w) return;
    waiter = undefined;
    if (state === 'failed') {
      state = 'ended';
      w.reject(failure);
    } else w.resolve(done());
  };

  const leave = (): Promise<IteratorResult<E>> => {
    if (state === 'open') {
      state = 'cancelled';
      options.controller?.abort(new AbortedError('the stream consumer stopped reading'));
    } else if (state !== 'cancelled') state = 'ended';
    buffer = [];
    head = 0;
    settle();
    freeRoom();
    return Promise.resolve(done());
  };

  const stream: EventStream<E> = {
    push(event) {
      if (state !== 'open') return;
      if (waiter) {
        const w = waiter;
        waiter = undefined;
        w.resolve({ done: false, value: event });
        return;
      }
      // Full: a sheddable event merges into (or is dropped after) a sheddable one at the tail. After a
      // kept event it is kept too, so the overflow is at most one per kept event, and the first delta
      // after a lifecycle event is never lost.
      const last = buffer[buffer.length - 1];
      if (size() >= capacity && last !== undefined && options.sheddable?.(event) && options.sheddable(last)) {
        const merged = options.coalesce?.(last, event);
        if (merged === undefined) dropped++;
        else buffer[buffer.length - 1] = merged;
        return;
      }
      buffer.push(event);
    },
    end() {
      if (state !== 'open') return;
      state = 'ended';
      settle();
      freeRoom();
    },
    fail(error) {
      if (state !== 'open') return;
      state = 'failed';
      failure = error;
      settle();
      freeRoom();
    },
    room() {
      if (state !== 'open' || size() < capacity) return Promise.resolve();
      return new Promise<void>((resolve) => roomWaiters.push(resolve));
    },
    get dropped() {
      return dropped;
    },
    get cancelled() {
      return state === 'cancelled';
    },
    next() {
      if (size() > 0) {
        const value = buffer[head++]!;
        freeRoom();
        // Compact now and then, so a long stream does not keep what was read.
        if (head > 1024 && head * 2 > buffer.length) {
          buffer = buffer.slice(head);
          head = 0;
        }
        return Promise.resolve({ done: false, value });
      }
      if (state === 'failed') {
        state = 'ended';
        return Promise.reject(failure);
      }
      if (state !== 'open') return Promise.resolve(done());
      return new Promise((resolve, reject) => {
        waiter = { resolve, reject };
      });
    },
    return: leave,
    throw: leave,
    [Symbol.asyncIterator]() {
      return stream;
    },
  };
  return stream;
}
