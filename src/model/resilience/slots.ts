import pLimit from 'p-limit';
import { AbortedError } from '../../errors/taskforce-error.js';

/** A cap on calls in flight. `acquire` resolves with the function that frees the slot. */
export interface Slots {
  /**
   * Takes a slot, waiting in line when all are held. `onQueued` is called at once (with the number of
   * callers now in line, this one included) when the caller has to wait, so the wait can be reported.
   */
  acquire(signal?: AbortSignal, onQueued?: (queued: number) => void): Promise<() => void>;
}

/**
 * At most `max` holders at once (p-limit underneath). A slot is held for as long as the holder wants,
 * e.g. until a stream ends; a caller that aborts while queued leaves the queue without taking one.
 */
export function createSlots(max: number): Slots {
  if (!Number.isFinite(max)) return { acquire: async () => () => undefined };
  const limit = pLimit(max);
  return {
    acquire(signal, onQueued) {
      return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(new AbortedError(undefined, { cause: signal.reason }));
        let gaveUp = false;
        const onAbort = () => {
          gaveUp = true;
          reject(new AbortedError(undefined, { cause: signal?.reason }));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        void limit(
          () =>
            new Promise<void>((release) => {
              signal?.removeEventListener('abort', onAbort);
              if (gaveUp) release();
              else resolve(once(release));
            }),
        );
        // p-limit starts a task synchronously when a slot is free, so anything still in its queue now waits.
        if (limit.pendingCount > 0) onQueued?.(limit.pendingCount);
      });
    },
  };
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
